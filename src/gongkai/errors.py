"""A small typed hierarchy of user-facing errors.

Every error names the file and the reason in plain Chinese, so a batch can print one line per bad
file and go on with the next one.
"""

from __future__ import annotations


class GongkaiError(Exception):
    """Base class: `str(err)` is the one line shown to the user."""

    reason = "无法处理"

    def __init__(self, path: str, detail: str = "") -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"{path}: {self.reason}" + (f"（{detail}）" if detail else ""))


class UnreadableInput(GongkaiError):
    """The bytes could not be read or decoded."""

    reason = "无法读取文件"


class UnsupportedFormat(GongkaiError):
    """The format is recognised but not (yet) supported, or not recognised at all."""

    reason = "不支持的文件格式"


class NotAReport(GongkaiError):
    """The file reads fine but holds no 政府信息公开工作年度报告 tables."""

    reason = "不是政府信息公开工作年度报告"


# What a scan gets without the OCR extra: said once, for images and scanned PDFs alike.
OCR_MISSING = "扫描件：未安装 OCR 组件（pip install 'gongkai[ocr]'）"
