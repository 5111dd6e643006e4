"""Outgoing documents (发文): persistence, use cases and HTTP routes around the pure rules in `docflow.rules`."""
