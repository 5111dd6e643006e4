"""Elements as plain JSON-ready data: for storage (a JSON column), for the API, and the canonical
bytes a seal signs.

`elements_from_dict` is the one entry for raw input: it collects every unreadable value (unknown
文种, bad date, …) as a `Violation` and raises `InvalidElements` with all of them, so a form can
mark every field at once; `validate_elements` then checks the rules between fields.
`canonical_bytes` is deterministic (sorted keys, no spaces, NFC text, ISO dates) so the same
document always yields the same bytes, and any change to an element, the body or an attachment
digest changes them.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from docflow.rules.body import Block, BodyError
from docflow.rules.elements import (
    AttachmentRef,
    DocType,
    Elements,
    ElementValueError,
    PublicationLevel,
    Recipient,
    Violation,
    parse_classification,
    parse_doc_type,
    parse_publication_level,
    parse_urgency,
)

_T = TypeVar("_T")
CANONICAL_VERSION = 1


class InvalidElements(ValueError):
    """Raw element data that cannot even be read; `violations` lists every field to fix."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__("；".join(v.message for v in violations))
        self.violations = violations


def elements_to_dict(e: Elements) -> dict[str, Any]:
    """Every element under its field name, as str/int/list/None (dates in ISO form)."""
    return {
        "doc_type": e.doc_type.value,
        "identifier": e.identifier,
        "publication_level": e.publication_level.value,
        "title": e.title,
        "issuer_mark": e.issuer_mark,
        "issuer_names": list(e.issuer_names),
        "main_recipients": [_recipient(r) for r in e.main_recipients],
        "copy_recipients": [_recipient(r) for r in e.copy_recipients],
        "body": [{"level": b.level, "text": b.text} for b in e.body],
        "copy_number": e.copy_number,
        "classification": e.classification.value if e.classification else None,
        "secrecy_period": e.secrecy_period,
        "urgency": e.urgency.value if e.urgency else None,
        "doc_number": e.doc_number,
        "signers": list(e.signers),
        "attachments": [{"title": a.title, "sha256": a.sha256} for a in e.attachments],
        "written_date": e.written_date.isoformat() if e.written_date else None,
        "seal": e.seal,
        "notes": e.notes,
        "printing_organ": e.printing_organ,
        "printing_date": e.printing_date.isoformat() if e.printing_date else None,
        "page_count": e.page_count,
    }


def _recipient(r: Recipient) -> dict[str, str | None]:
    return {"unit_code": r.unit_code, "name": r.name}


def elements_from_dict(data: Mapping[str, Any]) -> Elements:
    """Read raw data (form, JSON column); raise InvalidElements listing every unreadable field."""
    problems: list[Violation] = []

    # Placeholders after a failure only keep the construction going; they never leave this function.
    def read(path: str, parse: Callable[[Any], _T], default: _T) -> _T:
        try:
            return parse(data.get(path))
        except (ElementValueError, BodyError, ValueError, TypeError, KeyError, AttributeError) as exc:
            message = str(exc) if isinstance(exc, ElementValueError | BodyError) else f"“{path}”的值无法识别"
            problems.append(Violation(path, f"{path}.unreadable", message))
            return default

    elements = Elements(
        doc_type=read("doc_type", lambda v: parse_doc_type(str(v)), DocType.NOTICE),
        identifier=read("identifier", _text, ""),
        publication_level=read(
            "publication_level", lambda v: parse_publication_level(str(v)), PublicationLevel.NOT_PUBLIC
        ),
        title=read("title", _text, ""),
        issuer_mark=read("issuer_mark", _text, ""),
        issuer_names=read("issuer_names", _texts, ()),
        main_recipients=read("main_recipients", _recipients, ()),
        copy_recipients=read("copy_recipients", _recipients, ()),
        body=read("body", _blocks, ()),
        copy_number=read("copy_number", _optional_text, None),
        classification=read("classification", lambda v: parse_classification(v or ""), None),
        secrecy_period=read("secrecy_period", _optional_text, None),
        urgency=read("urgency", lambda v: parse_urgency(v or ""), None),
        doc_number=read("doc_number", _optional_text, None),
        signers=read("signers", _texts, ()),
        attachments=read("attachments", _attachments, ()),
        written_date=read("written_date", _date, None),
        seal=read("seal", _optional_text, None),
        notes=read("notes", _text, ""),
        printing_organ=read("printing_organ", _text, ""),
        printing_date=read("printing_date", _date, None),
        page_count=read("page_count", _optional_int, None),
    )
    if problems:
        raise InvalidElements(problems)
    return elements


def canonical_bytes(e: Elements) -> bytes:
    """The bytes a seal signs: all elements except the seal itself, NFC-normalised, sorted keys."""
    payload = elements_to_dict(e)
    payload.pop("seal")  # the seal identity is recorded beside the signature, not inside what it signs
    payload["canonical_version"] = CANONICAL_VERSION
    text = json.dumps(_nfc(payload), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    if isinstance(value, dict):
        return {key: _nfc(item) for key, item in value.items()}
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None or value == "" else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise TypeError(value)
    return tuple(_text(item) for item in value)


def _recipients(value: Any) -> tuple[Recipient, ...]:
    items = value or []
    if not isinstance(items, list | tuple):
        raise TypeError(value)
    return tuple(Recipient(_optional_text(item.get("unit_code")), _text(item["name"])) for item in items)


def _attachments(value: Any) -> tuple[AttachmentRef, ...]:
    items = value or []
    if not isinstance(items, list | tuple):
        raise TypeError(value)
    return tuple(AttachmentRef(_text(item["title"]), _text(item["sha256"])) for item in items)


def _blocks(value: Any) -> tuple[Block, ...]:
    items = value or []
    if not isinstance(items, list | tuple):
        raise TypeError(value)
    blocks = []
    for item in items:
        level = item["level"]
        if not isinstance(level, int) or isinstance(level, bool):
            raise TypeError(level)
        blocks.append(Block(level, _text(item["text"])))
    return tuple(blocks)


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(_text(value))


def _optional_int(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(value)
    return value
