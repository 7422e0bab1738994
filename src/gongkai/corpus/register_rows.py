"""One row of a 台账 sheet ↔ one request and the events of its handling (docs/register-xlsx.md).

A row either gives an `Entry` or the problems that keep it out, each naming its column as the
sheet writes it. An entry read here is one the register accepts as it stands (corpus/register.py):
no step before the day of receipt, at most one conclusion and nothing after it, an answer always
with its table-3 outcome. Its events are in canonical order, the order `write_register` writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Protocol, TypeVar, cast, get_args

from pydantic import ValidationError

from gongkai.corpus.register_columns import (
    APPLICANT_LABELS,
    CHANNEL_LABELS,
    HEADERS,
    OUTCOME_LABELS,
    REQUIRED,
    STEP_FIELDS,
    WITHDRAWN,
    WITHDRAWN_LABEL,
    ValueProblem,
    applicant_of,
    cell_text,
    channel_of,
    date_text,
    field_of,
    header_key,
    parse_date,
    parse_dates,
    quote,
    result_of,
)
from gongkai.model.register import CONCLUDING, EVENT_NAMES, Event, EventKind, Request

T = TypeVar("T")

_KIND_ORDER: Final[dict[str, int]] = {kind: i for i, kind in enumerate(get_args(EventKind))}


@dataclass(slots=True)
class Entry:
    """A request and its events; `request_id` of the events is 0 until the store gives ids."""

    request: Request
    events: list[Event] = field(default_factory=list)


class History(Protocol):
    """What `write_register` needs of an entry: corpus/register.py's Entry has it too."""

    @property
    def request(self) -> Request: ...

    @property
    def events(self) -> Sequence[Event]: ...


def canonical_events(events: Sequence[Event]) -> list[Event]:
    """By day, steps before the conclusion on the same day, an event with a note before its
    twin without one (the note column attaches notes in that order)."""
    return sorted(events, key=lambda e: (e.on, _KIND_ORDER[e.kind], e.note is None))


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    header: str  # as the sheet writes it, without spaces and line breaks


@dataclass(frozen=True, slots=True)
class Problem:
    column: str | None
    message: str

    def reason(self) -> str:
        return f"“{self.column}”列：{self.message}" if self.column else self.message


Header = dict[str, Column]


def find_header(cells: Sequence[object]) -> Header | None:
    """The columns a header row names, or None when the row is no 台账 header: it must name a
    required column and one more (a title row or a contact list names fewer)."""
    best: dict[str, tuple[int, Column]] = {}
    for index, value in enumerate(cells):
        if not isinstance(value, str) or (found := field_of(value)) is None:
            continue
        name, rank = found
        if name not in best or rank < best[name][0]:  # 编号 beats 序号; leftmost on a tie
            best[name] = (rank, Column(index, re.sub(r"\s+", "", value)[:40]))
    if len(best) < 2 or not any(name in best for name in REQUIRED):
        return None
    return {name: column for name, (_, column) in best.items()}


def missing_columns(header: Header) -> list[str]:
    return [name for name in REQUIRED if name not in header]


# Reading a row ----------------------------------------------------------------------------------

_TOTALS: Final = frozenset({"合计", "总计", "小计", "共计"})


class _Row:
    """The cells of one data row under a header, collecting problems as fields are read."""

    def __init__(self, header: Header, cells: Sequence[object]) -> None:
        self.header = header
        self.cells = cells
        self.problems: list[Problem] = []

    def value(self, name: str) -> object:
        column = self.header.get(name)
        if column is None or column.index >= len(self.cells):
            return None
        return self.cells[column.index]

    def text(self, name: str) -> str:
        return cell_text(self.value(name))

    def column(self, name: str) -> str | None:
        column = self.header.get(name)
        return column.header if column else None

    def fail(self, name: str | None, message: str) -> None:
        self.problems.append(Problem(self.column(name) if name else None, message))

    def read(self, name: str, parse: Callable[[object], T], default: T) -> T:
        try:
            return parse(self.value(name))
        except ValueProblem as exc:
            self.fail(name, str(exc))
            return default


