"""The reading-order form filler: tables 3 and 4 (table 2: stream_t2.py) read as a stream of labels and numbers.

For text without a grid (one cell per line, `pdftotext -raw` rows separated by single spaces, laid
out text whose cells wrap over several lines, markdown fragments, rows a page break cut in two),
the form itself is the grid: its vocabulary names a row, and the form says how many values follow.

A row starts at a label that names a row of the form: by its keywords (table3.classify) where they
agree with its numbering (`2.其他` is not 3.其他), else by its numbering and the row before it
(`4.` after 3.要求提供公开出版物 is 4.无正当理由大量反复申请: a label wrapped into fragments). Label
fragments among a row's values (a wrapped label's tail) are skipped; a label that starts another
row ends the row. What the values are is reading.py's business.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from gongkai.extract.normalize import norm
from gongkai.extract.reading import Reading, read_values
from gongkai.extract.t3_columns import WIDTH, row_sum_ok
from gongkai.extract.table3 import classify, unknown_row
from gongkai.extract.table4 import WIDTH as T4_WIDTH
from gongkai.extract.table4 import groups_ok
from gongkai.extract.tokens import Token, one_per_line
from gongkai.model.keys import T3_COLUMNS, T3_ROWS, TEMPLATE_2019, TEMPLATE_2021

_MARK = re.compile(
    r"^(?:(?P<cn>[一二三四五六七])、|\((?P<paren>[一二三四五六七])\)|(?P<digit>\d)[.、])"
)
_GROUPS = {"denied": "三", "unavailable": "四", "declined": "五", "other": "六"}
_OWN_PAREN = {"granted": "一", "partial": "二", "other": "六", "total": "七"}
_OWN_CN = {"received": "一", "carried_over": "二", "carried_forward": "四"}
# Every row of both forms in form order: 2019's single （六） before 2021's three.
_KEYS_2021 = [key for key, _ in T3_ROWS[TEMPLATE_2021]]
FORM_ORDER: tuple[str, ...] = (*_KEYS_2021[:-5], "other", *_KEYS_2021[-5:])
_LEAF_NO = {
    key: n
    for block in _GROUPS
    for n, key in enumerate([k for k in FORM_ORDER if k.startswith(block + "_")], 1)
}
_STRONG_HEADER = frozenset(norm(n) for n in (*T3_COLUMNS[:6], "法人或其他组织", "申请人情况"))
_WEAK_HEADER = frozenset({"其他", "总计", "小计", "合计"})
_WINDOW = 6  # tokens a label may be wrapped or spaced into


@lru_cache(maxsize=4096)
def mark(text: str) -> tuple[str, str] | None:
    """A label's numbering: ("cn", "一") for 一、, ("paren", "三") for （三）, ("digit", "2")."""
    match = _MARK.match(norm(text))
    if match is None:
        return None
    kind = next(k for k in ("cn", "paren", "digit") if match[k])
    return kind, match[kind]


def consistent(key: str, found: tuple[str, str] | None) -> bool:
    """Whether a row key agrees with the numbering its label carries."""
    if found is None:
        return True
    kind, no = found
    block = next((b for b in _GROUPS if key.startswith(b + "_")), None)
    if kind == "digit":
        return str(_LEAF_NO.get(key)) == no
    if kind == "paren":
        return _OWN_PAREN.get(key) == no or (block is not None and _GROUPS[block] == no)
    outcome = key not in _OWN_CN
    return _OWN_CN.get(key) == no or (no == "三" and outcome)


Texts = tuple[str, ...]  # the labels of a run, as written


def _without_header(labels: Texts) -> Texts:
    """The labels without the table's column headings (其他 and 总计 are headings only among
    other headings: 3.其他 and （七）总计 are rows)."""
    keys = [norm(t) for t in labels]
    strong = [k in _STRONG_HEADER or "勾稽" in k for k in keys]
    if not any(strong):
        return labels
    kept = zip(labels, strong, keys, strict=True)
    return tuple(t for t, s, k in kept if not s and k not in _WEAK_HEADER)


def _row_mark(text: str) -> tuple[str, str] | None:
    """A numbering that starts a row (1. 一、 （一）), not a group's （三）…（六）."""
    found = mark(text)
    return None if found is None or (found[0] == "paren" and found[1] in "三四五六") else found


def _own_label(labels: Texts) -> Texts:
    """The labels from the last row numbering on: what came before it belongs to other rows
    (the tail of a wrapped label) or to a group."""
    at = max((i for i, t in enumerate(labels) if _row_mark(t) is not None), default=0)
    return labels[at:]


