"""The drafted content: validation against the element rules, and its stored JSON form."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.schemas import ContentIn
from docflow.rules.body import Block, validate_body
from docflow.rules.elements import (
    Elements,
    Recipient,
    parse_classification,
    parse_doc_type,
    parse_publication_level,
    parse_urgency,
    validate_elements,
)
from oa.errors import FieldError, InvalidInput
from oa.org.models import Unit


def to_elements(content: ContentIn, identifier: str, doc_number: str | None = None) -> Elements:
    return Elements(
        doc_type=parse_doc_type(content.doc_type),
        identifier=identifier,
        publication_level=parse_publication_level(content.publication_level),
        title=content.title,
        issuer_mark=content.issuer_mark,
        issuer_names=tuple(content.issuer_names),
        main_recipients=tuple(Recipient(r.unit_code, r.name) for r in content.main_recipients),
        copy_recipients=tuple(Recipient(r.unit_code, r.name) for r in content.copy_recipients),
        body=tuple(Block(b.level, b.text) for b in content.body),
        copy_number=content.copy_number,
        classification=parse_classification(content.classification) if content.classification else None,
        secrecy_period=content.secrecy_period,
        urgency=parse_urgency(content.urgency) if content.urgency else None,
        doc_number=doc_number,
        signers=tuple(content.signers),
        written_date=content.written_date,
        notes=content.notes,
        printing_organ=content.printing_organ,
    )


async def known_unit_codes(session: AsyncSession, content: ContentIn) -> Collection[str]:
    codes = {r.unit_code for r in [*content.main_recipients, *content.copy_recipients] if r.unit_code}
    if not codes:
        return set()
    return set((await session.execute(select(Unit.code).where(Unit.code.in_(codes)))).scalars())


async def check_content(session: AsyncSession, content: ContentIn, identifier: str, *, classified_system: bool) -> None:
    """Refuse content that breaks the element or body rules, naming every field at fault."""
    elements = to_elements(content, identifier)
    violations = validate_elements(elements, classified_system=classified_system,
                                   known_unit_codes=await known_unit_codes(session, content))
    errors = [FieldError(v.path, v.message) for v in violations]
    errors += [FieldError(f"body[{i.index}]", i.message) for i in validate_body(elements.body)]
    if errors:
        raise InvalidInput("公文要素不符合规定：" + "；".join(e.message for e in errors), errors=errors)


def content_json(content: ContentIn) -> dict[str, Any]:
    return content.model_dump(mode="json")
