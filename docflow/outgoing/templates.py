"""Drafting templates (发文模板) of a unit: who may keep them, and how a new draft takes their defaults.

A template is the unit's document business (its 发文机关标志, 代字 series, usual recipients), so it is kept by the
unit's registrar (文书), for their own unit only. The system administrator does not keep templates: under 三员分立
administrators stay out of document content. Every business user of the unit can read them (the drafter picks one).

Applying a template (`POST /api/documents` with `template_id`): the optional elements the drafter did not send —
主送, 抄送, 发布层次, 印发机关 — are taken from the template. Required elements (文种, 发文机关标志, 发文机关署名,
代字) are always the drafter's: the client fills its form from the template (`GET /api/templates`), and whatever the
drafter then sends wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from docflow.outgoing.access import require_business_user
from docflow.outgoing.admin_schemas import RecipientOut, TemplateIn, TemplateOut, TemplatePatch
from docflow.outgoing.models import DocTemplate
from docflow.outgoing.schemas import ContentIn, RecipientIn
from oa.auth.principal import Principal
from oa.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from oa.org.models import Unit
from oa.org.roles import Role
from oa.uow import UnitOfWork

# The optional ContentIn fields a template fills when the drafter leaves them out.
TEMPLATE_DEFAULTS = ("main_recipients", "copy_recipients", "publication_level", "printing_organ")


def template_out(row: DocTemplate) -> TemplateOut:
    defaults = row.defaults or {}
    return TemplateOut(
        id=row.id, unit_id=row.unit_id, name=row.name, doc_type=row.doc_type, issuer_mark=row.issuer_mark,
        issuer_name=row.issuer_name, daizi=row.daizi,
        main_recipients=[RecipientOut(**r) for r in defaults.get("main_recipients", [])],
        copy_recipients=[RecipientOut(**r) for r in defaults.get("copy_recipients", [])],
        publication_level=defaults.get("publication_level", "不公开"),
        printing_organ=defaults.get("printing_organ", ""),
    )


async def templates_of_unit(session: AsyncSession, me: Principal) -> Sequence[DocTemplate]:
    require_business_user(me)
    return (
        await session.execute(select(DocTemplate).where(DocTemplate.unit_id == me.unit_id).order_by(DocTemplate.id))
    ).scalars().all()


async def create_template(uow: UnitOfWork, me: Principal, data: TemplateIn) -> DocTemplate:
    require_template_keeper(me)
    await _check_recipients(uow.session, [*data.main_recipients, *data.copy_recipients])
    row = DocTemplate(unit_id=me.unit_id, name=data.name, doc_type=data.doc_type, issuer_mark=data.issuer_mark,
                      issuer_name=data.issuer_name, daizi=data.daizi, defaults=_defaults(data.model_dump(mode="json")))
    uow.session.add(row)
    await _flush_unique(uow, data.name)
    uow.audit("docflow.template.create", target_type="doc_template", target_id=row.id, unit_id=me.unit_id,
              detail={"after": template_out(row).model_dump(mode="json")})
    return row


async def update_template(uow: UnitOfWork, me: Principal, template_id: int, data: TemplatePatch) -> DocTemplate:
    require_template_keeper(me)
    session = uow.session
    row = (
        await session.execute(select(DocTemplate).where(DocTemplate.id == template_id).with_for_update())
    ).scalar_one_or_none()
    if row is None or row.unit_id != me.unit_id:
        raise NotFound(f"模板 {template_id} 不存在")
    changes = data.model_dump(mode="json", exclude_unset=True)
    if any(v is None for v in changes.values()):
        missing = [k for k, v in changes.items() if v is None]
        raise InvalidInput("这些字段不能清空：" + "、".join(missing),
                           errors=[FieldError(k, "不能为 null") for k in missing])
    await _check_recipients(session, [*(data.main_recipients or []), *(data.copy_recipients or [])])
    before = template_out(row).model_dump(mode="json")
    for field in ("name", "doc_type", "issuer_mark", "issuer_name", "daizi"):
        if field in changes:
            setattr(row, field, changes[field])
    row.defaults = {**(row.defaults or {}), **_defaults(changes)}
    await _flush_unique(uow, row.name)
    uow.audit("docflow.template.update", target_type="doc_template", target_id=row.id, unit_id=row.unit_id,
              detail={"before": before, "after": template_out(row).model_dump(mode="json")})
    return row


async def apply_template(session: AsyncSession, me: Principal, template_id: int, content: ContentIn) -> ContentIn:
    """The drafter's content with the template's defaults in the optional fields the drafter did not send."""
    row = await session.get(DocTemplate, template_id)
    if row is None or row.unit_id != me.unit_id:
        raise InvalidInput(f"模板 {template_id} 不存在或不属于本单位", errors=[FieldError("template_id", "无此模板")])
    defaults = row.defaults or {}
    update: dict[str, Any] = {}
    for field in TEMPLATE_DEFAULTS:
        if field not in content.model_fields_set and field in defaults:
            value = defaults[field]
            update[field] = [RecipientIn(**r) for r in value] if field.endswith("recipients") else value
    return content.model_copy(update=update)


def _defaults(values: dict[str, Any]) -> dict[str, Any]:
    return {k: values[k] for k in TEMPLATE_DEFAULTS if k in values}


async def _check_recipients(session: AsyncSession, recipients: Sequence[RecipientIn]) -> None:
    codes = {r.unit_code for r in recipients if r.unit_code}
    if not codes:
        return
    known = set((await session.execute(select(Unit.code).where(Unit.code.in_(codes)))).scalars())
    unknown = sorted(codes - known)
    if unknown:
        message = f"单位代码 {', '.join(unknown)} 不在单位目录中（外部机关请不填单位代码）"
        raise InvalidInput(message, errors=[FieldError("main_recipients", message)])


async def _flush_unique(uow: UnitOfWork, name: str) -> None:
    try:
        await uow.session.flush()
    except IntegrityError as exc:  # (unit, name) is unique in the database, not checked-then-inserted
        raise Conflict(f"本单位已有名为“{name}”的模板", errors=[FieldError("name", "名称已被使用")]) from exc


def require_template_keeper(me: Principal) -> None:
    if not me.has(Role.REGISTRAR):
        raise Forbidden("模板由本单位的文书（登记员）维护")
