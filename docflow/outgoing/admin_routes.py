"""HTTP routes configuring outgoing documents: drafting templates, delegations (委托), per-unit workflow settings.

Thin wrappers: parse, call one use case (`templates`, `delegations`, `workflow_admin`), serialise.
"""

from __future__ import annotations

from typing import Any

from docflow.outgoing import delegations, templates, workflow_admin
from docflow.outgoing.admin_schemas import (
    DelegationIn,
    DelegationList,
    DelegationOut,
    TemplateIn,
    TemplateList,
    TemplateOut,
    TemplatePatch,
    WorkflowIn,
    WorkflowOut,
)
from oa.database import utcnow
from oa.web.api import ApiRouter, Call

router = ApiRouter()


@router.route("GET", "/api/templates", summary="本单位的发文模板", tags=("模板",), response=TemplateList)
async def list_templates(call: Call[Any, Any]) -> TemplateList:
    async with call.services.sessions() as session:
        rows = await templates.templates_of_unit(session, call.me)
    return TemplateList(items=[templates.template_out(r) for r in rows])


@router.route("POST", "/api/templates", summary="新建发文模板（本单位文书）", tags=("模板",), body=TemplateIn,
              response=TemplateOut, status=201, extra_responses={403: "不是本单位文书", 409: "模板名称重复"})
async def create_template(call: Call[TemplateIn, Any]) -> TemplateOut:
    async with call.uow() as uow:
        row = await templates.create_template(uow, call.me, call.body)
        out = templates.template_out(row)
        await uow.commit()
    return out


@router.route("PATCH", "/api/templates/{template_id:int}", summary="修改发文模板（本单位文书）", tags=("模板",),
              body=TemplatePatch, response=TemplateOut,
              extra_responses={403: "不是本单位文书", 404: "模板不存在", 409: "模板名称重复"})
async def update_template(call: Call[TemplatePatch, Any]) -> TemplateOut:
    async with call.uow() as uow:
        row = await templates.update_template(uow, call.me, call.path_int("template_id"), call.body)
        out = templates.template_out(row)
        await uow.commit()
    return out


@router.route("POST", "/api/delegations", summary="委托：我的待办在一段时间内由同事代办", tags=("委托",),
              body=DelegationIn, response=DelegationOut, status=201, extra_responses={409: "与已有委托时段重叠"})
async def create_delegation(call: Call[DelegationIn, Any]) -> DelegationOut:
    async with call.uow() as uow:
        row = await delegations.create_delegation(uow, call.me, call.body)
        names = await delegations.names(uow.session, [row.person_id, row.delegate_id])
        out = delegations.delegation_out(row, names[row.person_id], names[row.delegate_id], uow.now)
        await uow.commit()
    return out


@router.route("GET", "/api/delegations", summary="我的委托（委托出去的与受托的）", tags=("委托",),
              response=DelegationList)
async def list_delegations(call: Call[Any, Any]) -> DelegationList:
    async with call.services.sessions() as session:
        given, received = await delegations.delegations_of(session, call.me, utcnow())
    return DelegationList(given=given, received=received)


@router.route("DELETE", "/api/delegations/{delegation_id:int}", summary="撤销委托（委托人）", tags=("委托",),
              status=204, extra_responses={403: "不是委托人", 404: "委托不存在", 409: "已撤销"})
async def revoke_delegation(call: Call[Any, Any]) -> None:
    async with call.uow() as uow:
        await delegations.revoke_delegation(uow, call.me, call.path_int("delegation_id"))
        await uow.commit()


@router.route("GET", "/api/units/{unit_id:int}/workflow", summary="单位的发文流程", tags=("发文流程",),
              response=WorkflowOut, extra_responses={403: "不是本单位人员或系统管理员", 404: "单位不存在"})
async def read_workflow(call: Call[Any, Any]) -> WorkflowOut:
    async with call.services.sessions() as session:
        return await workflow_admin.read_workflow(session, call.me, call.path_int("unit_id"))


@router.route("PUT", "/api/units/{unit_id:int}/workflow", summary="设置单位的发文流程（系统管理员）",
              tags=("发文流程",), body=WorkflowIn, response=WorkflowOut,
              extra_responses={403: "不是系统管理员", 404: "单位不存在", 422: "流程定义不合规则"})
async def save_workflow(call: Call[WorkflowIn, Any]) -> WorkflowOut:
    async with call.uow() as uow:
        out = await workflow_admin.save_workflow(uow, call.me, call.path_int("unit_id"), call.body)
        await uow.commit()
    return out
