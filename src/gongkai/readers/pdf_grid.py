"""Tables without rulings: consecutive PDF lines cut at column gaps, put back on one grid.

A borderless table printed to PDF comes back as lines of pieces (pdf.py cuts a line where a gap is
a column wide). Each line alone loses its blank cells; a run of such lines shares its columns, so
the columns are found from where the numbers stand in every line of the run (intervals that
overlap are one column), and each piece is put in the column it lies over. A blank cell is then
an empty cell in its place, as in a ruled grid, instead of a cell that is not there.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.readers.charfix import fix_radicals

Row = Sequence["Piece"]
# A figure as the form writes one, unit included; "3.其他" is a label.
_NUMBER = re.compile(r"^[-+−]?\d[\d,]*(\.\d+)?\s*(万元|亿元|万|元|条|件|项|个|次|户|人|%)?$")
_MIN_RUN = 3  # lines: fewer share too little to place a column with confidence
_TOUCH = 1.0  # points: intervals this close belong to one column


def cut(chars: Sequence[dict[str, Any]], column_gap: float) -> list[Piece]:
    """A line's characters cut where a gap is at least `column_gap` wide, and in a line so cut
    also between two digits more than pdfplumber's 3-point word break apart ("0 0" standing in
    two narrow columns); [] for a line with no such gap, which is most of them. Within a piece a
    gap wider than 3 points is a space, as in the line's text."""
    if not any(b["x0"] - a["x1"] >= column_gap for a, b in itertools.pairwise(chars)):
        return []
    return _split(
        chars, lambda gap, a, b: gap >= column_gap or (gap > 3 and a.isdigit() and b.isdigit())
    )


def _split(chars: Sequence[dict[str, Any]], cuts: Callable[[float, str, str], bool]) -> list[Piece]:
    runs: list[list[dict[str, Any]]] = []
    for char in chars:
        before = runs[-1][-1] if runs else None
        if before is None or cuts(char["x0"] - before["x1"], before["text"], char["text"]):
            runs.append([char])
        else:
            runs[-1].append(char)
    return [_piece(run) for run in runs]


def _piece(run: list[dict[str, Any]]) -> Piece:
    text = run[0]["text"]
    for before, char in itertools.pairwise(run):
        text += (" " if char["x0"] - before["x1"] > 3 else "") + char["text"]
    return Piece(fix_radicals(text).strip(), run[0]["x0"], run[-1]["x1"])


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    x0: float
    x1: float

    @property
    def numeric(self) -> bool:
        return bool(_NUMBER.match(self.text))


def _spans(rows: Sequence[Sequence[Piece]]) -> list[tuple[float, float, int]]:
    """Overlapping extents of the numbers merged, left to right, with how many made each."""
    merged: list[tuple[float, float, int]] = []
    for x0, x1 in sorted((p.x0, p.x1) for row in rows for p in row if p.numeric):
        if merged and x0 <= merged[-1][1] + _TOUCH:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], x1), last[2] + 1)
        else:
            merged.append((x0, x1, 1))
    return merged


def runs(segments: Sequence[tuple[Sequence[Row], bool]]) -> list[list[Row]]:
    """Consecutive segments of cut lines joined into tables. A segment is (rows, joinable): the
    lines between it and the one before are only short wrapped labels on the same page. A
    segment with numbers joins the table before it when their numbers stand in the same columns
    (joined, they make no more columns than the wider of the two); a segment without numbers is
    a header, and starts a table or extends a header."""
    tables: list[list[Row]] = []
    for rows, joinable in segments:
        joins = (
            bool(tables)
            and joinable
            and (not _spans(tables[-1]) or (bool(_spans(rows)) and _same_columns(tables[-1], rows)))
        )
        if joins:
            tables[-1].extend(rows)
        else:
            tables.append(list(rows))
    return tables


def _same_columns(a: Sequence[Sequence[Piece]], b: Sequence[Sequence[Piece]]) -> bool:
    return len(_spans([*a, *b])) == max(len(_spans(a)), len(_spans(b)))


def value_columns(rows: Sequence[Sequence[Piece]]) -> list[tuple[float, float]]:
    """Value columns: the union of overlapping extents of the numbers, left to right. A column
    needs two numbers or a header word above it: a lone number between two columns makes none,
    and then that number has no place (see _place)."""
    words = [p for row in rows if not any(q.numeric for q in row) for p in row]
    return [
        (x0, x1)
        for x0, x1, count in _spans(rows)
        if count >= 2 or any(_overlap(w, (x0, x1)) > 0 for w in words)
    ]


def _overlap(piece: Piece, column: tuple[float, float]) -> float:
    return min(piece.x1, column[1]) - max(piece.x0, column[0])


def _place(row: Sequence[Piece], columns: list[tuple[float, float]]) -> tuple[str, ...] | None:
    """(label, one cell per column) for a row; None when a piece has no single place: between
    two columns, a label after the numbers began, or two pieces over one column. A header row
    (no numbers) may have words over the columns; a data row only numbers and short marks."""
    header = not any(p.numeric for p in row)
    label: list[str] = []
    cells = [""] * len(columns)
    for piece in row:
        best = max(range(len(columns)), key=lambda k: _overlap(piece, columns[k]))
        if _overlap(piece, columns[best]) > 0:
            if cells[best] or not (header or piece.numeric or len(piece.text) <= 2):
                return None
            cells[best] = piece.text
        elif not piece.numeric and piece.x1 <= columns[0][0] and not any(cells):
            label.append(piece.text)
        elif not header or piece.numeric:
            return None
    return (" ".join(label), *cells)


def grid(rows: Sequence[Sequence[Piece]]) -> list[tuple[str, ...]] | None:
    """The rows on one grid (label cell first), when every row places without doubt; else None,
    and the rows stay as they were read (pieces only, blanks lost, said so downstream)."""
    data = [row for row in rows if any(p.numeric for p in row)]
    if len(rows) < _MIN_RUN or len(data) < 2:
        return None
    columns = value_columns(rows)
    if len(columns) < 2:
        return None
    placed = [_place(row, columns) for row in rows]
    return None if any(p is None for p in placed) else [p for p in placed if p is not None]
