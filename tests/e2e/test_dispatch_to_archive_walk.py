"""The whole life of a 通知 in real browsers, one person per browser context: drafted with an attachment,
countersigned (会签) by two offices, signed off, numbered, sealed and dispatched to three towns; a town's registrar,
already signed in, sees it arrive live, signs for it and closes it; the archivist accepts the package and finds it
in the catalogue. Every step is screenshotted into artifacts/e2e/; no console error may appear on the way, and a
refusal from the server must reach the page as readable words."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.e2e.walk import (
    api,
    draft_in_form,
    incoming_action,
    open_document,
    open_from_todo,
    sign_in,
    state_is,
    take_action,
)

pytestmark = pytest.mark.browser

TITLE = "关于做好2026年防汛防台工作的通知"


def duty_roster_png() -> bytes:
    """A small PNG as the attachment: a format the archive's default format list takes (a plain PDF is not PDF/A,
    and the 归档预检 beside the attachment would say it fails the 可用性 check at intake)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 60), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


async def test_a_notice_goes_from_draft_through_dispatch_and_intake_to_the_catalogue(
        server: Any, browser: Any, console_errors: Any, shots: Any) -> None:
    base = server.url

    # The town's registrar is signed in before anything is sent, watching the 未签收 box.
    town = await sign_in(browser, base, "ddjd.registrar", console_errors)
    await town.locator('[data-test="menu-incoming"]').click()
    await town.locator('[data-test="incoming-table"]').wait_for()
    await town.evaluate("window.__e2eSamePage = true")
    await shots(town, "01-town-registrar-waiting")

    # 拟稿 in the drafting form: elements, three towns from the directory, the body, then the attachment uploaded.
    drafter = await sign_in(browser, base, "xsx.drafter", console_errors)
    await shots(drafter, "02-drafter-workbench")
    doc_id = await draft_in_form(drafter, title=TITLE, recipients=["丹东街道", "石浦镇", "西周镇"],
                                 body="为切实做好今年防汛防台工作，现将有关事项通知如下。",
                                 attachment=("防汛值班表.png", duty_roster_png()))
    # The 归档预检 beside the stored file: the archive's 可用性 check will take this PNG.
    verdict = drafter.locator('[data-test^="attachment-archivable-"]')
    await verdict.get_by_text("可归档").wait_for()
    assert await drafter.locator('[data-test^="attachment-archive-problem-"]').count() == 0
    await shots(drafter, "03-drafter-form-saved-with-attachment")
    await open_document(drafter, base, doc_id)
    await drafter.locator("[data-test=document-page]").get_by_text("防汛值班表.png").wait_for()
    await drafter.locator('[data-test=document-attachments] [data-test^="attachment-archivable-"]', has_text="可归档") \
        .wait_for()
    await shots(drafter, "03b-drafter-document-page")
    await take_action(drafter, "submit")
    await state_is(drafter, "核稿中")
    await shots(drafter, "04-drafter-submitted")

    # 核稿, naming the two countersigning offices (文电科 and 秘书科).
    reviewer = await sign_in(browser, base, "xsx.reviewer", console_errors)
    await open_from_todo(reviewer, doc_id)
    await take_action(reviewer, "approve", text="文字已核", holders=["xsx.drafter2", "xsx.deputy"])
    await state_is(reviewer, "会签中")
    await shots(reviewer, "05-reviewer-sent-to-countersign")

    # 会签: the first office agrees; the last one must name the signer, and the server says so when it is missing.
    office1 = await sign_in(browser, base, "xsx.drafter2", console_errors)
    await open_from_todo(office1, doc_id)
    await take_action(office1, "approve", text="文电科同意")
    await shots(office1, "06-countersign-first-office")
    office2 = await sign_in(browser, base, "xsx.deputy", console_errors)
    await open_from_todo(office2, doc_id)
    await take_action(office2, "approve", text="秘书科同意", confirm=False)
    refusal = office2.locator('[data-test="action-error"]')
    with console_errors.provoking():
        await office2.locator('[data-test="action-confirm"]').click()
        await refusal.wait_for()
    words = (await refusal.inner_text()).strip()
    assert words and "Internal" not in words and "{" not in words, words
    await shots(office2, "07-countersign-refusal-is-readable")
    await office2.keyboard.press("Escape")
    await office2.locator('[data-test="action-dialog"]').wait_for(state="hidden")
    await take_action(office2, "approve", text="秘书科同意", holders=["xsx.leader"])
    await state_is(office2, "待签发")
    await shots(office2, "08-countersign-second-office")

    # 签发 and 复核.
    leader = await sign_in(browser, base, "xsx.leader", console_errors)
    await open_from_todo(leader, doc_id)
    await take_action(leader, "approve", text="同意印发")
    await shots(leader, "09-leader-signed-off")
    await open_document(reviewer, base, doc_id)
    await take_action(reviewer, "approve", text="复核无误")
    await shots(reviewer, "10-reviewer-rechecked")

    # 登记编号, 用印, 核发 by the registrar.
    registrar = await sign_in(browser, base, "xsx.registrar", console_errors)
    await open_from_todo(registrar, doc_id)
    await take_action(registrar, "assign_number")
    await shots(registrar, "11-registrar-numbered")
    await take_action(registrar, "approve", text="已登记")
    await state_is(registrar, "待用印")
    await take_action(registrar, "seal")
    await state_is(registrar, "待核发")
    await shots(registrar, "12-registrar-sealed")
    await take_action(registrar, "dispatch")
    await state_is(registrar, "已发出")
    await shots(registrar, "13-registrar-dispatched")

    # The town sees it arrive without reloading: the open 未签收 list fills in from the event stream.
    row = town.locator('[data-test^="incoming-title-"]', has_text=TITLE)
    await row.wait_for()
    assert await town.evaluate("window.__e2eSamePage === true"), "the page was reloaded"
    await shots(town, "14-town-sees-it-arrive-live")
    incoming_id = int((await row.get_attribute("data-test") or "").rsplit("-", 1)[1])
    await town.locator(f'[data-test="incoming-sign-for-{incoming_id}"]').click()
    await row.wait_for(state="hidden")
    await shots(town, "15-town-signed-for")
    # 登记, 初审, 传阅 (to the town's head) and 办结 on the 收文 page of the document.
    await town.locator('[data-test="incoming-boxes"]').get_by_text("全部").click()
    await town.locator(f'[data-test="incoming-title-{incoming_id}"]').click()
    await town.locator('[data-test="incoming-detail"]').wait_for()
    await incoming_action(town, "register")
    await incoming_action(town, "accept")
    await incoming_action(town, "circulate", readers=["ddjd.leader"])
    await shots(town, "16-town-circulated")
    await incoming_action(town, "close", text="已阅知")
    await town.locator('[data-test="incoming-action-close"]').wait_for(state="detached")
    await shots(town, "17-town-closed")
    closed = await api(town, "GET", f"/api/incoming/{incoming_id}", expect=200)
    assert closed["state"] == "closed", closed["state"]

    # 归档移交 by the registrar on the dispatched document, then intake in the archivist's pages.
    await registrar.locator('[data-test="archive-transfer"]').click()
    await registrar.locator(".el-message--success", has_text="已移交档案室").wait_for()
    await shots(registrar, "18-registrar-transferred-to-archive")
    archivist = await sign_in(browser, base, "xsx.archivist", console_errors)
    await archivist.locator('[data-test="menu-archive"]').click()
    queued = archivist.locator('[data-test^="intake-open-"]', has_text=TITLE)
    item = {"id": int((await queued.get_attribute("data-test") or "").rsplit("-", 1)[1])}
    await queued.click()
    await archivist.locator('[data-test="check-report"]').wait_for()
    for group in ("真实性", "完整性", "可用性", "安全性"):
        await archivist.locator(f'[data-test="check-group-{group}"]').wait_for()
    await shots(archivist, "19-archivist-four-checks-report")
    await archivist.locator('[data-test="intake-accept"]').click()
    await archivist.locator(f'[data-test="intake-open-{item["id"]}"]').wait_for(state="detached")
    await shots(archivist, "20-archivist-accepted")

    await archivist.locator('[data-test="archive-to-catalogue"]').click()
    await archivist.locator('[data-test="catalogue-q"]').fill("防汛防台")
    await archivist.locator('[data-test="catalogue-search"]').click()
    await archivist.locator(f'[data-test="catalogue-open-{item["id"]}"]').click()
    code = archivist.locator('[data-test="archive-item-code"]')
    await code.wait_for()
    assert (await code.inner_text()).endswith("-XSX-0001")
    await archivist.locator('[data-test="archive-item-history"]').wait_for()
    await shots(archivist, "21-archivist-finds-it-in-the-catalogue")

    assert console_errors.seen == []
