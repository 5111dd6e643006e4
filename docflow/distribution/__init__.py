"""Distribution (分发): the outbox written at 核发, the per-recipient delivery status, and the worker that sends."""
