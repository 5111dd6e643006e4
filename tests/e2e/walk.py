"""What the browser walk does on a page, in a person's words: sign in, open a document, take an action (naming
the next holders where asked), wait for the document's state. Kept apart from the test so the walk reads as steps."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

TIMEOUT_MS = 30_000


async def sign_in(browser: Any, base_url: str, username: str, errors: Any) -> Any:
    """A new browser context (its own cookie jar) with one page, signed in through the sign-in form."""
    context = await browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    errors.watch(page, username)
    await page.goto(f"{base_url}/sign-in")
    await page.locator('[data-test="sign-in-username"]').fill(username)
    await page.locator('[data-test="sign-in-password"]').fill("demo12345")
    await page.locator('[data-test="sign-in-submit"]').click()
    await page.locator('[data-test="app-shell"]').wait_for()
    await page.locator('[data-test="current-person-name"]').wait_for()
    return page


async def api(page: Any, method: str, path: str, body: Any = None, *, params: dict[str, Any] | None = None,
              raw: bytes | None = None, expect: int | None = None) -> Any:
    """A call in the signed-in person's own session (the page's cookies), for steps the UI does not offer."""
    headers = {"X-Requested-With": "oa"}
    if raw is None and body is not None:
        headers["Content-Type"] = "application/json"
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    origin = urlsplit(page.url)
    response = await page.request.fetch(f"{origin.scheme}://{origin.netloc}{path}", method=method, headers=headers, data=data, params=params)
    if expect is not None:
        assert response.status == expect, f"{method} {path}: {response.status} {await response.text()}"
    return await response.json()


async def person_named(page: Any, username: str) -> dict[str, Any]:
    people = await api(page, "GET", "/api/people", params={"q": username}, expect=200)
    person: dict[str, Any] = next(p for p in people["items"] if p["username"] == username)
    return person


async def open_document(page: Any, base_url: str, doc_id: int) -> None:
    await page.goto(f"{base_url}/documents/{doc_id}")
    await page.locator('[data-test="document-title"]').wait_for()


async def open_from_todo(page: Any, doc_id: int) -> None:
    """Through the side menu to 发文 → 待办, then the document's link (no typed URL)."""
    await page.locator('[data-test="menu-outgoing"]').click()
    await page.locator(f'[data-test="worklist-open-{doc_id}"]').click()
    await page.locator('[data-test="document-title"]').wait_for()


async def choose_holders(page: Any, usernames: list[str]) -> None:
    """Pick people in the dialog's remote search: type the account, click the one matching option."""
    for username in usernames:
        person = await person_named(page, username)
        await page.locator('[data-test="action-next-holders"]').click()
        await page.keyboard.type(username)
        option = page.locator(".el-select-dropdown__item:visible", has_text=person["name"])
        await option.first.click()
    await page.keyboard.press("Escape")


async def take_action(page: Any, action: str, *, text: str = "", holders: list[str] | None = None,
                      confirm: bool = True) -> None:
    await page.locator(f'[data-test="action-{action}"]').click()
    dialog = page.locator('[data-test="action-dialog"]')
    await dialog.wait_for()
    if text:
        await page.locator('[data-test="action-text"] textarea, textarea[data-test="action-text"]').first.fill(text)
    if holders:
        await choose_holders(page, holders)
    if confirm:
        await page.locator('[data-test="action-confirm"]').click()
        error = page.locator('[data-test="action-error"]')
        # Either the dialog closes (done) or the server's refusal shows in it: fail with its words, not a timeout.
        await page.wait_for_function(
            "() => !document.querySelector('[data-test=action-dialog]')?.checkVisibility()"
            " || document.querySelector('[data-test=action-error]')")
        if await error.is_visible():
            raise AssertionError(f"{action} was refused: {await error.inner_text()}")


async def state_is(page: Any, label: str) -> None:
    await page.locator('[data-test="document-state"]', has_text=label).wait_for()


async def draft_in_form(page: Any, *, title: str, recipients: list[str], body: str,
                        attachment: tuple[str, bytes]) -> int:
    """发文 → 新建: fill the drafting form (no template), save, then upload the attachment; the new document's id."""
    await page.locator('[data-test="menu-outgoing"]').click()
    await page.locator('[data-test="draft-new"]').click()
    await page.locator('[data-test="draft-form"]').wait_for()
    await page.locator('[data-test="draft-title"]').fill(title)
    await page.locator('[data-test="draft-issuer-mark"]').fill("象山县人民政府文件")
    await page.locator('[data-test="draft-daizi"]').fill("象政发")
    names = page.locator('[data-test="draft-issuer-names"]')
    await names.click()
    await page.keyboard.type("象山县人民政府")
    await page.keyboard.press("Enter")
    for name in recipients:
        await page.locator('[data-test="draft-form"] [data-test="draft-main-directory"]').click()
        await page.keyboard.press("Control+A")
        await page.keyboard.type(name)
        node = page.locator(".el-tree-node__content:visible", has_text=name).first
        await node.locator(".el-checkbox").click()
    await page.keyboard.press("Escape")
    await page.locator('[data-test="body-text-0"]').fill(body)
    await page.locator('[data-test="draft-printing-organ"]').fill("象山县人民政府办公室")
    await page.locator('[data-test="draft-save"]').click()
    await page.wait_for_url("**/documents/*/edit")
    doc_id = int(page.url.rstrip("/").split("/")[-2])
    name, content = attachment
    await page.locator('[data-test="attachments-input"]').set_input_files(
        files=[{"name": name, "mimeType": "image/png", "buffer": content}])
    # The stored attachment's row (an <li>), not the progress row of the upload still running.
    await page.locator('[data-test="attachments-editor"] li[data-test^="attachment-"]', has_text=name.rsplit(".", 1)[0]) \
        .first.wait_for()
    return doc_id


async def incoming_action(page: Any, action: str, *, text: str = "", readers: list[str] | None = None) -> None:
    """On the 收文 detail page: take `action` through its dialog (when it has one), failing with the server's words."""
    await page.locator(f'[data-test="incoming-action-{action}"]').click()
    dialog = page.locator('[data-test="incoming-action-dialog"]')
    try:
        await dialog.wait_for(timeout=3_000)
    except Exception:
        return
    if text:
        await page.locator('[data-test="incoming-field-text"]').first.fill(text)
    for username in readers or []:
        person = await person_named(page, username)
        await page.locator('[data-test="incoming-action-dialog"] [data-test="incoming-field-readers"]').first.click()
        await page.keyboard.type(username)
        await page.locator(".el-select-dropdown__item:visible", has_text=person["name"]).first.click()
        # A multiple select keeps its list open after a pick: click the dialog's title to close it.
        await page.locator(".el-dialog__title:visible").first.click()
        await page.locator(".el-select-dropdown__item:visible").first.wait_for(state="hidden")
    await page.locator('[data-test="incoming-action-confirm"]').click()
    await page.wait_for_function(
        "() => !document.querySelector('[data-test=incoming-action-dialog]')?.checkVisibility()"
        " || document.querySelector('[data-test=incoming-action-error]')")
    error = page.locator('[data-test="incoming-action-error"]')
    if await error.is_visible():
        raise AssertionError(f"{action} was refused: {await error.inner_text()}")