# Rows whose keyword is a common word: a label reading only "其他" or "总计" may be a fragment
# of another's, so where its numbering disagrees the numbering is heard.
_WEAK_KEYS = frozenset({"other_misc", "total", "other"})


def _by_keywords(labels: Texts) -> tuple[str | None, bool]:
    """(the row the labels name: the label nearest the values first, joined with up to a few
    fragments before it, its numbering agreeing; whether a specific keyword named a row its
    numbering denies — a contradiction that neither may resolve)."""
    conflict = False
    for end in range(len(labels) - 1, -1, -1):
        for start in range(end, max(-1, end - _WINDOW), -1):
            key = classify("".join(labels[start : end + 1]))
            if key is None:
                continue
            if consistent(key, mark(labels[start])):
                return key, False
            conflict = conflict or key not in _WEAK_KEYS
    return None, conflict


def _block(key: str) -> str | None:
    return next((b for b in _GROUPS if key.startswith(b + "_")), None)


def _by_numbering(labels: Texts, previous: str | None) -> str | None:
    """A leaf numbered `N.` whose words did not survive: the row numbered N that can follow the
    row before it (later in the same block, or the first of the next block), never a leap."""
    found = _row_mark(labels[0]) if labels else None
    if found is None or found[0] != "digit" or previous not in FORM_ORDER:
        return None
    no = int(found[1])
    # 2019's single （六） row has no leaf number: it is never what a digit names.
    after = [k for k in FORM_ORDER[FORM_ORDER.index(previous or "") + 1 :] if k != "other"]
    key = next((k for k in after if _LEAF_NO.get(k) == no), None)
    if key is None or not after:
        return None
    same_block = _block(key) is not None and _block(key) == _block(previous or "")
    return key if same_block or key == after[0] else None


def identify(labels: Texts, previous: str | None) -> str | None:
    """The row a label run names: by its keywords, else by its numbering and place; none where
    the two contradict each other."""
    labels = _own_label(labels)
    key, conflict = _by_keywords(labels)
    if key is not None or conflict:
        return key
    return _by_numbering(labels, previous)


def _segments(labels: Texts) -> list[Texts]:
    """Labels cut where a row's label starts: at a row numbering, or at a label that names a row
    by itself."""
    out: list[list[str]] = []
    for text in labels:
        if not out or _row_mark(text) is not None or classify(text) is not None:
            out.append([text])
        else:
            out[-1].append(text)
    return [tuple(s) for s in out]


@lru_cache(maxsize=4096)
def named(labels: Texts, previous: str | None) -> tuple[str | None, ...]:
    """The rows a run of labels names, in order; the last is the row the values after it belong
    to, earlier ones rows whose values may follow together (labels detached from their table).
    Cached: the same runs recur in every report of the form."""
    keys: list[str | None] = []
    for segment in _segments(_without_header(labels)):
        found = _row_mark(segment[0])
        own = keys and found is not None and str(_LEAF_NO.get(keys[-1] or "")) == found[1]
        if own and _by_keywords(segment)[0] in (None, keys[-1]):
            continue  # the numbering of the label before, set after its words
        key = identify(segment, previous)
        if key is None:
            keys.append(None)  # the last label names no row: its values are no row's either
        elif key != previous and (not keys or keys[-1] != key):
            keys.append(key)
            previous = key
    if any(k is not None and k.startswith("other_") for k in keys) and "other" in keys:
        keys.remove("other")  # 2021's （六）其他处理 is the label of its three rows
    last = keys[-1] if keys else None
    return (*[k for k in keys[:-1] if k is not None], last)


def _interrupts(token: Token, current: str | None) -> bool:
    """A label among a row's values that starts another row (else a wrapped fragment, or the
    row's own numbering set apart from its words)."""
    found = _row_mark(token.text)
    if found is not None and not (
        found[0] == "digit"
        and str(_LEAF_NO.get(current or "")) == found[1]
        and len(norm(token.text)) <= 2
    ):
        return True
    key = classify(token.text)
    return key is not None and key != current and norm(token.text) not in _WEAK_HEADER


@dataclass(slots=True)
class StreamRow:
    key: str | None
    labels: list[Token]
    run: list[Token] = field(default_factory=list)  # what follows the label: values and gaps
    also: list[str] = field(default_factory=list)  # rows named before it in the same label run
    count: int = 0  # values (numbers and blanks) in the run

    def add(self, token: Token) -> None:
        self.run.append(token)
        if token.kind == "number" or token.kind == "blank":
            self.count += 1


