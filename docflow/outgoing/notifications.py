"""Turning the workflow's events into notification events for the people they name."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import Any

from docflow.rules.workflow_events import Event
from oa.uow import UnitOfWork


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def event_type(event: Event) -> str:
    """`NewTask` → `docflow.new_task`: stable names the UI can switch on."""
    name = type(event).__name__
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
    return f"docflow.{snake}"


def emit(uow: UnitOfWork, events: tuple[Event, ...], *, title: str) -> None:
    for event in events:
        recipients = [int(r) for r in event.recipients]
        if not recipients:
            continue
        # The fields one level deep (events hold plain values): `dataclasses.asdict` deep-copies every one first.
        payload = {f.name: _plain(getattr(event, f.name)) for f in dataclasses.fields(event) if f.name != "recipients"}
        payload["document_id"] = int(payload["document_id"])
        payload["title"] = title
        uow.notify(recipients, event_type(event), payload)
