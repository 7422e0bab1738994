"""Helpers shared by the readers of laid-out documents (HTML, DOCX): span grids and cell text.

`expand` applies the HTML table model, reduced to what reports need: each source cell takes the
first free column of its row and covers `rowspan × colspan` positions. Every position gets a
`Slot`: the cell at its top-left corner (with its column interval), or a covered position, or
`None` for the padding of a short row. Readers turn covered positions and padding into empty
cells, because a text report leaves merged positions blank too and `extract/` reads cells by
position; the interval lets extract/align.py place a cell by the columns it spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

MAX_COLSPAN = 1000  # the HTML standard's own cap
MAX_CELLS = 250_000  # a report table has a few hundred; more is hostile or not a report


class GridTooLarge(ValueError):
    """The spans would make a grid larger than MAX_CELLS."""


def _height(row: int, rowspan: int, rows: int) -> int:
    # rowspan="0" means "to the end of the table"; spans past the last row are cut there.
    return rows - row if rowspan <= 0 else min(rowspan, rows - row)


@dataclass(frozen=True, slots=True)
class Slot(Generic[T]):
    """One grid position: the value of the cell whose top-left corner it is (`covered` False), or
    a position that cell covers (`covered` True, same value); `col`/`span` are the cell's columns."""

    value: T
    col: int
    span: int
    covered: bool = False


def expand(rows: Sequence[Sequence[tuple[T, int, int]]]) -> list[list[T | None]]:
    """`rows` of (value, rowspan, colspan) → a grid with each value once, at its top-left corner."""
    return [
        [s.value if s is not None and not s.covered else None for s in row] for row in slots(rows)
    ]


def slots(rows: Sequence[Sequence[tuple[T, int, int]]]) -> list[list[Slot[T] | None]]:
    """`rows` of (value, rowspan, colspan) → every position's Slot (None: padding)."""
    placed: list[dict[int, Slot[T] | None]] = [{} for _ in rows]
    width = budget = 0
    for r, row in enumerate(rows):
        col = 0
        for value, rowspan, colspan in row:
            while col in placed[r]:
                col += 1
            down, across = _height(r, rowspan, len(rows)), max(1, min(colspan, MAX_COLSPAN))
            budget += down * across
            if budget > MAX_CELLS:
                raise GridTooLarge(f"more than {MAX_CELLS} cells")
            covered = Slot(value, col, across, covered=True)
            for dr in range(down):
                for dc in range(across):
                    # Overlapping spans (bad markup) never displace a cell placed earlier.
                    placed[r + dr].setdefault(col + dc, covered)
            placed[r][col] = Slot(value, col, across)
            col += across
            width = max(width, col)
    if len(rows) * width > MAX_CELLS:
        raise GridTooLarge(f"more than {MAX_CELLS} cells")
    return [[cells.get(c) for c in range(width)] for cells in placed]


def join_lines(lines: Sequence[str]) -> str:
    """The lines of one table cell as one label: `本年新` + `制作数量` → 本年新制作数量.

    A cell wraps where the column is narrow, not where a word ends, so Chinese needs no space; a
    space is kept only between two Latin letters or digits, where it separated words.
    """
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if (
            out
            and out[-1].isascii()
            and out[-1].isalnum()
            and line[0].isascii()
            and line[0].isalnum()
        ):
            out += " "
        out += line
    return out


def lxml_etree() -> Any:
    """`lxml.etree`, imported on first use: only the HTML and DOCX readers need it."""
    from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

    return etree
