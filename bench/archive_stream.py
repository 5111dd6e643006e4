"""Benchmark: EEP package build and verify throughput against a raw stream of the same bytes.

    .venv/bin/python bench/archive_stream.py                 # 1 GiB attachment, 2 rounds
    .venv/bin/python bench/archive_stream.py --size-mb 200 --rounds 3

Each measurement runs in a fresh interpreter (so its peak RSS, VmHWM, is its own), alternating the
raw baseline and ours per round (performance.md: compare only figures from the same run, report ratios).

- raw build: lxml ``xmlfile`` writing one element whose text is the base64 of the file, 3 MiB chunks,
  with SHA-256 of the raw bytes: the least any streaming EEP writer must do.
- raw build + SM3: the same with the SM3 digest too (our packages carry both; SM3 is the slowest step).
- ours build: ``archive.eep.builder.build_package`` (skeleton, base64, SHA-256 + SM3, signed-region hash,
  ECDSA signature).
- raw verify: read the raw file, base64-decode and SHA-256 the payload (+ SM3: the same with SM3).
- ours verify: ``archive.eep.verify.verify_package`` (hardened scan, XSD, base64, SHA-256 + SM3, size,
  signature). Throughput is attachment MB per second; the target is ≥ 0.6 of raw with memory flat.
"vs raw" divides by the plain raw step (no SM3); the +sm3 rows show how much of the gap is SM3 alone.
- ours verify-sha: the same, recomputing only the SHA-256 file digests (``ReadLimits.digest_algorithms``).
"""

from __future__ import annotations

