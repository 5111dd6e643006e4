"""Verify an EEP package offline: structure, schema, base64, digests, sizes and signatures.

``verify_package`` never raises for a bad package: it returns a ``VerifyReport`` whose findings say which
element failed and what was expected, because the archivist's screen and ``oa archive verify`` both show
the reasons to a person. Schema choice: the whole skeleton (everything except the payload text, which the
scanner elides) is validated against ``schema/eep-2009.xsd`` after the streaming pass; the payload is
validated as strict base64 while streaming. This keeps memory flat and still checks every element.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree

from archive.eep import namespaces as ns
from archive.eep.markup_scanner import PackageRefused
from archive.eep.metadata_reader import read_metadata, text
from archive.eep.model import PackageMetadata
from archive.eep.payload import DIGEST_ALGORITHMS
from archive.eep.reader import PackageScan, ProgressCallback, ReadLimits, hardened_parser, scan_package
from archive.eep.signing import SignatureFields, check_signature

DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True)
class VerifyFinding:
    """One problem: the element concerned, what is wrong, and what was expected."""

    element: str
    problem: str
    expected: str = ""


@dataclass(frozen=True)
class SignatureOutcome:
    signature_id: str
    signer: str
    valid: bool
    reason: str
    key_fingerprint: str
    is_lock: bool = False


@dataclass(frozen=True)
class VerifyReport:
    path: str
    size: int
    findings: tuple[VerifyFinding, ...]
    metadata: PackageMetadata | None = None
    signatures: tuple[SignatureOutcome, ...] = field(default=())
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_text(self) -> str:
        """A readable report for ``oa archive verify``: verdict, signatures, then each finding."""
        verdict = "通过" if self.ok else f"未通过（{len(self.findings)} 项问题）"
        lines = [f"封装包 {self.path}（{self.size} 字节，SHA-256 {self.sha256 or '—'}）：{verdict}"]
        for outcome in self.signatures:
            kind = ns.LOCK_SIGNATURE if outcome.is_lock else ns.SIGNATURE
            state = "有效" if outcome.valid else f"无效：{outcome.reason}"
            fingerprint = f"，密钥指纹 {outcome.key_fingerprint[:16]}…" if outcome.key_fingerprint else ""
            lines.append(f"  {kind} {outcome.signature_id}（{outcome.signer}）：{state}{fingerprint}")
        for item in self.findings:
            expected = f"（应为：{item.expected}）" if item.expected else ""
            lines.append(f"  ✗ {item.element}：{item.problem}{expected}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (without file samples) for storing with the package or printing."""
        return {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "ok": self.ok,
            "findings": [asdict(finding) for finding in self.findings],
            "signatures": [asdict(outcome) for outcome in self.signatures],
        }


