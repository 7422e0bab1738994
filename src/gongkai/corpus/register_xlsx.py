"""依申请公开台账 workbooks: an office's Excel register in, the register out (docs/register-xlsx.md).

Reading survives real registers: title rows above the header, headers in any order and wording,
dates as Excel dates, serial numbers or text, totals rows, several sheets. A row that cannot be
read is reported with its sheet, row and reason and skipped; the others are imported.

The workbook is opened read-only (streamed row by row, never whole in memory), so merged cells are
not known. They are not needed: a merged title keeps its text in its first cell and names no
column, and the header is the first row among the first HEADER_ROWS that names the register's
columns. A hostile file is bounded before and while it is read: its size, the sizes its ZIP
declares, the sheets, the rows per sheet and the columns per row.

Writing gives one clean sheet whose headers are the first wordings the reader recognises, so
import → export → import gives the same entries (tests/test_register_xlsx.py).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from gongkai.corpus.ingest import MissingDependency
from gongkai.corpus.register_columns import (
    APPLICANT_LABELS,
    CHANNEL_LABELS,
    HEADERS,
    OUTCOME_LABELS,
    STEP_FIELDS,
    WITHDRAWN_LABEL,
)
from gongkai.corpus.register_rows import (
    Entry,
    Header,
    History,
    Problem,
    canonical_events,
    find_header,
    missing_columns,
    read_row,
    row_values,
)
from gongkai.errors import GongkaiError, UnreadableInput, UnsupportedFormat
from gongkai.model.register import EVENT_NAMES
from gongkai.readers.files import read_file

__all__ = [
    "Entry",
    "History",
    "IgnoredSheet",
    "RegisterImport",
    "RowError",
    "canonical_events",
    "read_register",
    "write_register",
]

MAX_FILE_BYTES: Final = 50 * 2**20  # a register of 100,000 requests is a few MB
# Inflated sizes, as the ZIP declares them (zipfile never inflates a part beyond its declared
# size). Sheets are streamed, so theirs bound time; the parts openpyxl loads whole (shared
# strings, styles) bound memory. An export of 100,000 requests is a 75 MB sheet.
MAX_UNPACKED: Final = 512 * 2**20
MAX_SHEET_PART: Final = 256 * 2**20
MAX_LOADED_PART: Final = 64 * 2**20
MAX_PARTS: Final = 2_000
MAX_SHEETS: Final = 50
MAX_ROWS: Final = 100_000  # per sheet, counted as Excel counts rows
MAX_COLUMNS: Final = 100  # a register has about twenty; columns beyond are not read
HEADER_ROWS: Final = 30  # the header is looked for in the rows above this
SHEET_TITLE: Final = "台账"
GUIDE_TITLE: Final = "填写说明"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # .xls, and an .xlsx with a password, are OLE files


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that was not imported: `row` as Excel numbers it, `reason` names the column."""

    sheet: str
    row: int
    reason: str
    column: str | None = None

    def __str__(self) -> str:
        return f"工作表“{self.sheet}”第 {self.row} 行：{self.reason}"


@dataclass(frozen=True, slots=True)
class IgnoredSheet:
    sheet: str
    reason: str

    def __str__(self) -> str:
        return f"工作表“{self.sheet}”未导入：{self.reason}"