def _skipped(row: _Row) -> bool:
    """Not a request: blank, a template row with only its 序号, a totals row, a repeated
    header. A request always has a day of receipt, so none of these can hide one."""
    filled = {name for name in row.header if row.text(name)}
    if filled <= {"number"}:
        return True
    try:
        parse_date(row.value("received"))
        return False
    except ValueProblem:
        pass
    words = {header_key(cell_text(c)) for c in row.cells if isinstance(c, str)}
    return bool(words & _TOTALS) or header_key(row.text("received")) == header_key(
        row.column("received") or ""
    )


def read_row(header: Header, cells: Sequence[object]) -> Entry | list[Problem] | None:
    """The entry of a data row, its problems, or None for a row that is not a request."""
    row = _Row(header, cells)
    if _skipped(row):
        return None
    request = _request(row)
    events = _steps(row) + _conclusion(row)
    events = _with_notes(row, canonical_events(events))
    if request is not None:
        _check_order(row, request.received, events)
    if row.problems or request is None:
        return row.problems
    return Entry(request, events)


def _required(row: _Row, name: str, parse: Callable[[object], T]) -> T | None:
    if not row.text(name):
        row.fail(name, "必填，未填写")
        return None
    return row.read(name, parse, None)


def _single_date(value: object) -> date:
    days = parse_dates(value)
    if len(days) != 1:
        raise ValueProblem(f"只能填一个日期，此处有 {len(days)} 个")
    return days[0]


def _request(row: _Row) -> Request | None:
    received = _required(row, "received", _single_date)
    applicant = _required(row, "applicant", lambda v: applicant_of(cell_text(v)))
    channel = row.read("channel", lambda v: channel_of(cell_text(v)), "other")
    if received is None or applicant is None:
        return None
    fields = {
        "number": row.text("number") or None,
        "received": received,
        "applicant": applicant,
        "channel": channel,
        "content": row.text("content"),
        "contact": row.text("contact") or None,
    }
    try:
        return Request.model_validate(fields)
    except ValidationError as exc:
        _model_problems(row, exc, lambda loc: loc)
        return None


def _model_problems(row: _Row, exc: ValidationError, column: Callable[[str], str]) -> None:
    for error in exc.errors():
        limit = (error.get("ctx") or {}).get("max_length")
        message = f"超过 {limit} 字的上限" if limit else "内容无效"
        row.fail(column(str(error["loc"][0])), message)


def _steps(row: _Row) -> list[Event]:
    events: list[Event] = []
    for name in STEP_FIELDS:
        days: list[date] = row.read(name, parse_dates, [])
        for day in days:
            events.append(Event(request_id=0, kind=cast(EventKind, name), on=day))
    return events


_RESULT_SEPARATORS: Final = re.compile(r"[;；]")


def _results(value: object) -> list[str]:
    parts = _RESULT_SEPARATORS.split(cell_text(value))
    return [result_of(part.strip()) for part in parts if part.strip()]


def _conclusion(row: _Row) -> list[Event]:
    """The answer or withdrawal: 答复日期 and 答复结果 together, once."""
    days: list[date] = row.read("answered", parse_dates, [])
    results: list[str] = row.read("result", _results, [])
    for name, other, what in (
        ("answered", "result", "答复日期"),
        ("result", "answered", "答复结果"),
    ):
        if row.text(name) and not row.text(other):
            shown = row.column(other)
            where = f"“{shown}”为空" if shown else f"表中没有“{HEADERS[other][0]}”列"
            row.fail(name, f"有{what}而{where}")
    if len(days) > 1 or len(results) > 1:
        row.fail("answered", "一件申请只能办结一次（答复或撤回），此处不止一个")
    if len(days) != 1 or len(results) != 1:
        return []
    if results[0] == WITHDRAWN:
        return [Event(request_id=0, kind="withdrawn", on=days[0])]
    return [Event(request_id=0, kind="answered", on=days[0], outcome=results[0])]


