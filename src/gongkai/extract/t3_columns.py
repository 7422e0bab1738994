"""Table 3's columns: where the header puts them, and how a data row is read into seven.

A grid that keeps its columns (HTML, DOCX, ruled PDF) is read by the header's column intervals
(align.py); other rows are fitted (fit.py). Some third-party templates add a 法人或其他组织小计 column before 总计
(FORMAT.md §2.5): the header declares it, so it is left out by position or, in drifting text, as
the seventh of exactly eight numbers — the header's order says which one it is, nothing is guessed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from gongkai.extract.align import Aligned, Candidates, Column, align, column, has_geometry
from gongkai.extract.fit import Fit, fit
from gongkai.extract.normalize import norm
from gongkai.extract.values import Cell
from gongkai.model.keys import T3_COLUMNS

WIDTH = 7
_ORGS = slice(1, 6)  # 商业企业 … 其他: what a 法人或其他组织小计 adds up
_ORG_NAMES = frozenset(T3_COLUMNS[_ORGS])


@dataclass(slots=True)
class T3Row:
    labels: list[Cell]
    values: list[Cell]
    line: int | None
    cells: list[Cell] = field(default_factory=list)  # the whole row, for header alignment
    fixed: bool = True  # the source keeps cells in their columns (see TableRow.shifting)
    frame: int | None = None  # the frame of the cells' intervals (readers/raw.py)

    @property
    def has_values(self) -> bool:
        return any(not c.empty for c in self.values)

    def label_text(self) -> str:
        return "".join(c.text for c in self.labels)


def total(values: Sequence[int | float | None]) -> int | float:
    return sum(v for v in values if v is not None)


def row_sum_ok(values: Sequence[int | float | None]) -> bool:
    return None not in values and total(values[:6]) == values[6]


_COLUMN_KEYS: dict[str, str] = {name: name for name in T3_COLUMNS}
ORG_SUBTOTAL = "法人或其他组织小计"


@dataclass(frozen=True, slots=True)
class Layout:
    # The header's columns by interval (align.py), when every one of the seven is named once in
    # one frame; the 法人或其他组织小计 column among them when the header has one.
    columns: tuple[Column, ...] | None
    frame: int | None = None
    # Where the header puts a 法人或其他组织小计 column among a row's eight numbers (自然人 = 0,
    # so 6 when it sits between 其他 and 总计); None when it declares none.
    org_subtotal: int | None = None
    # The columns each cell interval falls under, met so far (align.py): a table's rows share
    # their intervals, so each is worked out once.
    memo: dict[tuple[float, float], Candidates] = field(default_factory=dict, compare=False)


def _column_key(text: str) -> str | None:
    key = norm(text)
    return _COLUMN_KEYS.get(key) or (ORG_SUBTOTAL if key.endswith("小计") else None)


def _header_columns(header: Sequence[T3Row]) -> tuple[tuple[Column, ...] | None, int | None]:
    """(the header's columns, their frame) when its cells name each column once with an
    interval, all in one frame; else (None, None)."""
    header = [row for row in header if row.cells]  # paragraphs (a heading) hold no columns
    frames = {row.frame for row in header}
    if len(frames) != 1 or None in frames or any(not row.fixed for row in header):
        return None, None
    found: dict[str, list[Column]] = {}
    for row in header:
        for cell in row.cells:
            key = _column_key(cell.text) if not cell.src.covered else None
            col = column(key, cell) if key is not None else None
            if col is not None:
                found.setdefault(key or "", []).append(col)
    if any(len(found.get(name, [])) != 1 for name in T3_COLUMNS):
        return None, None
    if len(found.get(ORG_SUBTOTAL, [])) > 1:
        return None, None
    columns = [cols[0] for cols in found.values()]
    return tuple(sorted(columns, key=lambda c: c.x0)), frames.pop()


def _org_offset(header: Sequence[T3Row]) -> int | None:
    """The 小计 column's place among the eight numbers, from the order of the header row that
    holds it: one after 自然人 for each organisation column named before it."""
    for row in header:
        texts = [norm(c.text) for c in row.cells if norm(c.text)]
        at = next((i for i, t in enumerate(texts) if t.endswith("小计")), None)
        if at is not None:
            return 1 + sum(t in _ORG_NAMES for t in texts[:at])
    return None


def layout(rows: Sequence[T3Row]) -> Layout:
    header = list(itertools.takewhile(lambda row: not row.has_values, rows))
    columns, frame = _header_columns(header)
    return Layout(columns, frame, _org_offset(header))


def aligned(row: T3Row, shape: Layout) -> Aligned | None:
    """The row's cells under the header's columns (align.py), when the row has intervals in the
    header's frame; None otherwise."""
    if shape.columns is None or row.frame != shape.frame or not row.fixed:
        return None
    return align(shape.columns, row.cells, shape.memo)


def blank_row(row: T3Row, shape: Layout) -> bool:
    """Whether the row has an empty cell of its own under each of the header's columns."""
    if shape.columns is None or row.frame != shape.frame or not row.fixed:
        return False
    empty = [c for c in row.cells if c.empty and not c.src.covered and has_geometry(c)]
    return all(
        any(min(c.src.x1 or 0, col.x1) - max(c.src.x0 or 0, col.x0) > 0 for c in empty)
        for col in shape.columns
    )


def _by_columns(placed: Aligned) -> Fit:
    cells = tuple(placed.cells[name] for name in T3_COLUMNS)
    return Fit(cells, "ok" if placed.ok else "ambiguous", sum(c is not None for c in cells))


def _numbers(row: T3Row) -> list[int]:
    return [i for i, c in enumerate(row.values) if not c.empty]


def fitted(row: T3Row, shape: Layout) -> Fit:
    """A row that does not line up with the header: fitted, without its 小计 when the header
    declares one. Eight numbers lose the one at the 小计's place; seven are the form's seven
    only if they add up, since a lost blank and a 小计 would also make seven."""
    values, numbers = row.values, _numbers(row)
    if shape.org_subtotal is not None and len(numbers) == WIDTH + 1:
        values = [c for i, c in enumerate(values) if i != numbers[shape.org_subtotal]]
    read = fit(values, WIDTH, row_sum_ok)
    if shape.org_subtotal is not None and len(numbers) == WIDTH and not row_sum_ok(read.values):
        return Fit((None,) * WIDTH, "ambiguous", WIDTH)
    return read


def read(row: T3Row, shape: Layout) -> tuple[Fit, Aligned | None]:
    """(the row's seven values, the alignment that gave them when the header's columns did)."""
    placed = aligned(row, shape)
    if placed is None:
        return fitted(row, shape), None
    fit = _by_columns(placed)
    return (fit if placed.ok else Fit((None,) * WIDTH, "ambiguous", fit.seen)), placed


def _org_cell(row: T3Row, shape: Layout) -> Cell | None:
    placed = aligned(row, shape)
    if placed is not None:
        return placed.cells.get(ORG_SUBTOTAL)
    numbers = _numbers(row)
    if shape.org_subtotal is None or len(numbers) != WIDTH + 1:
        return None
    return row.values[numbers[shape.org_subtotal]]


def _org_disagrees(row: T3Row, shape: Layout) -> bool:
    cell = _org_cell(row, shape) if row.has_values else None
    if cell is None or cell.value is None:
        return False
    parts = read(row, shape)[0].values[_ORGS]
    return None not in parts and total(parts) != cell.value


def org_subtotal_message(rows: Sequence[T3Row], shape: Layout) -> str | None:
    """What to say about a 法人或其他组织小计 column: that it was left out, and the rows whose
    小计 is not 商业企业 + … + 其他."""
    if shape.org_subtotal is None:
        return None
    wrong = [row.label_text() or "某行" for row in rows if _org_disagrees(row, shape)]
    message = "表三有官方格式没有的“法人或其他组织小计”列，已按表头略去该列"
    if wrong:
        message += f"；其中{'、'.join(wrong)}的小计与商业企业至其他五类之和不一致"
    return message
