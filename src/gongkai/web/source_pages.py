"""Where a cell came from, shown: its place in words (第2页, 第3张表 第5行 第2列) and, for a PDF,
the page it was read from as an image, the cell's box drawn over it by the template (SVG).

The corpus keeps a report's path, not its bytes: the page is rendered from the file where it was
ingested, in a watchdog child (sandbox.stored_page) that checks the file still holds what was
ingested. Without the file the page and the box are still given, with the reason in Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gongkai.model.labels import source_place
from gongkai.model.report import CellSource, Report
from gongkai.web.sandbox import run_limited, stored_page

SCALE = 2.0  # pixels per point: 144 dpi, a table's figures read sharply on screen
# A page renders in about 0.1 s; the PDF guard bounds its drawing work, this bounds the rest.
RENDER_TIME_LIMIT_S = 20.0


def places_of(report: Report) -> dict[str, str]:
    """Every cell path with a source → where it stands there, in words."""
    reader = report.source.reader if report.source else None
    return {path: source_place(src, reader) for path, src in report.provenance.items()}


def has_page(row: Mapping[str, Any], src: CellSource | None) -> bool:
    """Whether the cell was read from a PDF page with a box: then its page can be shown."""
    return src is not None and row["reader"] == "pdf" and src.page is not None and bool(src.bbox)


def _present(source_path: str) -> bool:
    """Whether the file (or the archive holding it) is still where it was ingested."""
    if Path(source_path).is_file():
        return True
    archive, bang, _member = source_path.partition("!")
    return bool(bang) and Path(archive).is_file()


def unavailable(row: Mapping[str, Any]) -> str | None:
    """Why the report's pages cannot be shown as images, found without opening the file."""
    if row["reader"] != "pdf":
        return "原文件不是 PDF，没有页面图像"
    if not _present(row["source_path"]):
        return f"原文件已不在 {row['source_path']}（已移动、改名或删除），无法显示页面图像"
    return None


def page_frame(row: Mapping[str, Any], page: int) -> tuple[list[float] | None, str | None]:
    """(the page's box as shown, in the frame of the cells' boxes; None and why not)."""
    reason = unavailable(row)
    if reason is not None:
        return None, reason
    box, reason = _in_child(row, page, None)
    return (None if box is None else list(box)), reason


def page_png(row: Mapping[str, Any], page: int, scale: float = SCALE) -> tuple[bytes | None, str]:
    """(the page as a PNG; None and why not)."""
    reason = unavailable(row)
    if reason is not None:
        return None, reason
    png, reason = _in_child(row, page, scale)
    return png, reason or ""


def _in_child(row: Mapping[str, Any], page: int, scale: float | None) -> tuple[Any, str | None]:
    path = row["source_path"]
    outcome = run_limited(
        stored_page, path, row["sha256"], page, scale, label=path, time_limit=RENDER_TIME_LIMIT_S
    )
    if outcome.error is not None:
        return None, outcome.error
    value, reason = outcome.value
    return value, reason
