"""Sign-in, refresh, sign-out and token checks: the use cases of the auth context.

Lockout is a single conditional UPDATE, so parallel wrong guesses cannot race past the limit; the failure and its
audit record commit even though the sign-in fails.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import anyio
from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oa.audit.models import Outcome
from oa.auth.models import AuthSession
from oa.auth.passwords import verify_password
from oa.auth.principal import Principal
from oa.auth.tokens import TokenKeys, decode_access_token, issue_access_token
from oa.errors import AccountLocked, Unauthenticated
from oa.org.models import Person
from oa.settings import Settings
from oa.uow import UnitOfWork


@dataclass(frozen=True)
class SignedIn:
    person: Person
    session_id: str
    access_token: str
    refresh_token: str
    access_expires: datetime
    refresh_expires: datetime


def _hash_refresh(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def principal_of(person: Person, session_id: str | None) -> Principal:
    return Principal(
        person_id=person.id, username=person.username, name=person.name, unit_id=person.unit_id,
        office_id=person.office_id, roles=frozenset(person.role_set), session_id=session_id,
    )


# Argon2 takes ~64 MiB and a noticeable slice of CPU per check: at most this many run at once per process.
_HASHING = threading.BoundedSemaphore(4)


def _verify_limited(password_hash: str | None, password: str) -> bool:
    with _HASHING:
        return verify_password(password_hash, password)


async def check_password(sessions: async_sessionmaker[AsyncSession], username: str, password: str) -> bool:
    """Verify the password in a worker thread, outside any transaction: the event loop keeps serving and no
    database lock or connection is held while Argon2 works."""
    async with sessions() as session:
        password_hash = (
            await session.execute(select(Person.password_hash).where(Person.username == username))
        ).scalar_one_or_none()
    return await anyio.to_thread.run_sync(_verify_limited, password_hash, password)


async def sign_in(
    uow: UnitOfWork, settings: Settings, keys: TokenKeys, *, username: str, password_ok: bool
) -> SignedIn | AccountLocked | Unauthenticated:
    """Record the attempt whose password was checked by `check_password`; return the new session, or the error
    to raise after the caller commits the recorded failure."""
    session, now = uow.session, uow.now
    person = (await session.execute(select(Person).where(Person.username == username))).scalar_one_or_none()
    if person is not None and person.locked_until is not None and person.locked_until > now:
        uow.audit("auth.sign_in", target_type="person", target_id=person.id, unit_id=person.unit_id,
                  outcome=Outcome.DENIED, detail={"username": username, "reason": "locked"})
        until = person.locked_until.astimezone().strftime("%Y-%m-%d %H:%M")
        return AccountLocked(f"连续登录失败次数过多，账号锁定至 {until}，或请安全保密管理员解锁")
    if person is None or not person.active or not password_ok:
        if person is not None:
            new_count = Person.failed_logins + 1
            await session.execute(
                update(Person)
                .where(Person.id == person.id)
                .values(
                    failed_logins=new_count,
                    locked_until=case(
                        (new_count >= settings.login_max_failures,
                         now + timedelta(minutes=settings.login_lockout_minutes)),
                        else_=Person.locked_until,
                    ),
                )
            )
        uow.audit("auth.sign_in", target_type="person", target_id=person.id if person else None,
                  unit_id=person.unit_id if person else None, outcome=Outcome.FAILED,
                  detail={"username": username[:64], "reason": "bad-credentials"})
        return Unauthenticated("用户名或密码不正确")
    refresh_token = secrets.token_urlsafe(32)
    session_id = str(uuid.uuid4())
    refresh_expires = now + timedelta(hours=settings.refresh_token_hours)
    session.add(
        AuthSession(id=session_id, person_id=person.id, refresh_hash=_hash_refresh(refresh_token),
                    created_at=now, expires_at=refresh_expires, ip=uow.context.ip,
                    user_agent=uow.context.user_agent)
    )
    await session.execute(update(Person).where(Person.id == person.id).values(failed_logins=0, locked_until=None))
    uow.actor = principal_of(person, session_id)
    uow.audit("auth.sign_in", target_type="session", target_id=session_id)
    lifetime = timedelta(minutes=settings.access_token_minutes)
    access = issue_access_token(keys, person_id=person.id, session_id=session_id, now=now, lifetime=lifetime,
                                issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    return SignedIn(person, session_id, access, refresh_token, now + lifetime, refresh_expires)


async def refresh(uow: UnitOfWork, settings: Settings, keys: TokenKeys, refresh_token: str) -> SignedIn:
    """Rotate the refresh token. Presenting an already-rotated token revokes the whole session (theft signal)."""
    session, now = uow.session, uow.now
    old_hash = _hash_refresh(refresh_token)
    row = (await session.execute(select(AuthSession).where(AuthSession.refresh_hash == old_hash))).scalar_one_or_none()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise Unauthenticated("登录已失效，请重新登录")
    person = await session.get(Person, row.person_id)
    if person is None or not person.active:
        raise Unauthenticated("账号已停用，请联系系统管理员")
    new_token = secrets.token_urlsafe(32)
    result = await session.execute(
        update(AuthSession)
        .where(AuthSession.id == row.id, AuthSession.refresh_hash == old_hash, AuthSession.revoked_at.is_(None))
        .values(refresh_hash=_hash_refresh(new_token), refresh_generation=AuthSession.refresh_generation + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Unauthenticated("登录已失效，请重新登录")
    uow.actor = principal_of(person, row.id)
    uow.audit("auth.refresh", target_type="session", target_id=row.id)
    lifetime = timedelta(minutes=settings.access_token_minutes)
    access = issue_access_token(keys, person_id=person.id, session_id=row.id, now=now, lifetime=lifetime,
                                issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    return SignedIn(person, row.id, access, new_token, now + lifetime, row.expires_at)


async def sign_out(uow: UnitOfWork, session_id: str) -> None:
    await uow.session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=uow.now)
    )
    uow.audit("auth.sign_out", target_type="session", target_id=session_id)


async def authenticate(
    session: AsyncSession, settings: Settings, keys: TokenKeys, token: str, now: datetime
) -> Principal:
    claims = decode_access_token(keys, token, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    row = (
        await session.execute(
            select(AuthSession, Person)
            .join(Person, Person.id == AuthSession.person_id)
            .where(AuthSession.id == claims.session_id)
        )
    ).first()
    if row is None:
        raise Unauthenticated("登录已失效，请重新登录")
    auth_session, person = row
    if auth_session.person_id != claims.person_id:
        raise Unauthenticated("登录凭据与会话不符，请重新登录")
    if auth_session.revoked_at is not None:
        raise Unauthenticated("已退出登录，请重新登录")
    if auth_session.expires_at <= now or not person.active:
        raise Unauthenticated("登录已失效，请重新登录")
    return principal_of(person, auth_session.id)