def t3_rows(tokens: Sequence[Token]) -> list[StreamRow]:
    """The table-3 region's tokens cut into rows, each named by its labels."""
    rows: list[StreamRow] = []
    pending: list[Token] = []
    current: StreamRow | None = None
    previous: str | None = None
    for token in tokens:
        if token.kind == "barrier":
            current, pending = None, []
        elif token.kind == "label":
            if current is not None and (
                current.count == 0 or current.count >= WIDTH or _interrupts(token, current.key)
            ):
                current = None
            if current is None:
                pending.append(token)
        elif pending:
            keys = named(tuple(t.text for t in pending), previous)
            current = StreamRow(keys[-1], pending, also=[k for k in keys[:-1] if k])
            current.add(token)
            rows.append(current)
            previous, pending = keys[-1] or previous, []
        elif current is not None:
            current.add(token)
    return rows


def gaps_are_cells(rows: Sequence[StreamRow], width: int, per_line: bool) -> bool:
    """Whether empty lines are cells here: a one-cell-per-line capture whose full rows have their
    values right after the label, and at least one of them is followed by the next label with no
    empty line between (so empty lines are not decoration between rows)."""
    full = [r for r in rows if r.key is not None and r.count == width]
    if not full or not per_line:
        return False
    for row in full:
        values = [i for i, t in enumerate(row.run) if t.kind != "gap"]
        if values[-1] != width - 1:
            return False
    # A full row directly followed by the next row of the form; the end of the table, or a
    # heading after the last row, proves nothing.
    return any(
        row.key is not None and row.count == width and len(row.run) == width and after.key
        for row, after in itertools.pairwise(rows)
    )


@dataclass(slots=True)
class StreamTable:
    rows: dict[str, Reading] = field(default_factory=dict)
    labelled: set[str] = field(default_factory=set)  # every row named, read or not
    notes: list[tuple[str | None, str]] = field(default_factory=list)  # (row, message)


def _detached(row: StreamRow) -> list[StreamRow]:
    """Labels set apart from their table (a converter's markdown: the labels, then a table of
    numbers): the rows they name in order, given the lines of values in order, one line of seven
    a row; only when the counts agree line for line, else the run is the last label's alone."""
    if not row.also:
        return [row]
    lines: dict[int, list[Token]] = {}
    for token in row.run:
        if token.kind in ("number", "blank"):
            lines.setdefault(token.line, []).append(token)
    keys = [*row.also, row.key]
    if len(lines) != len(keys) or any(len(v) != WIDTH for v in lines.values()):
        return [row]
    return [
        StreamRow(k, row.labels, run, count=len(run))
        for k, run in zip(keys, lines.values(), strict=True)
    ]


DUPLICATE = "该行重复出现，已采用第一次出现的数值"


def _org_offset(tokens: Sequence[Token]) -> int | None:
    """Where a 法人或其他组织小计 column stands among eight values (t3_columns.py): a 小计 heading
    that names the organisations, or a bare 小计 after their columns."""
    texts = [norm(t.text) for t in tokens if t.kind == "label"]
    orgs = {norm(n) for n in T3_COLUMNS[1:6]}
    for at, text in enumerate(texts):
        if not text.endswith("小计"):
            continue
        # From the header's 自然人 on (a header printed twice names its columns twice).
        start = max((i for i, t in enumerate(texts[:at]) if t == "自然人"), default=0)
        named = {t for t in texts[start:at] if t in orgs}
        if "组织" in text or named:
            return 1 + len(named)
    return None


def _eight_wide(rows: Sequence[StreamRow]) -> bool:
    """The rows themselves show an eighth column (most carry eight values) even where no heading
    says which: then a row of seven has lost a cell, not shown the form's seven."""
    counts = [row.count for row in rows if row.key is not None]
    return counts.count(WIDTH + 1) > counts.count(WIDTH)


def _without_org(reading_run: list[Token], offset: int | None) -> list[Token]:
    values = [i for i, t in enumerate(reading_run) if t.kind in ("number", "blank")]
    if offset is None or len(values) != WIDTH + 1:
        return reading_run
    return [t for i, t in enumerate(reading_run) if i != values[offset]]


