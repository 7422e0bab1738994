"""Numbers read by OCR: an arithmetic failure says it may be a misreading, not only an error."""

from __future__ import annotations

from gongkai.model.report import Source
from gongkai.validate import check

from rulekit import clean, only, set_row


def _broken(ocr: bool) -> list[str]:
    report = set_row(clean("2021"), "received", [1, 0, 0, 0, 0, 0, 2])
    report.source = Source(file="scan.pdf", sha256="0" * 64, format="pdf", ocr=ocr or None)
    return [f.message for f in only(check(report), "T3_ROW_SUM")]


def test_ocr_report_arithmetic_finding_asks_to_check_the_scan_first() -> None:
    messages = _broken(ocr=True)
    assert messages and all("识别错误" in m for m in messages)


def test_text_layer_report_arithmetic_finding_has_no_ocr_caveat() -> None:
    messages = _broken(ocr=False)
    assert messages and not any("识别错误" in m for m in messages)
