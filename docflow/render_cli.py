"""`oa render`: lay a document out per GB/T 9704-2012 and write a PDF/A file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def cmd_render(args: argparse.Namespace) -> int:
    from docflow.render.cli import render_file
    from docflow.render.errors import RenderError

    source = Path(args.file)
    out = Path(args.output or source.with_suffix(".pdf"))
    try:
        render_file(source, out, os.environ, preview=args.preview)
    except RenderError as exc:
        print(f"无法排版 / cannot render {source}: {exc}", file=sys.stderr)
        return 1
    print(f"已生成 / written: {out}")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    render = sub.add_parser(
        "render", help="按 GB/T 9704-2012 排版为 PDF/A / render a document to PDF/A",
        description="Reads a JSON description of a document (see docflow/render/README.md) and writes a PDF/A-2b "
                    "file with the fonts embedded. Fonts come from OA_FONT_* (docs/configuration.md).")
    render.add_argument("file", metavar="DOCUMENT.json")
    render.add_argument("-o", "--output", help="输出 PDF（默认：同名 .pdf）")
    render.add_argument("--preview", action="store_true", help="预览稿（无发文字号，带“预览稿”标记）")
    render.set_defaults(func=cmd_render)
