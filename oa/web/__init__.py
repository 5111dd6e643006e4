"""The HTTP and WebSocket edge: the app factory, API routing, request parsing, problem details, middleware."""