@functools.cache
def package_schema() -> etree.XMLSchema:
    """The shipped XSD, loaded once from the package data (never from the network)."""
    source = resources.files("archive.eep.schema").joinpath("eep-2009.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(source, hardened_parser()))


def verify_package(
    path: Path,
    *,
    progress: ProgressCallback | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    trusted_key_fingerprints: Collection[str] | None = None,
) -> VerifyReport:
    """Check everything that can be checked without outside knowledge; see the module docstring.

    ``trusted_key_fingerprints`` (SHA-256 of each SubjectPublicKeyInfo: the units' and the archive's
    registered keys) adds a finding for a valid signature made by any other key; ``progress(done, total)``
    is called with bytes read after each chunk.
    """
    try:
        scan = scan_package(path, limits=limits, progress=progress)
    except PackageRefused as exc:
        return VerifyReport(str(path), _size(path), (VerifyFinding("封装包", str(exc)),))
    return evaluate_scan(path, scan, trusted_key_fingerprints=trusted_key_fingerprints)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def evaluate_scan(
    path: Path, scan: PackageScan, *, trusted_key_fingerprints: Collection[str] | None = None
) -> VerifyReport:
    """Turn one finished scan into a report (shared by verify, extract, lock and revision)."""
    root = scan.root
    if root.tag != ns.q(ns.PACKAGE):
        expected = f"命名空间 {ns.EEP_NS} 中的 {ns.PACKAGE}（命名空间错误或不是 EEP）"
        finding = VerifyFinding("根元素", f"根元素是 {root.tag}", expected)
        return VerifyReport(str(path), scan.size, (finding,), sha256=scan.sha256)
    findings = _schema_findings(root)
    description = text(root, ns.PACKAGE_FORMAT_DESCRIPTION)
    if description is not None and description != ns.FORMAT_DESCRIPTION:
        # Outside every signature, so it must be the standard's sentence word for word.
        problem = f"封装包格式描述为 {description!r}，与 DA/T 48-2009 规定的说明不符"
        findings.append(VerifyFinding(ns.PACKAGE_FORMAT_DESCRIPTION, problem, ns.FORMAT_DESCRIPTION))
    metadata = read_metadata(root, scan.payloads)
    findings += _payload_findings(root, scan, skipped=set(DIGEST_ALGORITHMS) - set(scan.digest_algorithms))
    outcomes = _signature_outcomes(root, scan)
    for outcome in outcomes:
        label = ns.LOCK_SIGNATURE if outcome.is_lock else ns.SIGNATURE
        if not outcome.valid:
            findings.append(VerifyFinding(f"{label}[{outcome.signature_id}]", outcome.reason, "签名有效"))
        elif trusted_key_fingerprints is not None and outcome.key_fingerprint not in trusted_key_fingerprints:
            findings.append(
                VerifyFinding(
                    f"{label}[{outcome.signature_id}]",
                    f"签名有效，但签名密钥（指纹 {outcome.key_fingerprint[:16]}…）不在受信任的密钥中",
                    "由登记在册的单位或档案馆密钥签名",
                )
            )
    if not any(not outcome.is_lock for outcome in outcomes):
        findings.append(VerifyFinding(ns.SIGNATURE_BLOCK, "没有可核验的电子签名", "至少一个电子签名"))
    return VerifyReport(str(path), scan.size, tuple(findings), metadata, tuple(outcomes), scan.sha256)


def _schema_findings(root: etree._Element) -> list[VerifyFinding]:
    schema = package_schema()
    if schema.validate(root):
        return []
    return [
        VerifyFinding(error.path or "封装包", f"不符合封装包 XSD：{error.message}", "符合 eep-2009.xsd")
        for error in schema.error_log
    ]


def _payload_findings(root: etree._Element, scan: PackageScan, skipped: set[str]) -> list[VerifyFinding]:
    findings: list[VerifyFinding] = []
    encodings = list(root.iter(ns.q(ns.ENCODING)))
    if len(encodings) != len(scan.payloads):
        findings.append(
            VerifyFinding(ns.ENCODED_DATA, f"找到 {len(scan.payloads)} 段编码数据", f"{len(encodings)} 个编码各一段")
        )
    for encoding, payload in zip(encodings, scan.payloads, strict=False):
        name = text(encoding, ns.ELECTRONIC_ATTRIBUTES, ns.COMPUTER_FILE_NAME) or f"编码#{payload.index + 1}"
        where = f"{ns.ENCODING}[{name}]"
        if payload.error is not None:
            findings.append(VerifyFinding(f"{where}/{ns.ENCODED_DATA}", payload.error, "完整、合法的 Base64"))
            continue
        declared = text(encoding, ns.ELECTRONIC_ATTRIBUTES, ns.COMPUTER_FILE_SIZE)
        if declared != str(payload.size):
            findings.append(
                VerifyFinding(
                    f"{where}/{ns.COMPUTER_FILE_SIZE}",
                    f"编码数据解码后为 {payload.size} 字节，元数据写的是 {declared}",
                    "两者相等",
                )
            )
        actual = payload.digests()
        digests = encoding.findall(ns.q(ns.FILE_DIGEST))
        if not digests:
            findings.append(VerifyFinding(f"{where}/{ns.FILE_DIGEST}", "没有文件摘要", "SHA-256 或 SM3 摘要"))
        for node in digests:
            algorithm = node.get(ns.DIGEST_ALGORITHM_ATTR, "")
            expected = (node.text or "").strip()
            if algorithm in skipped:  # the caller chose not to recompute it (ReadLimits.digest_algorithms)
                continue
            if actual.get(algorithm) != expected:
                findings.append(
                    VerifyFinding(
                        f"{where}/{ns.FILE_DIGEST}[{algorithm}]",
                        f"解码后文件的 {algorithm} 摘要为 {actual.get(algorithm, '（不支持的算法）')}，与记录不符",
                        expected,
                    )
                )
    return findings


def _signature_outcomes(root: etree._Element, scan: PackageScan) -> list[SignatureOutcome]:
    """Check every 电子签名 against its sibling 被签名对象 and every 锁定签名 against its 电子签名."""
    signed_nodes = list(root.iter(ns.q(ns.SIGNED_OBJECT)))
    signature_nodes = list(root.iter(ns.q(ns.SIGNATURE)))
    signed_regions = scan.regions_named(ns.SIGNED_OBJECT)
    signature_regions = scan.regions_named(ns.SIGNATURE)
    outcomes: list[SignatureOutcome] = []
    for block in root.iter(ns.q(ns.SIGNATURE_BLOCK)):
        parent = block.getparent()
        target = parent.find(ns.q(ns.SIGNED_OBJECT)) if parent is not None else None
        index = signed_nodes.index(target) if target is not None else -1
        for signature in block.findall(ns.q(ns.SIGNATURE)):
            digest = signed_regions[index].sha256 if 0 <= index < len(signed_regions) else None
            outcomes.append(_outcome(signature, digest, text(signature, ns.SIGNATURE_ID), is_lock=False))
    for lock in root.iter(ns.q(ns.LOCK_SIGNATURE)):
        locked_id = text(lock, ns.LOCKED_SIGNATURE_ID) or ""
        parent = lock.getparent()
        siblings = parent.iterfind(f"{ns.q(ns.SIGNATURE_BLOCK)}/{ns.q(ns.SIGNATURE)}") if parent is not None else ()
        candidates = [node for node in siblings if text(node, ns.SIGNATURE_ID) == locked_id]
        digest = None
        if len(candidates) == 1:
            index = signature_nodes.index(candidates[0])
            digest = signature_regions[index].sha256 if index < len(signature_regions) else None
        outcomes.append(_outcome(lock, digest, locked_id, is_lock=True))
    return outcomes


def _outcome(node: etree._Element, digest: bytes | None, identifier: str | None, *, is_lock: bool) -> SignatureOutcome:
    signer = text(node, ns.SIGNER) or ""
    if digest is None:
        target = "被锁定签名标识符所指的电子签名" if is_lock else "被签名对象"
        return SignatureOutcome(identifier or "", signer, False, f"找不到签名所覆盖的{target}", "", is_lock)
    fields = SignatureFields(
        identifier=identifier or "",
        rule=text(node, ns.SIGNATURE_RULE) or "",
        time=text(node, ns.SIGNATURE_TIME) or "",
        signer=signer,
        algorithm=text(node, ns.SIGNATURE_ALGORITHM) or "",
        certificate_b64=text(node, ns.CERTIFICATE_BLOCK, ns.CERTIFICATE) or "",
    )
    check = check_signature(digest, fields, text(node, ns.SIGNATURE_VALUE) or "")
    return SignatureOutcome(identifier or "", signer, check.valid, check.reason, check.key_fingerprint, is_lock)
