"""Notification events: written with the change that causes them, delivered only after commit."""
