"""The socket belongs to a live session: refused without one, cut when it is signed out or expires."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from oa.auth.tokens import decode_access_token, issue_access_token
from oa.database import utcnow


async def test_a_connection_without_a_session_is_closed_with_4401(nodes, kit):
    node = await nodes.start()
    sock = await kit.open(node)
    assert await sock.closed_with() == (4401, "请先登录")


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Basic eHN4OmRlbW8=", "Bearer "])
async def test_a_bad_authorization_header_is_closed_with_4401(nodes, kit, header):
    node = await nodes.start()
    sock = await kit.open(node, headers={"Authorization": header})
    code, reason = await sock.closed_with()
    assert code == 4401 and reason


async def test_the_browser_cookie_authenticates_and_a_foreign_origin_is_refused(nodes, kit):
    node = await nodes.start()
    async with httpx.AsyncClient(base_url=node.url) as http:
        response = await http.post("/api/auth/login", json={"username": "xsx.drafter", "password": "demo12345"})
        assert response.status_code == 200
        cookie = http.cookies["oa_access"]

    _, ready = await kit.connected(node, cookie=cookie, headers={"Origin": node.url})
    assert ready["type"] == "ready"
    # A page on another site can make the browser send our cookie on a WebSocket: the origin check stops it.
    hijack = await kit.open(node, cookie=cookie, headers={"Origin": "https://evil.example"})
    code, _ = await hijack.closed_with()
    assert code == 4403


async def test_a_malformed_last_event_id_is_closed_with_4400(nodes, kit):
    node = await nodes.start()
    sock = await kit.open(node, token=await kit.bearer(node, "xsx.drafter"), last_event_id="-1")
    code, _ = await sock.closed_with()
    assert code == 4400


async def test_a_signed_out_session_is_cut_with_4401(nodes, kit):
    node = await nodes.start(kit.config(recheck_seconds=0.3))
    token = await kit.bearer(node, "xsx.drafter")
    sock, _ = await kit.connected(node, token=token)
    async with httpx.AsyncClient(base_url=node.url, headers={"Authorization": f"Bearer {token}"}) as http:
        assert (await http.post("/api/auth/logout")).status_code == 204
    code, reason = await sock.closed_with(timeout=5)
    assert code == 4401 and "退出登录" in reason
    again = await kit.open(node, token=token)
    assert (await again.closed_with())[0] == 4401


async def test_an_expired_access_token_is_cut_with_4401_when_it_expires(nodes, kit):
    node = await nodes.start()
    services = node.services
    long_lived = await kit.bearer(node, "xsx.drafter")
    claims = decode_access_token(services.keys, long_lived, issuer=services.settings.jwt_issuer,
                                 audience=services.settings.jwt_audience)
    # The same session, with an access token that lives two seconds.
    short = issue_access_token(services.keys, person_id=claims.person_id, session_id=claims.session_id,
                               now=utcnow(), lifetime=timedelta(seconds=2), issuer=services.settings.jwt_issuer,
                               audience=services.settings.jwt_audience)
    sock, _ = await kit.connected(node, token=short)
    code, reason = await sock.closed_with(timeout=6)
    assert code == 4401 and "过期" in reason
