"""The fixity audit (`oa archive audit`): every package the catalogue records is re-read and re-verified.

For each recorded package: the file must exist, its SHA-256 and size must equal the record, and the package must
still verify (schema, every file's SHA-256 and SM3 digests, the unit's 电子签名 and the archive's 锁定签名). Any
difference is damage, reported with the item, the file and the reason. Blocking I/O per package: the async driver
hands each check to a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from archive.eep.verify import verify_package
from archive.keeping.models import ArchiveItem, ArchivePackage
from archive.keeping.store import PackageStore, file_digest


@dataclass(frozen=True)
class Damage:
    item_id: int
    package_id: int
    label: str  # 档号, or the title while the item has none
    file_name: str
    reasons: tuple[str, ...]


@dataclass
class FixityReport:
    checked: int = 0
    damaged: list[Damage] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.damaged

    def to_text(self) -> str:
        if self.ok:
            return f"✓ 档案存储完好 / archive intact: {self.checked} 个封装包已复核 / packages re-verified"
        lines = [f"✗ 发现 {len(self.damaged)} 个封装包损坏 / {len(self.damaged)} DAMAGED of {self.checked} packages:"]
        for damage in self.damaged:
            lines.append(f"  - 条目 {damage.item_id}（{damage.label}）封装包 {damage.package_id} {damage.file_name}:")
            lines += [f"      {reason}" for reason in damage.reasons]
        return "\n".join(lines)


def package_problems(store: PackageStore, sha256: str, size: int) -> list[str]:
    path = store.path_of(sha256)
    if not path.is_file():
        return [f"文件不存在：{path}"]
    actual_sha256, actual_size = file_digest(path)
    problems = []
    if actual_size != size:
        problems.append(f"大小不符：登记 {size} 字节，现为 {actual_size} 字节")
    if actual_sha256 != sha256:
        problems.append(f"SHA-256 不符：登记 {sha256}，现为 {actual_sha256}")
    report = verify_package(path)
    problems += [f"{f.element}：{f.problem}" for f in report.findings]
    problems += [f"签名 {s.signature_id}（{s.signer}）无效：{s.reason}" for s in report.signatures if not s.valid]
    return problems


async def audit_packages(session: AsyncSession, store: PackageStore,
                         progress: Callable[[int, int], None] | None = None) -> FixityReport:
    rows = (await session.execute(
        select(ArchivePackage, ArchiveItem.archival_code, ArchiveItem.title)
        .join(ArchiveItem, ArchiveItem.id == ArchivePackage.item_id).order_by(ArchivePackage.id))).tuples().all()
    report = FixityReport()
    for index, (package, code, title) in enumerate(rows, start=1):
        problems = await to_thread.run_sync(package_problems, store, package.sha256, package.size)
        report.checked += 1
        if problems:
            report.damaged.append(Damage(package.item_id, package.id, code or title, f"{package.sha256}.eep",
                                         tuple(problems)))
        if progress is not None:
            progress(index, len(rows))
    return report
