"""`oa exchange …`: rotating and retiring node keys, and moving a directory between two nodes' databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docflow.exchange.keystore import load_or_create_keyring
from oa.cli import main
from oa.migrate import upgrade
from oa.settings import Settings


def use(monkeypatch: pytest.MonkeyPatch, root: Path, node_id: str) -> Settings:
    env = {"OA_DATA_DIR": str(root), "OA_DATABASE_URL": f"sqlite+aiosqlite:///{root / 'oa.db'}",
           "OA_KEYS_DIR": str(root / "keys"), "OA_NODE_ID": node_id, "OA_PUBLIC_URL": f"https://{node_id}.example"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings.from_environ(env)


def test_a_rotated_key_signs_from_now_on_and_the_old_one_stays_published_until_retired(monkeypatch, tmp_path,
                                                                                        capsys):
    settings = use(monkeypatch, tmp_path, "node-a")
    first = load_or_create_keyring(settings.keys_dir).current.kid
    assert main(["exchange", "keys", "rotate"]) == 0
    rotated = load_or_create_keyring(settings.keys_dir)
    assert rotated.current.kid != first and [k.kid for k in rotated.previous] == [first]
    assert oct((settings.keys_dir / "node" / f"{rotated.current.kid}.pem").stat().st_mode & 0o777) == "0o600"
    assert main(["exchange", "keys", "retire", rotated.current.kid]) == 1  # the current key cannot go
    assert main(["exchange", "keys", "retire", first]) == 0
    assert load_or_create_keyring(settings.keys_dir).previous == ()
    assert not (settings.keys_dir / "node" / f"{first}.pem").exists()
    capsys.readouterr()
    assert main(["exchange", "keys", "show"]) == 0
    assert capsys.readouterr().out.split() == ["current", rotated.current.kid]


def test_a_key_whose_id_begins_with_a_dash_is_retired_as_typed(monkeypatch, tmp_path, capsys):
    """One thumbprint in 64 begins with '-': rotate until one does, then retire it by the id `show` printed."""
    settings = use(monkeypatch, tmp_path, "node-a")
    keyring = load_or_create_keyring(settings.keys_dir)
    for _ in range(2000):
        if keyring.current.kid.startswith("-"):
            break
        assert main(["exchange", "keys", "rotate"]) == 0
        keyring = load_or_create_keyring(settings.keys_dir)
    dashed = keyring.current.kid
    assert dashed.startswith("-")
    assert main(["exchange", "keys", "rotate"]) == 0  # now an old key, which may be retired
    capsys.readouterr()
    assert main(["exchange", "keys", "retire", dashed]) == 0
    assert capsys.readouterr().out.strip() == f"已停用 / retired: {dashed}"
    assert dashed not in [k.kid for k in load_or_create_keyring(settings.keys_dir).all_keys()]
    assert main(["exchange", "keys", "retire", "--", dashed]) == 1  # the usual form works too: already gone


def test_a_directory_exported_on_one_node_is_imported_on_another(monkeypatch, tmp_path):
    a_root, b_root = tmp_path / "a", tmp_path / "b"
    a_root.mkdir(), b_root.mkdir()
    upgrade(use(monkeypatch, b_root, "node-b"))
    exported = tmp_path / "b.json"
    assert main(["exchange", "directory", "export", str(exported)]) == 0
    b_kid = load_or_create_keyring(b_root / "keys").current.kid
    document = json.loads(exported.read_text("utf-8"))
    assert [n["node_id"] for n in document["nodes"]] == ["node-b"]
    assert [k["kid"] for k in document["nodes"][0]["jwks"]["keys"]] == [b_kid]

    upgrade(use(monkeypatch, a_root, "node-a"))
    assert main(["exchange", "directory", "import", str(exported)]) == 0
    back = tmp_path / "a.json"
    assert main(["exchange", "directory", "export", str(back)]) == 0
    nodes = {n["node_id"]: n for n in json.loads(back.read_text("utf-8"))["nodes"]}
    assert set(nodes) == {"node-a", "node-b"} and nodes["node-b"]["base_url"] == "https://node-b.example"
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "something-else"}', "utf-8")
    assert main(["exchange", "directory", "import", str(broken)]) == 1
