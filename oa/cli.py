"""The `oa` command: serve, migrate, demo, admin bootstrap, audit verification.

Each subcommand builds `Settings` from the environment at run time and says what it did in plain words.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Sequence

from oa.settings import Settings, SettingsError


def _settings() -> Settings:
    try:
        return Settings.from_environ(os.environ)
    except SettingsError as exc:
        print(f"配置错误 / configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from oa.collector import CollectorPolicy
    from oa.logs import configure_logging
    from oa.migrate import upgrade
    from oa.web.app import create_app

    settings = _settings()
    configure_logging(settings.log_level, settings.log_json)
    if args.migrate:
        upgrade(settings)
    try:
        app = create_app(settings)
    except SettingsError as exc:
        print(f"配置错误 / configuration error: {exc}", file=sys.stderr)
        return 2
    app.state.collector_policy = CollectorPolicy(settings.gc_freeze_seconds, settings.gc_full_seconds)
    print(f"象山 OA 正在运行 / serving at http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, loop="uvloop", http="httptools", ws="websockets-sansio",
                ws_per_message_deflate=False, access_log=False, log_config=None, proxy_headers=args.proxy_headers,
                forwarded_allow_ips=args.forwarded_allow_ips)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from oa.migrate import drift, upgrade

    settings = _settings()
    upgrade(settings, args.revision)
    print(f"数据库已迁移到 {args.revision} / database migrated to {args.revision}")
    if args.check:
        differences = drift(settings)
        if differences:
            print("模型与迁移不一致 / models and migrations disagree:")
            for difference in differences:
                print(f"  {difference}")
            return 1
        print("模型与迁移一致 / models and migrations agree")
    return 0


async def _demo(settings: Settings) -> int:
    from oa.auth.principal import RequestContext
    from oa.demo.county import DEMO_PASSWORD
    from oa.demo.load import load_demo
    from oa.services import Services

    services = Services.create(settings)
    try:
        async with services.unit_of_work(None, RequestContext(ip="cli", request_id="oa-demo")) as uow:
            summary = await load_demo(uow)
            if summary.loaded:
                await uow.commit()
    finally:
        await services.close()
    state = "已载入 / loaded" if summary.loaded else "已存在，未改动 / already present, unchanged"
    print(f"演示县 {state}: {summary.units} 个单位, {summary.people} 名人员")
    print(f"演示账号（密码均为 {DEMO_PASSWORD}）/ demo logins (password {DEMO_PASSWORD}):")
    for login in summary.highlights:
        print(f"  {login.username:<16} {login.name:<6} {login.unit} {login.position}")
    print("  其余账号：<单位代码小写>.<leader|deputy|reviewer|drafter|drafter2|registrar|archivist>")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from oa.migrate import upgrade

    settings = _settings()
    upgrade(settings)
    return asyncio.run(_demo(settings))


async def _audit_verify(settings: Settings) -> int:
    from oa.audit.service import verify
    from oa.services import Services

    services = Services.create(settings)
    try:
        async with services.sessions() as session:
            report = await verify(session)
    finally:
        await services.close()
    if report.ok:
        print(f"审计链完好 / audit chain intact: {report.checked} 条记录 / records checked")
        return 0
    print(f"审计链被破坏 / audit chain BROKEN at record {report.first_bad_id}: {report.reason}"
          f" ({report.checked} records verified before it)")
    return 1


def cmd_audit_verify(args: argparse.Namespace) -> int:
    return asyncio.run(_audit_verify(_settings()))


async def _bootstrap(settings: Settings, args: argparse.Namespace, password: str) -> int:
    from sqlalchemy import select

    from oa.auth.passwords import hash_password
    from oa.auth.principal import RequestContext
    from oa.errors import DomainError
    from oa.org.models import Person, PersonRole, Unit, UnitKind
    from oa.org.roles import Role
    from oa.services import Services

    services = Services.create(settings)
    try:
        async with services.unit_of_work(None, RequestContext(ip="cli", request_id="oa-admin")) as uow:
            unit = (await uow.session.execute(select(Unit).where(Unit.code == args.unit))).scalar_one_or_none()
            if unit is None and args.unit_name:
                # A new deployment has no unit yet: the first administrator creates the county it belongs to.
                unit = Unit(code=args.unit, name=args.unit_name, short_name=args.unit_short_name or args.unit_name,
                            kind=UnitKind.COUNTY)
                uow.session.add(unit)
                await uow.session.flush()
                uow.audit("org.unit.create", target_type="unit", target_id=unit.id,
                          detail={"code": unit.code, "name": unit.name, "by": "oa admin create"})
            if unit is None:
                print(f"单位代码 {args.unit} 不存在；首次部署请加 --unit-name 创建本县 / "
                      f"no unit with code {args.unit}: on a new deployment add --unit-name to create the county",
                      file=sys.stderr)
                return 2
            try:
                person = Person(username=args.username, name=args.name, unit_id=unit.id,
                                password_hash=hash_password(password), position=Role(args.role).value,
                                roles=[PersonRole(role=Role(args.role))])
            except DomainError as exc:
                print(exc.detail, file=sys.stderr)
                return 2
            uow.session.add(person)
            await uow.session.flush()
            uow.audit("org.admin.bootstrap", target_type="person", target_id=person.id, unit_id=unit.id,
                      detail={"username": args.username, "role": args.role})
            await uow.commit()
    finally:
        await services.close()
    print(f"已创建 {args.role} 账号 {args.username}")
    return 0


def cmd_admin_create(args: argparse.Namespace) -> int:
    password = os.environ.get("OA_BOOTSTRAP_PASSWORD") or getpass.getpass("密码 / password: ")
    return asyncio.run(_bootstrap(_settings(), args, password))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="oa", description="象山 OA：公文办理、交换与电子档案系统")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="运行 Web 服务 / run the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--migrate", action="store_true", help="先迁移数据库 / migrate the database first")
    serve.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-* from the proxy")
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="迁移数据库到最新 / apply database migrations")
    migrate.add_argument("--revision", default="head")
    migrate.add_argument("--check", action="store_true",
                         help="then compare the schema with the models; exit 1 on any difference")
    migrate.set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="载入演示县（迁移后）/ load the demo county")
    demo.set_defaults(func=cmd_demo)

    admin = sub.add_parser("admin", help="管理员账号 / administrator accounts")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    create = admin_sub.add_parser(
        "create", help="创建三员账号（首次部署）/ create a system, security or audit administrator",
        description="The password is read from OA_BOOTSTRAP_PASSWORD or asked for on the terminal.",
    )
    create.add_argument("--username", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--unit", required=True, help="单位代码 / unit code")
    create.add_argument("--unit-name", help="首次部署：若该单位不存在，以此全称创建本县（县人民政府）")
    create.add_argument("--unit-short-name", help="首次部署：所创建单位的简称")
    create.add_argument("--role", required=True, choices=["sysadmin", "secadmin", "auditadmin"])
    create.set_defaults(func=cmd_admin_create)

    audit = sub.add_parser("audit", help="审计 / audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="校验审计哈希链 / verify the audit hash chain")
    verify.set_defaults(func=cmd_audit_verify)

    from archive.cli import add_commands as add_archive_commands
    from docflow.exchange.cli import add_commands as add_exchange_commands
    from docflow.render_cli import add_commands as add_render_commands

    add_render_commands(sub)
    add_archive_commands(sub)
    add_exchange_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from docflow.exchange.cli import key_id_as_typed

    args = build_parser().parse_args(key_id_as_typed(list(sys.argv[1:] if argv is None else argv)))
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
