"""整改通知: one Word letter per unit listing the findings it must correct, in the style of an
official notice (title, addressee, numbered items, sign-off) on the same page and fonts as the
rendered report (render/docx.py)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from gongkai.readers.numbering import chinese_numeral
from gongkai.render.docx import SERIF, setup_page, write_run, write_text, write_title

DEFAULT_ISSUER = "政府信息公开工作主管部门"


def _item(n: int, row: Mapping[str, Any]) -> str:
    report = f"{row.get('agency') or '（未识别发布机关）'}{row.get('year') or ''}年度报告"
    where = row.get("where") or "全文"
    return f"{chinese_numeral(n)}、{report}·{where}：{row.get('message', '')}"


def render_notice(
    unit: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    issuer: str,
    year: int | None = None,
    due: str | None = None,
) -> bytes:
    """The notice to `unit` for its open findings `rows` (corpus/findings_export.py records)."""
    document = Document()
    setup_page(document)
    period = f"{year}年度" if year else ""
    head = f"关于{period}政府信息公开工作年度报告存在问题的整改通知"
    document.core_properties.title = head
    document.core_properties.author = issuer
    write_title(document, head)
    write_text(document, f"{unit}：", indent=False)
    deadline = f"请于{due}前" if due else "请"
    write_text(
        document,
        f"经审查，你单位报送或发布的{period}政府信息公开工作年度报告存在以下 {len(rows)} "
        f"个问题，{deadline}对照原件逐项核实、整改，并将整改情况报送我单位。",
    )
    for n, row in enumerate(rows, 1):
        write_text(document, _item(n, row))
    for line in (issuer, "年    月    日"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        write_run(paragraph, line, 12, SERIF)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def notice_files(
    rows: Sequence[Mapping[str, Any]], *, issuer: str, year: int | None = None,
    due: str | None = None,
) -> dict[str, bytes]:  # fmt: skip
    """One notice per unit (a report attached to no unit: per agency), by file name."""
    by_unit: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_unit.setdefault(row.get("unit") or row.get("agency") or "未识别单位", []).append(row)
    return {
        f"整改通知-{_safe(unit)}.docx": render_notice(
            unit, items, issuer=issuer, year=year, due=due
        )
        for unit, items in sorted(by_unit.items())
    }


def _safe(name: str) -> str:
    """A file name from a unit's name: path separators and control characters replaced."""
    cleaned = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in name).strip(". ")
    return cleaned[:80] or "未命名"
