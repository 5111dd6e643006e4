"""Memory stays flat whatever the attachment size: build and verify with 20 MB and 200 MB files.

Each size runs in its own interpreter so its peak resident set (VmHWM from /proc/self/status) is its
own. If the builder or reader held the file, the base64 text or the parsed payload anywhere, the
200 MB run would peak at least ~200 MB above the 20 MB one; streaming keeps the difference to noise.
The 1 GB variant, with throughput figures, is ``bench/archive_stream.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

WORKER = r"""
import datetime as dt, hashlib, json, sys, time
from pathlib import Path
from archive.eep.builder import build_package
from archive.eep.model import *
from archive.eep.signing import PackageSigner
from archive.eep.verify import verify_package

size_mb, folder = int(sys.argv[1]), Path(sys.argv[2])
attachment = folder / "录像.bin"
block = hashlib.sha256(b"seed").digest() * (1024 * 1024 // 32)
with attachment.open("wb") as out:
    for index in range(size_mb):
        out.write(index.to_bytes(4, "big") + block[4:])
tz = dt.timezone(dt.timedelta(hours=8))
pkg = PackageInput(
    created_by="象山县人民政府办公室", created_at=dt.datetime(2026, 11, 25, tzinfo=tz),
    file_entity=FileEntityMetadata("X-1", Origin("象山县人民政府"),
        ContentDescription("会议录像", "象政发〔2026〕9号", ("象山县人民政府",), dt.date(2026, 11, 1), "纪要")),
    documents=(PackageDocument("D-1", DocumentRole.MAIN, "录像", "录像.bin", "BIN", attachment),),
    business=(BusinessEntity("B-1", "P-1", "X-1", "归档", dt.datetime(2026, 11, 25, tzinfo=tz)),),
    agents=(AgentEntity("P-1", AgentType.PERSON, "王芳"),),
)
package = folder / "item.eep"
started = time.perf_counter()
with package.open("wb") as out:
    build_package(pkg, out, PackageSigner.generate("象山县人民政府办公室"))
built = time.perf_counter()
report = verify_package(package)
verified = time.perf_counter()
status = Path("/proc/self/status").read_text()
peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
print(json.dumps({"ok": report.ok, "findings": [f.problem for f in report.findings], "peak_kb": peak_kb,
                  "package_bytes": package.stat().st_size, "build_s": built - started, "verify_s": verified - built}))
"""


def run_worker(size_mb: int, folder: Path) -> dict[str, object]:
    folder.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", WORKER, str(size_mb), str(folder)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_peak_memory_does_not_grow_with_the_attachment_size(tmp_path: Path) -> None:
    small = run_worker(20, tmp_path / "20mb")
    large = run_worker(200, tmp_path / "200mb")
    assert small["ok"] and large["ok"], (small["findings"], large["findings"])
    assert int(str(large["package_bytes"])) > 200 * 1024 * 1024 * 4 // 3
    small_kb, large_kb = int(str(small["peak_kb"])), int(str(large["peak_kb"]))
    print(f"\npeak RSS: 20 MB attachment {small_kb / 1024:.0f} MiB, 200 MB attachment {large_kb / 1024:.0f} MiB")
    # Ten times the data may cost a little more (allocator noise), never a tenth of the extra data.
    assert large_kb - small_kb < 20 * 1024, f"20 MB: {small_kb} KiB, 200 MB: {large_kb} KiB"