def _check_order(row: _Row, received: date, events: Sequence[Event]) -> None:
    ended = next((e.on for e in events if e.kind in CONCLUDING), None)
    for event in events:
        name = "answered" if event.kind in CONCLUDING else event.kind
        if event.on < received:
            row.fail(name, f"{date_text(event.on)} 早于收到申请之日 {date_text(received)}")
        elif ended is not None and event.on > ended:
            row.fail(
                name,
                f"{date_text(event.on)} 晚于办结之日 {date_text(ended)}，办结后不能再有办理步骤",
            )


# Notes: one line per event with a note, "作出答复（2025-04-01）：已当面送达". A note's own line
# breaks are written \n and its backslashes \\, so every note is one line.

_NOTE_LINE: Final = re.compile(
    r"(?P<name>[^（(]+?)\s*[（(](?P<day>[^）)]*)[）)]\s*[：:](?P<note>.*)"
)
_KINDS_BY_NAME: Final = {name: kind for kind, name in EVENT_NAMES.items()}
_UNESCAPE: Final = re.compile(r"\\([\\n])")


def _note_text(note: str) -> str:
    return note.replace("\\", "\\\\").replace("\n", "\\n")


def note_lines(events: Sequence[Event]) -> str:
    return "\n".join(
        f"{EVENT_NAMES[e.kind]}（{date_text(e.on)}）：{_note_text(e.note)}"
        for e in events
        if e.note
    )


def _with_notes(row: _Row, events: list[Event]) -> list[Event]:
    for line in (part.strip() for part in row.text("notes").split("\n")):
        if line:
            events = _note(row, events, line)
    return canonical_events(events)


def _note(row: _Row, events: list[Event], line: str) -> list[Event]:
    match = _NOTE_LINE.fullmatch(line)
    if match is None:
        row.fail("notes", f"{quote(line)}应写作“作出答复（2025-04-01）：备注内容”")
        return events
    kind = _KINDS_BY_NAME.get(match["name"].strip())
    if kind is None:
        shown = "、".join(EVENT_NAMES.values())
        row.fail("notes", f"{quote(match['name'].strip())}不是办理事项（应为 {shown}）")
        return events
    try:
        day = parse_date(match["day"].strip())
    except ValueProblem as exc:
        row.fail("notes", str(exc))
        return events
    note = _UNESCAPE.sub(lambda m: "\n" if m[1] == "n" else "\\", match["note"]).strip()
    return _attach(row, events, kind, day, note) if note else events


def _attach(row: _Row, events: list[Event], kind: str, day: date, note: str) -> list[Event]:
    for i, event in enumerate(events):
        if event.kind == kind and event.on == day and event.note is None:
            try:
                events[i] = Event.model_validate({**event.model_dump(), "note": note})
            except ValidationError as exc:
                _model_problems(row, exc, lambda _: "notes")
            return events
    row.fail("notes", f"没有 {date_text(day)} 的“{EVENT_NAMES[kind]}”可加备注")
    return events


# Writing a row ----------------------------------------------------------------------------------


def _days(events: Sequence[Event]) -> object:
    """One day as a real date; several as text, ；-separated (a cell holds one Excel date)."""
    if len(events) == 1:
        return events[0].on
    return "；".join(date_text(e.on) for e in events) or None


def _label(event: Event) -> str:
    if event.kind == WITHDRAWN:
        return WITHDRAWN_LABEL
    return OUTCOME_LABELS.get(event.outcome or "", "")  # an answer without outcome: left blank


def row_values(entry: History) -> dict[str, object]:
    """The cells of an entry by field; None is an empty cell."""
    request, events = entry.request, canonical_events(entry.events)
    ends = [e for e in events if e.kind in CONCLUDING]
    values: dict[str, object] = {
        "number": request.number,
        "received": request.received,
        "applicant": APPLICANT_LABELS[request.applicant],
        "channel": CHANNEL_LABELS[request.channel],
        "content": request.content or None,
        "contact": request.contact,
    }
    for name in STEP_FIELDS:
        values[name] = _days([e for e in events if e.kind == name])
    values["answered"] = _days(ends)
    values["result"] = "；".join(_label(e) for e in ends) or None
    values["notes"] = note_lines(events) or None
    return values