def read_table3(tokens: Sequence[Token]) -> StreamTable:
    rows = t3_rows(tokens)
    per_line = one_per_line(tokens)
    gaps = gaps_are_cells(rows, WIDTH, per_line)
    offset = _org_offset(tokens)
    extra = offset is not None or _eight_wide(rows)
    out = StreamTable()
    for row in [part for whole in rows for part in _detached(whole)]:
        if row.key is None:
            if row.count:
                label = "".join(t.text for t in row.labels[-2:]) or "（无标签）"
                out.notes.append((None, unknown_row(label)))
            continue
        run = _without_org(row.run, offset)
        reading = _unglued(run, row.key, gaps, per_line) or read_values(
            run, WIDTH, row_sum_ok, gaps, per_line
        )
        if extra and row.count == WIDTH and not row_sum_ok(reading.values or [None]):
            # Seven values under eight columns: the 小计 or another cell is missing, which one
            # only the row's total can tell.
            message = "表中各行多一列（法人或其他组织小计），该行只有 7 个数值且合计不符，无法确定缺失的列，未读取"
            reading = Reading(None, message, lost=True)
        reading = _confirmed(reading, row_sum_ok)
        if reading.cells is None and not row.count:
            continue  # a label followed by nothing: a heading word ("总计" above its column)
        out.labelled.add(row.key)
        if row.key in out.rows and out.rows[row.key].cells is not None:
            out.notes.append((row.key, DUPLICATE))
            continue
        out.rows[row.key] = reading
    return out


_GLUED = re.compile(r"^(?P<before>\d*)(?P<no>\d)[.．](?P<after>\d*)$")


def _unglued(run: list[Token], key: str, gaps: bool, per_line: bool) -> Reading | None:
    """A row whose own numbering mark a laid-out conversion glued among its values (`3.0` for
    "3." then 0; `04.0` for 0, "4.", 0): read without the mark, but only when the mark is this
    row's number, the row then has its seven values and they add up (the row read as written
    does not)."""
    texts = "".join([t.cell.text for t in run if t.cell is not None])
    if "." not in texts and "．" not in texts:
        return None  # nothing glued: the common case, decided without the pattern
    no = str(_LEAF_NO.get(key))
    at = [
        i
        for i, t in enumerate(run)
        if t.kind == "number"
        and (m := _GLUED.match(t.text))
        and m["no"] == no
        and (m["before"] or m["after"])
    ]
    if len(at) != 1:
        return None
    as_written = read_values(run, WIDTH, row_sum_ok, gaps, per_line)
    if as_written.values is not None and row_sum_ok(as_written.values):
        return None
    token = run[at[0]]
    match = _GLUED.match(token.text)
    assert match is not None and token.cell is not None
    parts = [
        token._replace(cell=replace(token.cell, text=digits, value=int(digits)))
        for digits in (match["before"], match["after"])
        if digits
    ]
    parted = [*run[: at[0]], *parts, *run[at[0] + 1 :]]
    reading = read_values(parted, WIDTH, row_sum_ok, gaps, per_line)
    if reading.values is None or not row_sum_ok(reading.values):
        return None
    note = f"该行的序号“{no}.”与数值粘连为“{token.text}”，已拆开读取，且该行合计相符"
    return Reading(reading.cells, note)


def template(keys: set[str]) -> str | None:
    """The table-3 form from the rows its labels name (values or not)."""
    if keys & {"other_no_correction", "other_unpaid_fee", "other_misc"}:
        return TEMPLATE_2021
    return TEMPLATE_2019 if "other" in keys else None


def read_table4(tokens: Sequence[Token]) -> Reading | None:
    """Table 4's fifteen values: the run of values after its header words; None when the
    region holds no value at all."""
    run: list[Token] = []
    for token in tokens:
        if token.kind in ("number", "blank") or (token.kind == "gap" and run):
            run.append(token)
        elif token.kind in ("label", "barrier") and any(t.kind != "gap" for t in run):
            break
    if not any(t.kind in ("number", "blank") for t in run):
        return None
    # Table 4's blanks are not placed from empty lines: where its run of cells starts is unknown
    # (the empty lines before the first value may be its blank cells, or the header's).
    return _confirmed(
        read_values(run, T4_WIDTH, groups_ok, per_line=one_per_line(tokens)), groups_ok
    )


_GLUED_NOTE = "该行的数值与下一行的序号粘连（如“13.”），拆开后数值不合，无法确定，未读取"


def _confirmed(reading: Reading, holds: Callable[[Sequence[int | float | None]], bool]) -> Reading:
    """A reading that split a value off a numbering mark stands only if the arithmetic holds:
    "13." may be 1 and the mark "3.", or 13 and a stray full stop."""
    cells = reading.cells or ()
    if not any(c is not None and c.glued for c in cells) or holds(reading.values or []):
        return reading
    return Reading(None, _GLUED_NOTE)
