"""PDFium glyph boxes reshaped the way pdfminer shaped them (readers/pdf_geometry.py).

Each case is one the reader met in a real or fixture PDF: the expectations are the geometry a
line-and-cell finder needs, not numbers copied from the implementation.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.readers.pdf_geometry import _Glyph, _settle, _spaces, _trustworthy, join_surrogates
from gongkai.readers.pdf_grid import cut
from gongkai.readers.pdf_lines import Line, body_lines

EM = 12.0


def _loose(
    text: str, x: float, y: float = 700.0, descent: float = 1.44, width: float = EM
) -> _Glyph:
    """A glyph as PDFium's loose box gives it: from the origin, one advance wide."""
    return _Glyph(text, x, x + width, y - descent + EM, y - descent, x, y, EM, True)


def _space(x: float, y: float = 700.0) -> _Glyph:
    # PDFium's own space: zero width, at a point of its choosing, sometimes inside the next glyph.
    return _Glyph(" ", x, x, y, y, x, y, 1.0, False, generated=True)


def test_flat_glyph_with_an_ink_box_is_put_back_on_its_line() -> None:
    """Chromium's Type 3 一 came back as a 1.4-point ink box 5 points above the baseline, and was
    read as a line of its own."""
    line = [_loose("第", 100), _Glyph("一", 112.4, 123.7, 706.4, 705.0, 112.0, 700.0, EM, False)]
    line.append(_loose("项", 124))
    _settle(line)
    assert {(g.top, g.bottom) for g in line} == {(line[0].top, line[0].bottom)}
    assert line[1].left == 112.0 and line[1].right == 124.0  # origin to the next origin


def test_loose_boxes_pdfium_gets_wrong_are_not_trusted() -> None:
    """Word's vertical cell labels came back 199 points wide for a 10-point character (hongze),
    which put the label into the next column; Chromium's Type 3 一 came back as its ink box."""
    assert not _trustworthy((85.54, 284.54, 353.54, 154.54), 85.54, 9.95)
    assert not _trustworthy((81.42, 92.68, 627.13, 625.35), 81.0, EM)
    assert _trustworthy((403.56, 411.53, 605.64, 584.71), 403.56, 15.95)  # a tall digit: fine
    assert _trustworthy((81.0, 93.0, 730.98, 718.98), 81.0, EM)


def test_stand_in_box_runs_from_the_origin_one_em_tall() -> None:
    glyph = _Glyph("办", 86.0, 95.0, 177.0, 168.0, 85.5, 168.5, 9.95, False)  # its ink box
    _settle([glyph])
    assert glyph.left == 85.5 and abs(glyph.right - (85.5 + 9.95)) < 1e-9  # one em advance
    assert abs(glyph.top - glyph.bottom - 9.95) < 1e-9 and glyph.bottom < 168.5 < glyph.top


def test_one_line_in_two_fonts_gets_one_top() -> None:
    """Times New Roman digits have a deeper loose box than SimSun; uneven tops split lines."""
    line = [_loose("共", 100), _loose("2", 112, descent=4.2, width=6), _loose("件", 118)]
    _settle(line)
    assert len({round(g.top, 6) for g in line}) == 1
    assert len({round(g.bottom, 6) for g in line}) == 1


def test_generated_space_between_digits_is_kept_inside_the_gap() -> None:
    """ "6 0" in a table drawn as text: the space glyph is the only thing between the numbers, and
    PDFium places its own space inside the next digit."""
    six, zero = _loose("6", 100, width=6), _loose("0", 108.5, width=6)
    kept = _spaces([six, _space(109.0), zero])
    assert [g.text for g in kept] == ["6", " ", "0"]
    assert six.right <= kept[1].right and kept[1].left < zero.left


def test_generated_space_next_to_cjk_is_dropped() -> None:
    """LibreOffice widens the gap between 页 and 2000 and PDFium invents a space there; the
    source has none."""
    kept = _spaces([_loose("页", 100), _space(113.0), _loose("2", 114.4, width=6)])
    assert [g.text for g in kept] == ["页", "2"]


def test_generated_space_at_a_line_end_is_dropped() -> None:
    kept = _spaces([_loose("6", 100, width=6), _space(106.0), _loose("0", 50, y=680, width=6)])
    assert [g.text for g in kept] == ["6", "0"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from("一二三0123 ，、"),
            st.floats(0, 500),
            st.floats(0, 800),
            st.booleans(),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_every_settled_box_is_one_em_tall_and_not_inverted(
    specs: list[tuple[str, float, float, bool, bool]],
) -> None:
    glyphs = [
        _Glyph(t, x + 0.3, x + 5, y + 3, y + 1, x, y, EM, loose and not generated, generated)
        for t, x, y, loose, generated in specs
    ]
    real = [g for g in glyphs if not g.generated]
    _settle(real)
    kept = _spaces(glyphs)
    assert all(abs(g.top - g.bottom - EM) < 1e-9 and g.left <= g.right for g in real)
    assert all(g.left <= g.right for g in kept)


def _line_chars(*runs: tuple[str, float]) -> list[dict[str, float | str]]:
    """Characters 12 points wide, each run starting at its x."""
    return [
        {"text": ch, "x0": x + 12 * i, "x1": x + 12 * (i + 1)}
        for text, x in runs
        for i, ch in enumerate(text)
    ]


def test_a_line_of_a_table_without_rulings_is_cut_at_column_gaps() -> None:
    chars = _line_chars(("行政处罚", 50), ("30", 200), ("2", 300))
    assert [p.text for p in cut(chars, 1.5 * EM)] == ["行政处罚", "30", "2"]


def test_a_sentence_is_not_cut_at_a_word_gap() -> None:
    # "2023 年": LibreOffice's Asian/Western autospacing, about a quarter em.
    chars = _line_chars(("共受理", 50), ("2023", 86 + 3), ("件", 89 + 48 + 4))
    assert cut(chars, 1.5 * EM) == []


def test_a_lone_number_in_the_body_of_a_page_is_not_taken_for_a_page_number() -> None:
    """A table value that wrapped onto a line of its own was dropped as a page number."""
    page = [
        Line("表四", 50, 90, 100, 1),
        Line("0 1 0 0 1", 50, 300, 120, 1),
        Line("0", 50, 56, 140, 1),
        Line("五、存在的主要问题及改进情况", 50, 300, 160, 1),
        Line("- 3 -", 280, 320, 800, 1),
    ]
    assert [ln.text for ln in body_lines([page])] == [ln.text for ln in page[:4]]


def test_a_character_beyond_the_bmp_is_one_character() -> None:
    """PDFium gives 𠮷 (CJK Extension B, in place names) as two UTF-16 halves; unjoined they made
    unpaired surrogates that no JSON encoder accepts."""
    high, low = 0xD842, 0xDFB7
    assert join_surrogates([0x5409, high, low, 0x91CE]) == [(0, 0x5409), (1, 0x20BB7), (3, 0x91CE)]
    assert join_surrogates([high, 0x91CE]) == [(0, 0xFFFD), (1, 0x91CE)]
