"""The canonical form of a sealed document: the exact bytes the unit's seal signs. Pure, no I/O.

It is a JSON object, serialised deterministically (UTF-8, keys sorted at every level, no whitespace, `ensure_ascii`
off, every string NFC-normalised, dates ISO 8601), with these members:

- `format`: the constant `"xiangshan-oa/seal/1"`, so a later form can never be mistaken for this one;
- `elements`: every element of the document as `docflow.rules.elements_codec.elements_to_dict` gives it (文种,
  公文标识, 发布层次, 标题, 发文机关标志, 发文机关署名, 主送/抄送, the body blocks, 份号, 密级, 保密期限, 紧急程度,
  发文字号, 签发人, 成文日期, 附注, 印发机关 …) except `seal`, and with `attachments` holding, for each attachment in
  order, its title, file name, size and both digests (SHA-256 and SM3, lowercase hex);
- `signoff`: the 签发 record — signer id and name, who acted (a delegate may act for the signer), the opinion and the
  full time — or null when the flow has no sign-off;
- `final_copy`: the rendered final copy (正式文本, the PDF made at 用印 just before the seal): its SHA-256, size and
  page count, or null when none was rendered;
- `seal`: the seal identity (unit code, the seal's name, key id) and `signed_at`, the sealing time.

Any change to an element, the body, the 发文字号, the sign-off, an attachment's bytes (through its digests), the
final copy, the seal identity or the sealing time changes these bytes, and so breaks the signature.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from docflow.rules.elements import Elements
from docflow.rules.elements_codec import elements_to_dict

FORMAT = "xiangshan-oa/seal/1"


@dataclass(frozen=True)
class AttachmentDigest:
    title: str
    filename: str
    size: int
    sha256: str
    sm3: str


@dataclass(frozen=True)
class SignoffRecord:
    signer_id: int
    signer_name: str
    acted_by_id: int
    opinion: str
    at: datetime


@dataclass(frozen=True)
class FinalCopy:
    sha256: str
    size: int
    page_count: int


@dataclass(frozen=True)
class SealIdentity:
    unit_code: str
    seal_name: str
    key_id: str


def canonical_document(
    elements: Elements, attachments: Sequence[AttachmentDigest], signoff: SignoffRecord | None,
    seal: SealIdentity, signed_at: datetime, final_copy: FinalCopy | None = None,
) -> dict[str, Any]:
    data = elements_to_dict(elements)
    data.pop("seal")  # the seal identity is its own member below
    data["attachments"] = [
        {"title": a.title, "filename": a.filename, "size": a.size, "sha256": a.sha256, "sm3": a.sm3}
        for a in attachments
    ]
    return {
        "format": FORMAT,
        "elements": data,
        "signoff": None if signoff is None else {
            "signer_id": signoff.signer_id, "signer_name": signoff.signer_name, "acted_by_id": signoff.acted_by_id,
            "opinion": signoff.opinion, "at": signoff.at.isoformat(),
        },
        "final_copy": None if final_copy is None else {
            "sha256": final_copy.sha256, "size": final_copy.size, "page_count": final_copy.page_count,
        },
        "seal": {"unit_code": seal.unit_code, "seal_name": seal.seal_name, "key_id": seal.key_id,
                 "signed_at": signed_at.isoformat()},
    }


def to_bytes(document: Mapping[str, Any]) -> bytes:
    text = json.dumps(_nfc(document), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    if isinstance(value, dict):
        return {key: _nfc(item) for key, item in value.items()}
    return value


# What a person calls each part, to say in a failed check what changed after sealing.
PART_LABELS: dict[str, str] = {
    "doc_type": "文种", "identifier": "公文标识", "publication_level": "发布层次", "title": "标题",
    "issuer_mark": "发文机关标志", "issuer_names": "发文机关署名", "main_recipients": "主送机关",
    "copy_recipients": "抄送机关", "body": "正文", "copy_number": "份号", "classification": "密级",
    "secrecy_period": "保密期限", "urgency": "紧急程度", "doc_number": "发文字号", "signers": "签发人",
    "attachments": "附件", "written_date": "成文日期", "notes": "附注", "printing_organ": "印发机关",
    "printing_date": "印发日期", "page_count": "页数", "signoff": "签发记录",
    "final_copy": "正式文本", "seal": "印章信息", "format": "格式版本",
}


def changed_parts(sealed: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """The labels of the parts that differ between the sealed form and the current one, in a stable order."""
    changed: list[str] = []
    for key in sorted(set(sealed) | set(now)):
        if key == "elements":
            before, after = sealed.get(key) or {}, now.get(key) or {}
            changed += [PART_LABELS.get(k, k) for k in sorted(set(before) | set(after))
                        if _nfc(before.get(k)) != _nfc(after.get(k))]
        elif _nfc(sealed.get(key)) != _nfc(now.get(key)):
            changed.append(PART_LABELS.get(key, key))
    return changed