@dataclass(slots=True)
class RegisterImport:
    entries: list[Entry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # the sheets read, in workbook order
    ignored: list[IgnoredSheet] = field(default_factory=list)


# Reading ----------------------------------------------------------------------------------------


def read_register(path: str | Path) -> RegisterImport:
    """Every request of every sheet with a 台账 header, and the rows that could not be read."""
    path, name = Path(path), str(path)
    data = _checked_bytes(path)
    # openpyxl warns in English about what it skips (extensions, a date cell out of range, which
    # it reads as #VALUE!); the row errors say what matters, in Chinese.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        book = _open(data, name)
        try:
            return _read_book(book, name)
        finally:
            book.close()


def _read_book(book: Any, name: str) -> RegisterImport:
    if len(book.worksheets) > MAX_SHEETS:
        detail = f"工作簿有 {len(book.worksheets)} 张工作表，超过 {MAX_SHEETS} 张的上限"
        raise UnreadableInput(name, f"{detail}，不像一本台账，未读取")
    result = RegisterImport()
    for sheet in book.worksheets:
        _read_sheet(sheet, result, name)
    return result


def _checked_bytes(path: Path) -> bytes:
    data = read_file(path, MAX_FILE_BYTES)  # a regular file only: a named pipe would block
    if data.startswith(_OLE_MAGIC):
        raise UnsupportedFormat(
            str(path), "旧版 .xls 或加密的工作簿，请在 Excel 中去掉密码、另存为 .xlsx 后再导入"
        )
    if not data.startswith(b"PK"):
        raise UnreadableInput(str(path), "不是 Excel 工作簿（.xlsx）")
    _check_package(data, str(path))
    return data


def _check_package(data: bytes, name: str) -> None:
    """Refuse a ZIP that would inflate beyond a register, before openpyxl opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableInput(name, "Excel 文件损坏（ZIP 结构无法读取）") from exc
    total = sum(p.file_size for p in parts)
    if len(parts) > MAX_PARTS or total > MAX_UNPACKED:
        detail = f"解压后共 {total // 2**20} MB、{len(parts)} 个部件"
        raise UnreadableInput(
            name, f"{detail}，超出台账的上限（{MAX_UNPACKED // 2**20} MB），未读取"
        )
    for part in parts:
        limit = MAX_SHEET_PART if "worksheets/" in part.filename else MAX_LOADED_PART
        if part.file_size > limit:
            detail = f"部件 {part.filename} 解压后 {part.file_size // 2**20} MB"
            raise UnreadableInput(name, f"{detail}，超过 {limit // 2**20} MB 的上限，未读取")


def _open(data: bytes, name: str) -> Any:
    try:
        from openpyxl import load_workbook
    except ImportError as exc:
        raise MissingDependency("openpyxl", "请安装 openpyxl 以读取台账") from exc
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl raise many unrelated types
        raise UnreadableInput(name, "Excel 文件无法解析") from exc


def _read_sheet(sheet: Any, result: RegisterImport, name: str) -> None:
    title = str(sheet.title)
    if sheet.sheet_state != "visible":  # often an old copy or the lists behind drop-downs
        result.ignored.append(IgnoredSheet(title, "隐藏的工作表"))
        return
    try:
        rows = enumerate(
            sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True), 1
        )
        _read_rows(title, rows, result)
    except GongkaiError:
        raise
    except Exception as exc:  # a sheet's XML broken part way
        raise UnreadableInput(name, f"工作表“{title}”无法解析") from exc


Rows = Iterator[tuple[int, Sequence[object]]]


def _header(rows: Rows) -> tuple[int, Header] | None:
    """The header row's number and columns, looked for above HEADER_ROWS (title rows, a blank
    row and notes may stand above it)."""
    for number, cells in rows:
        if number > HEADER_ROWS:
            return None
        header = find_header(cells)
        if header is not None:
            return number, header
    return None


def _read_rows(title: str, rows: Rows, result: RegisterImport) -> None:
    found = _header(rows)
    if found is None:
        result.ignored.append(IgnoredSheet(title, f"前 {HEADER_ROWS} 行中没有台账的表头"))
        return
    header_row, header = found
    if missing := missing_columns(header):
        result.errors.append(RowError(title, header_row, _missing_text(missing)))
        return
    result.sheets.append(title)
    for number, cells in rows:
        if number > MAX_ROWS:
            reason = f"每张工作表最多读取 {MAX_ROWS} 行，第 {number} 行起未读取"
            result.errors.append(RowError(title, number, reason))
            return
        read = read_row(header, cells)
        if isinstance(read, Entry):
            result.entries.append(read)
        elif read is not None:
            result.errors.extend(_row_error(title, number, p) for p in read)


def _missing_text(missing: Sequence[str]) -> str:
    names = "；".join(
        f"“{HEADERS[m][0]}”（也可写作：{'、'.join(HEADERS[m][1:])}）" for m in missing
    )
    return f"表头缺少必需的列 {names}，本表未导入"


def _row_error(title: str, number: int, problem: Problem) -> RowError:
    return RowError(title, number, problem.reason(), problem.column)


# Writing ----------------------------------------------------------------------------------------

# Characters XML 1.0 cannot hold: openpyxl refuses them, Excel could not show them.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WIDTHS: Final[dict[str, int]] = {"content": 40, "notes": 40, "result": 30, "channel": 18}


def write_register(entries: Sequence[History], path: str | Path) -> None:
    """Write the entries as a 台账 workbook, atomically: a failed write leaves no half file.

    One row per request on sheet 台账 (a second sheet 台账（2） and so on past MAX_ROWS − 1 rows,
    so that the reader's cap never cuts an exported register), then the sheet 填写说明."""
    try:
        from openpyxl import Workbook
    except ImportError as exc:
        raise MissingDependency("openpyxl", "请安装 openpyxl 以写出台账") from exc
    book = Workbook(write_only=True)
    per_sheet = MAX_ROWS - 1
    for start in range(0, max(len(entries), 1), per_sheet):
        title = SHEET_TITLE if start == 0 else f"{SHEET_TITLE}（{start // per_sheet + 1}）"
        _write_sheet(book.create_sheet(title), entries[start : start + per_sheet])
    _write_guide(book.create_sheet(GUIDE_TITLE))
    _save(book, Path(path))


def _save(book: Any, path: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".register-", suffix=".xlsx")
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _write_sheet(sheet: Any, entries: Sequence[History]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    names = list(HEADERS)
    for i, name in enumerate(names, 1):
        sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"
    _drop_downs(sheet, names)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cell(value: object) -> object:
        """The value itself where openpyxl writes it as is (a date gets yyyy-mm-dd); a cell
        where text must be forced (=… would be a formula, #N/A an error) or its lines shown."""
        if not isinstance(value, str):
            return value
        value = _NOT_XML.sub("", value)
        if not value.startswith(("=", "#")) and "\n" not in value:
            return value
        written = WriteOnlyCell(sheet, value=value)
        written.data_type = "s"
        if "\n" in value:
            written.alignment = wrap
        return written

    heading = [WriteOnlyCell(sheet, value=HEADERS[name][0]) for name in names]
    for c in heading:
        c.font = bold
    sheet.append(heading)
    for entry in entries:
        values = row_values(entry)
        sheet.append([cell(values[name]) for name in names])


def _drop_downs(sheet: Any, names: list[str]) -> None:
    """Lists for the applicant and channel columns; other wordings stay allowed (the reader
    knows them), so the list warns nobody."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for name, labels in (("applicant", APPLICANT_LABELS), ("channel", CHANNEL_LABELS)):
        letter = get_column_letter(names.index(name) + 1)
        listed = ",".join(labels.values())
        check = DataValidation(type="list", formula1=f'"{listed}"', showErrorMessage=False)
        check.add(f"{letter}2:{letter}{MAX_ROWS}")
        sheet.data_validations.append(check)


def _guide_rows() -> list[tuple[str, ...]]:
    steps = "、".join(EVENT_NAMES.values())
    date_note = "日期，如 2025-03-05；同一事项有多次时用“；”分隔多个日期"
    rows: list[tuple[str, ...]] = [
        ("列名", "是否必填", "填写说明"),
        (HEADERS["number"][0], "否", "本机关的申请编号，如“依申请〔2025〕17号”"),
        (HEADERS["received"][0], "必填", "按《条例》第三十一条确定的收到申请之日"),
        (HEADERS["applicant"][0], "必填", "、".join(APPLICANT_LABELS.values())),
        (HEADERS["channel"][0], "否", "、".join(CHANNEL_LABELS.values()) + "；空白按“其他”"),
        (HEADERS["content"][0], "否", "申请公开的政府信息"),
        (HEADERS["contact"][0], "否", "申请人的电话、地址或邮箱"),
        *((HEADERS[step][0], "否", date_note) for step in STEP_FIELDS),
        (HEADERS["answered"][0], "与答复结果同填", "作出答复或申请人撤回之日"),
        (
            HEADERS["result"][0],
            "与答复日期同填",
            "下列表三“三、本年度办理结果”中的一项；申请人撤回的填“撤回”",
        ),
        (
            HEADERS["notes"][0],
            "否",
            f"每行一条：事项（日期）：备注，如“作出答复（2025-04-01）：已当面送达”。事项为：{steps}",
        ),
        (),
        ("答复结果可填写的值",),
        *((label,) for label in OUTCOME_LABELS.values()),
        (WITHDRAWN_LABEL,),
    ]
    return rows


def _write_guide(sheet: Any) -> None:
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 90
    for row in _guide_rows():
        sheet.append(list(row))
