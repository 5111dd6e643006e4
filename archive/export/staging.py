"""Outputs appear whole or not at all.

Every writer builds its directory or zip under a hidden sibling name and renames it into place only after
the last byte is written, so an interrupted or failed export never leaves something that looks like a
finished batch; and an existing output is never overwritten (an export is a record of what was handed over).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from pathlib import Path

from archive.export.errors import ExportTargetExists
from archive.export.streams import remove_tree


@contextlib.contextmanager
def staged_output(final: Path) -> Iterator[Path]:
    """Yield a temporary path next to `final`; on success rename it to `final`, on error remove it."""
    if final.exists():
        raise ExportTargetExists(f"输出 {final} 已存在；移交导出不会覆盖已有文件，请换一个目录或先移走旧文件")
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.parent / f".{final.name}.partial-{secrets.token_hex(4)}"
    try:
        yield partial
        # rename() is atomic within one directory: that is why the partial output lives beside the final one.
        partial.rename(final)
    except BaseException:
        remove_tree(partial)
        raise