import argparse
import binascii
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHUNK = 3 * 1024 * 1024


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_attachment(path: Path, size_mb: int) -> None:
    block = hashlib.sha256(b"bench").digest() * (1024 * 1024 // 32)
    with path.open("wb") as out:
        for index in range(size_mb):
            out.write(index.to_bytes(4, "big") + block[4:])


def raw_build(source: Path, target: Path, with_sm3: bool) -> None:
    from lxml import etree

    sha = hashlib.sha256()
    sm3 = hashlib.new("sm3") if with_sm3 else None
    with (
        source.open("rb") as stream,
        target.open("wb") as out,
        etree.xmlfile(out, encoding="utf-8") as xf,
        xf.element("{urn:raw}package", nsmap={None: "urn:raw"}),
    ):
        with xf.element("{urn:raw}data"):
            while chunk := stream.read(CHUNK):
                sha.update(chunk)
                if sm3 is not None:
                    sm3.update(chunk)
                xf.write(binascii.b2a_base64(chunk, newline=False).decode("ascii"))
                xf.flush()  # without it lxml buffers the text and memory grows with the file
        with xf.element("{urn:raw}sha256"):
            xf.write(sha.hexdigest())


def raw_verify(target: Path, with_sm3: bool) -> None:
    sha = hashlib.sha256()
    sm3 = hashlib.new("sm3") if with_sm3 else None
    carry = b""
    with target.open("rb") as stream:
        head = stream.read(4096)
        start = head.index(b">", head.index(b"<data")) + 1
        stream.seek(start)
        while chunk := stream.read(4 * 1024 * 1024):
            end = chunk.find(b"<")
            data = carry + (chunk if end < 0 else chunk[:end])
            usable = len(data) - len(data) % 4
            decoded = binascii.a2b_base64(data[:usable], strict_mode=True)
            sha.update(decoded)
            if sm3 is not None:
                sm3.update(decoded)
            carry = data[usable:]
            if end >= 0:
                break


def ours_build(source: Path, target: Path) -> None:
    import datetime as dt

    from archive.eep.builder import build_package
    from archive.eep.model import (
        AgentEntity,
        AgentType,
        BusinessEntity,
        ContentDescription,
        DocumentRole,
        FileEntityMetadata,
        Origin,
        PackageDocument,
        PackageInput,
    )
    from archive.eep.signing import PackageSigner

    tz = dt.timezone(dt.timedelta(hours=8))
    description = ContentDescription(
        "县政府常务会议录像", "象政发〔2026〕9号", ("象山县人民政府",), dt.date(2026, 11, 1), "纪要"
    )
    pkg = PackageInput(
        created_by="象山县人民政府办公室",
        created_at=dt.datetime(2026, 11, 25, tzinfo=tz),
        file_entity=FileEntityMetadata("X-1", Origin("象山县人民政府"), description),
        documents=(PackageDocument("D-1", DocumentRole.MAIN, "录像", "录像.bin", "BIN", source),),
        business=(BusinessEntity("B-1", "P-1", "X-1", "归档", dt.datetime(2026, 11, 25, tzinfo=tz)),),
        agents=(AgentEntity("P-1", AgentType.PERSON, "王芳"),),
    )
    with target.open("wb") as out:
        build_package(pkg, out, PackageSigner.generate("象山县人民政府办公室"))


def ours_verify(target: Path, algorithms: tuple[str, ...]) -> None:
    from archive.eep.reader import ReadLimits
    from archive.eep.verify import verify_package

    limits = ReadLimits(max_package_bytes=1 << 40, digest_algorithms=algorithms)
    report = verify_package(target, limits=limits)
    if not report.ok:
        raise SystemExit(f"verification failed: {report.findings}")


def run_step(step: str, source: Path, workdir: Path) -> dict[str, float]:
    """Child process: one timed step, printed as JSON."""
    started = time.perf_counter()
    if step == "raw-build":
        raw_build(source, workdir / "raw.xml", with_sm3=False)
    elif step == "raw-build+sm3":
        raw_build(source, workdir / "raw-sm3.xml", with_sm3=True)
    elif step == "ours-build":
        ours_build(source, workdir / "item.eep")
    elif step == "raw-verify":
        raw_verify(workdir / "raw.xml", with_sm3=False)
    elif step == "raw-verify+sm3":
        raw_verify(workdir / "raw.xml", with_sm3=True)
    elif step == "ours-verify":
        ours_verify(workdir / "item.eep", ("SHA-256", "SM3"))
    elif step == "ours-verify-sha":
        ours_verify(workdir / "item.eep", ("SHA-256",))
    else:
        raise SystemExit(f"unknown step {step}")
    return {"seconds": time.perf_counter() - started, "peak_mib": peak_rss_mib()}


def spawn(step: str, source: Path, workdir: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--step", step, "--source", str(source), "--workdir", str(workdir)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"step {step} failed:\n{result.stdout}\n{result.stderr}")
    data: dict[str, float] = json.loads(result.stdout)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--step")
    parser.add_argument("--source", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.source, args.workdir)))
        return
    steps = [
        "raw-build",
        "raw-build+sm3",
        "ours-build",
        "raw-verify",
        "raw-verify+sm3",
        "ours-verify",
        "ours-verify-sha",
    ]
    results: dict[str, list[dict[str, float]]] = {step: [] for step in steps}
    with tempfile.TemporaryDirectory(prefix="eep-bench-") as folder:
        workdir = Path(folder)
        source = workdir / "attachment.bin"
        make_attachment(source, args.size_mb)
        for _ in range(args.rounds):
            for step in steps:  # alternating raw and ours within each round
                results[step].append(spawn(step, source, workdir))
        package_mb = (workdir / "item.eep").stat().st_size / 1e6
    size = args.size_mb * 1024 * 1024 / 1e6
    print(f"# EEP streaming benchmark: {args.size_mb} MiB attachment ({size:.0f} MB), package {package_mb:.0f} MB")
    print(f"# python {platform.python_version()}, nproc {os.cpu_count()}, rounds {args.rounds}, median figures")
    print(f"# command: {' '.join(sys.argv)}")
    print(f"{'step':<16}{'MB/s':>10}{'vs raw':>10}{'peak RSS MiB':>15}")
    baseline = {"build": "raw-build", "verify": "raw-verify"}
    medians = {step: size / statistics.median(r["seconds"] for r in runs) for step, runs in results.items()}
    for step, runs in results.items():
        raw = medians[baseline["verify" if "verify" in step else "build"]]
        peak = max(r["peak_mib"] for r in runs)
        print(f"{step:<16}{medians[step]:>10.1f}{medians[step] / raw:>10.2f}{peak:>15.0f}")


if __name__ == "__main__":
    main()
