"""Sign-in, refresh, sign-out and lockout through the real app over HTTP."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from oa.audit.models import AuditRecord
from oa.org.models import Person


async def test_the_demo_drafter_signs_in_and_sees_their_unit_and_roles(client):
    me = await client.sign_in("xsx.drafter")
    assert me["username"] == "xsx.drafter"
    assert me["unit"]["code"] == "XSX"
    assert me["roles"] == ["drafter"]
    assert (await client.get("/api/me")).json()["id"] == me["id"]


async def test_the_browser_cookies_are_http_only_and_same_site_strict(client):
    response = await client.post("/api/auth/login", json={"username": "xsx.leader", "password": "demo12345"})
    cookies = response.headers.get_list("set-cookie")
    access = next(c for c in cookies if c.startswith("oa_access="))
    refresh = next(c for c in cookies if c.startswith("oa_refresh="))
    for cookie in (access, refresh):
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Path=/api/auth" in refresh


async def test_a_wrong_password_is_refused_with_a_problem_and_audited(client, server):
    response = await client.post("/api/auth/login", json={"username": "xsx.drafter", "password": "wrong-pass1"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"] == "用户名或密码不正确"
    async with server.app.state.services.sessions() as session:
        outcomes = (await session.execute(
            select(AuditRecord.outcome).where(AuditRecord.action == "auth.sign_in"))).scalars().all()
    assert [o.value for o in outcomes] == ["failed"]


async def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    response = await client.post("/api/auth/login", json={"username": "nobody.here", "password": "x1234567"})
    assert response.status_code == 401
    assert response.json()["detail"] == "用户名或密码不正确"


async def test_five_failures_lock_the_account_even_with_the_right_password_after(client):
    for _ in range(5):
        r = await client.post("/api/auth/login", json={"username": "spz.drafter", "password": "bad-guess-1"})
        assert r.status_code == 401
    locked = await client.post("/api/auth/login", json={"username": "spz.drafter", "password": "demo12345"})
    assert locked.status_code == 423
    assert "锁定" in locked.json()["detail"]


async def test_the_security_administrator_unlocks_a_locked_account(make_client):
    guesser, secadmin = make_client(), make_client()
    for _ in range(5):
        await guesser.post("/api/auth/login", json={"username": "spz.drafter", "password": "bad-guess-1"})
    await secadmin.sign_in("secadmin")
    people = (await secadmin.get("/api/people", params={"q": "spz.drafter"})).json()["items"]
    assert people[0]["locked_until"] is not None
    unlocked = await secadmin.post(f"/api/people/{people[0]['id']}/unlock")
    assert unlocked.status_code == 200 and unlocked.json()["locked_until"] is None
    await guesser.sign_in("spz.drafter")


async def test_parallel_wrong_guesses_cannot_race_past_the_lockout(make_client, server):
    clients = [make_client() for _ in range(12)]
    await asyncio.gather(*(c.post("/api/auth/login", json={"username": "dxz.drafter", "password": "bad-guess-1"})
                           for c in clients))
    async with server.app.state.services.sessions() as session:
        person = (await session.execute(select(Person).where(Person.username == "dxz.drafter"))).scalar_one()
        failures = (await session.execute(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.action == "auth.sign_in", AuditRecord.target_id == str(person.id)))).scalar_one()
    assert person.failed_logins + 0 >= 5 and person.locked_until is not None
    assert failures == 12  # every attempt, failed or denied, left its audit record


async def test_sign_out_revokes_the_session_at_once(client):
    await client.sign_in("xsx.reviewer")
    token = client.cookies.get("oa_access")
    assert (await client.post("/api/auth/logout")).status_code == 204
    # The same access token, replayed as a bearer token, is dead although it has not expired.
    replay = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert replay.status_code == 401
    assert "退出" in replay.json()["detail"]


async def test_api_clients_use_bearer_tokens_and_refresh_rotates_them(client):
    pair = (await client.post("/api/auth/token", json={"username": "czj.drafter", "password": "demo12345"})).json()
    assert pair["token_type"] == "Bearer"
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.json()["username"] == "czj.drafter"
    rotated = await client.post("/api/auth/token/refresh", json={"refresh_token": pair["refresh_token"]})
    assert rotated.status_code == 200
    new_pair = rotated.json()
    assert new_pair["refresh_token"] != pair["refresh_token"]
    # Re-using the old refresh token is refused.
    again = await client.post("/api/auth/token/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 401


async def test_the_browser_refreshes_with_its_cookie(client):
    await client.sign_in("xsx.registrar")
    old = client.cookies.get("oa_access", path="/")
    refreshed = await client.post("/api/auth/refresh")
    assert refreshed.status_code == 200
    assert refreshed.json()["username"] == "xsx.registrar"
    assert client.cookies.get("oa_access", path="/") != old


async def test_cookie_authenticated_writes_need_the_csrf_header(client):
    await client.sign_in("sysadmin")
    del client.headers["X-Requested-With"]
    response = await client.post("/api/units", json={"code": "CSRF", "name": "跨站单位", "short_name": "跨站",
                                                      "kind": "town"})
    assert response.status_code == 403
    assert "X-Requested-With" in response.json()["detail"]


async def test_the_session_check_answers_200_whether_signed_in_or_not(client):
    anonymous = await client.get("/api/auth/session")
    assert anonymous.status_code == 200
    assert anonymous.json() == {"signed_in": False, "me": None, "classified_system": False}
    await client.sign_in("xsx.drafter")
    signed = (await client.get("/api/auth/session")).json()
    assert signed["signed_in"] is True and signed["me"]["username"] == "xsx.drafter"
    await client.post("/api/auth/logout")
    assert (await client.get("/api/auth/session")).json()["signed_in"] is False


async def test_many_people_signing_in_at_once_all_get_in(make_client):
    """Password hashing runs in worker threads outside any transaction: a rush of sign-ins neither blocks the app
    nor exhausts the connection pool."""
    units = ["xsx", "zfb", "ddjd", "dxjd", "jxjd", "spz", "xzz", "hpz", "xxz", "qtz"]
    posts = ["drafter", "drafter2", "reviewer", "leader", "registrar"]
    clients = [(make_client(), f"{u}.{p}") for u in units for p in posts]
    responses = await asyncio.gather(*(c.post("/api/auth/login", json={"username": name, "password": "demo12345"})
                                       for c, name in clients))
    assert [r.status_code for r in responses] == [200] * len(clients)
