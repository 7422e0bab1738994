"""Table 3's columns: where the header puts them, and how a data row is read into seven.

A grid that keeps its columns (HTML, DOCX, ruled PDF) is read by the header's positions; other rows
are fitted (fit.py). Some third-party templates add a 法人或其他组织小计 column before 总计
(FORMAT.md §2.5): the header declares it, so it is left out by position or, in drifting text, as
the seventh of exactly eight numbers — the header's order says which one it is, nothing is guessed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

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

    @property
    def has_values(self) -> bool:
        return any(not c.empty for c in self.values)

    def label_text(self) -> str:
        return "".join(c.text for c in self.labels)


def total(values: Sequence[int | float | None]) -> int | float:
    return sum(v for v in values if v is not None)


def row_sum_ok(values: Sequence[int | float | None]) -> bool:
    return None not in values and total(values[:6]) == values[6]


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the header puts 自然人 (the first data column), how wide its rows are, and the
    position of a 法人或其他组织小计 column, if any."""

    first: int
    width: int
    org_subtotal: int | None = None

    def data(self) -> list[int]:
        """Grid positions of the form's seven columns."""
        span = range(self.first, self.first + WIDTH + (self.org_subtotal is not None))
        return [i for i in span if i != self.org_subtotal]


@dataclass(frozen=True, slots=True)
class Layout:
    columns: Columns | None  # positions, when the header's grid can be trusted
    # Where the header puts a 法人或其他组织小计 column among a row's eight numbers (自然人 = 0,
    # so 6 when it sits between 其他 and 总计); None when it declares none.
    org_subtotal: int | None = None


def _positions(header: Sequence[T3Row]) -> tuple[int | None, int | None, int | None, int]:
    """(自然人, 总计, a 小计 column, width): positions in the header rows."""
    first = last = subtotal = None
    width = 0
    for row in header:
        texts = [norm(c.text) for c in row.cells]
        if "自然人" in texts:
            first, width = texts.index("自然人"), len(texts)
        if "总计" in texts:
            last = texts.index("总计")
        subtotal = next((i for i, t in enumerate(texts) if t.endswith("小计")), subtotal)
    return first, last, subtotal, width


def _columns(header: Sequence[T3Row]) -> Columns | None:
    """When 自然人 and 总计 sit six columns apart in one grid (seven, with a 小计 between)."""
    if any(not row.fixed for row in header):
        return None  # a header in drifting text locates nothing
    first, last, subtotal, width = _positions(header)
    if first is None or last is None or not width:
        return None
    if last == first + WIDTH - 1:
        return Columns(first, width)
    if last == first + WIDTH and subtotal is not None and first < subtotal < last:
        return Columns(first, width, subtotal)
    return None


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
    return Layout(_columns(header), _org_offset(header))


def aligned(row: T3Row, columns: Columns | None) -> Fit | None:
    """Read a row by the header's column positions, when the grid is regular enough to trust:
    same width as the header, no label inside the data columns, no number outside them."""
    if columns is None or not row.fixed or len(row.cells) != columns.width:
        return None
    positions = columns.data()
    data = [row.cells[i] for i in positions]
    skipped = set(positions) | {columns.org_subtotal}
    outside = [c for i, c in enumerate(row.cells) if i not in skipped]
    if any(c.kind == "label" for c in data) or any(c.kind == "number" for c in outside):
        return None
    return Fit(tuple(data), "ok", WIDTH)


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


def read(row: T3Row, shape: Layout) -> tuple[Fit, bool]:
    """(the row's seven values, whether the header's positions gave them)."""
    by_position = aligned(row, shape.columns)
    return (by_position, True) if by_position is not None else (fitted(row, shape), False)


def _org_cell(row: T3Row, shape: Layout) -> Cell | None:
    columns = shape.columns
    if columns is not None and columns.org_subtotal is not None and aligned(row, columns):
        return row.cells[columns.org_subtotal]
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
