"""Sign-in routes: cookies for the browser (`/login`), bearer tokens for API clients (`/token`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import JSONResponse, Response

from oa.auth import service
from oa.auth.schemas import Credentials, Me, MeOffice, MeUnit, RefreshRequest, SessionState, TokenPair
from oa.auth.service import SignedIn
from oa.errors import DomainError, Unauthenticated
from oa.org.models import Office, Person, Unit
from oa.services import ACCESS_COOKIE, REFRESH_COOKIE, Services
from oa.web.api import ApiRouter, Call, NoBody

router = ApiRouter()
TAGS = ("登录",)
REFRESH_PATH = "/api/auth"


async def load_me(session: AsyncSession, person_id: int) -> Me:
    person = await session.get(Person, person_id)
    if person is None:
        raise Unauthenticated("账号不存在")
    unit = await session.get(Unit, person.unit_id)
    office = await session.get(Office, person.office_id) if person.office_id else None
    return Me(
        id=person.id, username=person.username, name=person.name, unit=MeUnit.model_validate(unit),
        office=MeOffice.model_validate(office) if office else None, position=person.position,
        roles=sorted(person.role_set),
    )


async def _sign_in(call: Call[Credentials, Any]) -> SignedIn:
    services = call.services
    password_ok = await service.check_password(services.sessions, call.body.username, call.body.password)
    async with call.uow() as uow:
        result = await service.sign_in(uow, services.settings, services.keys, username=call.body.username,
                                       password_ok=password_ok)
        await uow.commit()  # a failed attempt and its lockout count must persist too
    if isinstance(result, DomainError):
        raise result
    return result


def _set_cookies(response: Response, services: Services, signed: SignedIn) -> None:
    secure = services.settings.cookie_secure
    response.set_cookie(ACCESS_COOKIE, signed.access_token, max_age=services.settings.access_token_minutes * 60,
                        httponly=True, samesite="strict", secure=secure, path="/")
    response.set_cookie(REFRESH_COOKIE, signed.refresh_token, max_age=services.settings.refresh_token_hours * 3600,
                        httponly=True, samesite="strict", secure=secure, path=REFRESH_PATH)


async def _me_response(services: Services, signed: SignedIn) -> JSONResponse:
    async with services.sessions() as session:
        me = await load_me(session, signed.person.id)
    response = JSONResponse(me.model_dump(mode="json"))
    _set_cookies(response, services, signed)
    return response


@router.route("POST", "/api/auth/login", summary="登录（浏览器，写入 httpOnly Cookie）", tags=TAGS, body=Credentials,
              response=Me, public=True, extra_responses={401: "用户名或密码不正确", 423: "账号已锁定"})
async def login(call: Call[Credentials, Any]) -> Response:
    return await _me_response(call.services, await _sign_in(call))


@router.route("POST", "/api/auth/token", summary="获取访问令牌（API 客户端）", tags=TAGS, body=Credentials,
              response=TokenPair, public=True, extra_responses={401: "用户名或密码不正确", 423: "账号已锁定"})
async def token(call: Call[Credentials, Any]) -> TokenPair:
    signed = await _sign_in(call)
    return TokenPair(access_token=signed.access_token, refresh_token=signed.refresh_token,
                     expires_in=call.services.settings.access_token_minutes * 60)


async def _refresh(call: Call[Any, Any], refresh_token: str | None) -> SignedIn:
    if not refresh_token:
        raise Unauthenticated("登录已失效，请重新登录")
    async with call.uow() as uow:
        signed = await service.refresh(uow, call.services.settings, call.services.keys, refresh_token)
        await uow.commit()
    return signed


@router.route("POST", "/api/auth/refresh", summary="续期（浏览器，使用刷新 Cookie）", tags=TAGS, response=Me,
              public=True)
async def refresh(call: Call[Any, Any]) -> Response:
    return await _me_response(call.services, await _refresh(call, call.request.cookies.get(REFRESH_COOKIE)))


@router.route("POST", "/api/auth/token/refresh", summary="续期（API 客户端）", tags=TAGS, body=RefreshRequest,
              response=TokenPair, public=True)
async def refresh_token(call: Call[RefreshRequest, Any]) -> TokenPair:
    signed = await _refresh(call, call.body.refresh_token)
    return TokenPair(access_token=signed.access_token, refresh_token=signed.refresh_token,
                     expires_in=call.services.settings.access_token_minutes * 60)


@router.route("POST", "/api/auth/logout", summary="退出登录（立即吊销本次会话的全部令牌）", tags=TAGS, status=204)
async def logout(call: Call[NoBody, Any]) -> Response:
    session_id = call.me.session_id
    assert session_id is not None
    async with call.uow() as uow:
        await service.sign_out(uow, session_id)
        await uow.commit()
    response = Response(status_code=204)
    response.delete_cookie(ACCESS_COOKIE, path="/")
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_PATH)
    return response


@router.route("GET", "/api/me", summary="当前登录人", tags=TAGS, response=Me)
async def me(call: Call[Any, Any]) -> Me:
    async with call.services.sessions() as session:
        return await load_me(session, call.me.person_id)


@router.route("GET", "/api/auth/session", summary="是否已登录（未登录也答 200，供页面启动时判断）", tags=TAGS,
              response=SessionState, public=True)
async def session_state(call: Call[Any, Any]) -> SessionState:
    """Lets the browser ask "am I signed in?" on start-up without provoking a 401 in its console."""
    classified = call.services.settings.classified_system
    try:
        principal = await call.services.authenticate_request(call.request)
    except DomainError:
        return SessionState(signed_in=False, classified_system=classified)
    async with call.services.sessions() as session:
        return SessionState(signed_in=True, me=await load_me(session, principal.person_id),
                            classified_system=classified)
