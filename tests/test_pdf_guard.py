"""A PDF's drawing work is bounded before PDFium loads a page (readers/pdf_guard.py)."""

from __future__ import annotations

import pytest

import hostile
from gongkai.api import parse_bytes
from gongkai.errors import UnreadableInput
from gongkai.readers.pdf_guard import MAX_PAGE_OPERATIONS, check_drawing_work

from conftest import SHARED


def test_a_form_that_draws_itself_is_refused_by_page() -> None:
    with pytest.raises(UnreadableInput, match="第 1 页的图形对象（XObject）引用自身"):
        parse_bytes(hostile.self_drawing_pdf(), "loop.pdf")


def test_a_fan_out_of_forms_is_counted_as_drawn() -> None:
    """Ten draws of a form of ten draws …: each form is small, the page is 10^7 operations."""
    with pytest.raises(UnreadableInput, match=f"绘图操作超过 {MAX_PAGE_OPERATIONS:,} 个"):
        parse_bytes(hostile.fan_out_pdf(), "fan.pdf")


def test_a_page_of_millions_of_operations_is_refused() -> None:
    with pytest.raises(UnreadableInput, match="第 1 页的绘图操作超过"):
        parse_bytes(hostile.many_operations_pdf(), "ops.pdf")


def test_a_shallow_fan_out_within_the_limit_is_read_on() -> None:
    check_drawing_work(hostile.fan_out_pdf(depth=3, width=10), "small.pdf")  # 100 draws: fine


@pytest.mark.parametrize("name", ["hongze-2023.pdf", "hongze-2024.pdf", "huaian-2024.pdf"])
def test_published_reports_are_within_the_limits(name: str) -> None:
    check_drawing_work((SHARED / "samples" / name).read_bytes(), name)


def test_an_image_too_large_is_refused_from_its_header() -> None:
    """12000×12000 took 2 GB and 46 s to decode before; the header says enough."""
    pytest.importorskip("PIL")
    pytest.importorskip("numpy")
    from gongkai.readers.ocr import read_image

    with pytest.raises(UnreadableInput, match="12000×12000 像素"):
        read_image(hostile.huge_png(), "huge.png")
