"""This node's signing keys on disk: `OA_KEYS_DIR/node/<kid>.pem` plus `keyring.json` naming the current key.

The first start creates a key; `rotate` adds a new current key and keeps the old ones published (messages
signed before the rotation may still sit in peers' retry queues) until `retire` removes one. Files are
written with mode 0600 and replaced atomically, so every app node of one deployment reading the same
directory sees either the old keyring or the new one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from docflow.exchange.errors import InvalidKey
from docflow.exchange.signing import NodeKey, NodeKeyring

KEYRING_FILE = "keyring.json"


def node_keys_dir(keys_dir: Path) -> Path:
    return keys_dir / "node"


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def _save(directory: Path, keyring: NodeKeyring) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    for key in keyring.all_keys():
        pem = directory / f"{key.kid}.pem"
        if not pem.exists():
            _write_private(pem, key.to_pem())
    index = {"current": keyring.current.kid, "previous": [key.kid for key in keyring.previous]}
    _write_private(directory / KEYRING_FILE, json.dumps(index, indent=2).encode("utf-8"))


def _load(directory: Path) -> NodeKeyring:
    try:
        index = json.loads((directory / KEYRING_FILE).read_text("utf-8"))
        current = str(index["current"])
        previous = [str(kid) for kid in index.get("previous", [])]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidKey(f"节点密钥索引 {directory / KEYRING_FILE} 无法读取：{exc}") from exc

    def key(kid: str) -> NodeKey:
        path = directory / f"{kid}.pem"
        try:
            return NodeKey.from_pem(path.read_bytes(), kid)
        except OSError as exc:
            raise InvalidKey(f"缺少节点私钥文件 {path}") from exc

    return NodeKeyring(key(current), tuple(key(kid) for kid in previous))


def load_or_create_keyring(keys_dir: Path) -> NodeKeyring:
    """The node's keyring, creating a first key when there is none yet."""
    directory = node_keys_dir(keys_dir)
    if (directory / KEYRING_FILE).exists():
        return _load(directory)
    keyring = NodeKeyring(NodeKey.generate())
    _save(directory, keyring)
    return keyring


def rotate_keyring(keys_dir: Path) -> NodeKeyring:
    """Sign with a new key from now on; the old ones stay published until retired."""
    keyring = load_or_create_keyring(keys_dir).rotate()
    _save(node_keys_dir(keys_dir), keyring)
    return keyring


def retire_key(keys_dir: Path, kid: str) -> NodeKeyring:
    """Stop publishing an old key (after every peer has imported the new JWKS and drained its retries)."""
    keyring = load_or_create_keyring(keys_dir).retire(kid)
    _save(node_keys_dir(keys_dir), keyring)
    (node_keys_dir(keys_dir) / f"{kid}.pem").unlink(missing_ok=True)
    return keyring
