"""`oa exchange …`: the node directory and this node's signing keys from the command line.

    oa exchange directory export [FILE]     this node's directory (with its own JWKS) as JSON
    oa exchange directory import FILE       take the other nodes of a directory exported elsewhere
    oa exchange keys show                   this node's key ids (current first)
    oa exchange keys rotate                 sign with a new key; the old one stays published
    oa exchange keys retire KID             stop publishing an old key
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from docflow.exchange.directory import export_directory, import_directory
from docflow.exchange.errors import DirectoryError, InvalidKey
from docflow.exchange.keystore import load_or_create_keyring, retire_key, rotate_keyring
from oa.settings import Settings


def _settings() -> Settings:
    return Settings.from_environ()


async def _export(settings: Settings) -> bytes:
    from docflow.exchange.directory_store import load_directory
    from docflow.exchange.runtime import install
    from oa.services import Services

    services = Services.create(settings)
    try:
        async with services.sessions() as session:
            return export_directory(await load_directory(session, install(services)))
    finally:
        await services.close()


async def _import(settings: Settings, data: bytes) -> list[str]:
    from docflow.exchange.directory_store import import_nodes
    from docflow.exchange.runtime import install
    from oa.auth.principal import RequestContext
    from oa.services import Services

    directory = import_directory(data)
    services = Services.create(settings)
    try:
        async with services.unit_of_work(None, RequestContext(ip="cli", request_id="oa-exchange")) as uow:
            changed = await import_nodes(uow.session, install(services), directory)
            uow.audit("exchange.directory.import", detail={"nodes": changed, "via": "cli"})
            await uow.commit()
        return changed
    finally:
        await services.close()


def cmd_directory_export(args: argparse.Namespace) -> int:
    data = asyncio.run(_export(_settings()))
    if args.file:
        Path(args.file).write_bytes(data)
    else:
        sys.stdout.write(data.decode("utf-8") + "\n")
    return 0


def cmd_directory_import(args: argparse.Namespace) -> int:
    try:
        changed = asyncio.run(_import(_settings(), Path(args.file).read_bytes()))
    except (DirectoryError, OSError) as exc:
        print(f"目录导入失败 / directory import failed: {exc}", file=sys.stderr)
        return 1
    print(f"已导入节点 / imported nodes: {', '.join(changed) or '（无）'}")
    return 0


def cmd_keys_show(args: argparse.Namespace) -> int:
    keyring = load_or_create_keyring(_settings().keys_dir)
    print(f"current  {keyring.current.kid}")
    for key in keyring.previous:
        print(f"previous {key.kid}")
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    keyring = rotate_keyring(_settings().keys_dir)
    print(f"新签名密钥 / new signing key: {keyring.current.kid}")
    print("请重新导出目录并发给各交换节点 / export the directory again and send it to the other nodes")
    return 0


def cmd_keys_retire(args: argparse.Namespace) -> int:
    try:
        retire_key(_settings().keys_dir, args.kid)
    except InvalidKey as exc:
        print(f"无法停用 / cannot retire: {exc}", file=sys.stderr)
        return 1
    print(f"已停用 / retired: {args.kid}")
    return 0


_RETIRE = ["exchange", "keys", "retire"]


def key_id_as_typed(argv: list[str]) -> list[str]:
    """Key ids are RFC 7638 thumbprints in base64url, and one in 64 begins with '-', which argparse would take for
    an option ("the following arguments are required: kid"). `oa exchange keys retire -PFer…` gets a '--' put
    before the id, so the id works exactly as `oa exchange keys show` printed it."""
    if argv[:3] == _RETIRE and len(argv) == 4 and argv[3].startswith("-") and argv[3] not in ("-h", "--help", "--"):
        return [*_RETIRE, "--", argv[3]]
    return argv


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exchange = sub.add_parser("exchange", help="公文交换：节点目录与节点密钥 / exchange directory and node keys")
    exchange_sub = exchange.add_subparsers(dest="exchange_command", required=True)
    directory = exchange_sub.add_parser("directory", help="节点目录 / node directory")
    directory_sub = directory.add_subparsers(dest="directory_command", required=True)
    export = directory_sub.add_parser("export", help="导出目录（JSON）/ export the directory")
    export.add_argument("file", nargs="?", help="写入此文件（缺省输出到屏幕）")
    export.set_defaults(func=cmd_directory_export)
    imported = directory_sub.add_parser("import", help="导入其他节点导出的目录 / import a directory")
    imported.add_argument("file")
    imported.set_defaults(func=cmd_directory_import)
    keys = exchange_sub.add_parser("keys", help="本节点签名密钥 / this node's signing keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_sub.add_parser("show", help="列出密钥 / list the keys").set_defaults(func=cmd_keys_show)
    keys_sub.add_parser("rotate", help="轮换 / rotate").set_defaults(func=cmd_keys_rotate)
    retire = keys_sub.add_parser("retire", help="停用旧密钥 / retire an old key")
    retire.add_argument("kid")
    retire.set_defaults(func=cmd_keys_retire)
