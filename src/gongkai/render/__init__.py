"""Renderings of the canonical model: terminal tables, and documents in the official layout.

`render(report, fmt)` is the one entry point for documents. Each format's module is imported only
when asked for, so `gongkai parse` never loads python-docx, openpyxl or WeasyPrint.
"""

from __future__ import annotations

import json
from importlib import import_module
from typing import Literal, get_args

from gongkai.model.report import Report

Format = Literal["html", "docx", "xlsx", "pdf", "md", "json"]
FORMATS: tuple[str, ...] = get_args(Format)
EXTENSIONS: dict[str, str] = {fmt: f".{fmt}" for fmt in FORMATS}
BINARY = frozenset({"docx", "xlsx", "pdf"})


_RENDERERS = {
    "html": ("gongkai.render.html", "render_html"),
    "md": ("gongkai.render.markdown", "render_markdown"),
    "docx": ("gongkai.render.docx", "render_docx"),
    "xlsx": ("gongkai.render.xlsx", "render_xlsx"),
    "pdf": ("gongkai.render.pdf", "render_pdf"),
}


def render(report: Report, fmt: str) -> bytes | str:
    """The report as `fmt`: bytes for docx/xlsx/pdf, text for html/md/json."""
    if fmt == "json":
        return json.dumps(report.to_json(), ensure_ascii=False, indent=1) + "\n"
    if fmt not in _RENDERERS:
        raise ValueError(f"不支持的输出格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    module, name = _RENDERERS[fmt]
    result: bytes | str = getattr(import_module(module), name)(report)
    return result


__all__ = ["BINARY", "EXTENSIONS", "FORMATS", "Format", "render"]
