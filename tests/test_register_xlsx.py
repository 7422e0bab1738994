"""台账 workbooks (corpus/register_xlsx.py): a messy hand-made register imports with exactly its bad
rows reported, and import → export → import is identity, for it and for generated registers."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from gongkai.corpus import register_xlsx
from gongkai.corpus.register_columns import (
    EARLIEST,
    LATEST,
    OUTCOME_LABELS,
    ValueProblem,
    applicant_of,
    channel_of,
    parse_date,
    result_of,
)
from gongkai.corpus.register_xlsx import (
    Entry,
    RegisterImport,
    canonical_events,
    read_register,
    write_register,
)
from gongkai.errors import UnreadableInput, UnsupportedFormat
from gongkai.model.register import APPLICANTS, CHANNEL_NAMES, OUTCOMES, Event, Request


def serial(day: date) -> int:
    """The number Excel stores for a day (what a date column holds when its format is lost)."""
    return (day - date(1899, 12, 30)).days


def entry(number: str | None, received: date, applicant: str, channel: str, **kw: Any) -> Entry:
    events = [
        Event(request_id=0, kind=kind, on=on, outcome=outcome)
        for kind, on, outcome in kw.pop("events", [])
    ]
    request = Request(
        number=number,
        received=received,
        applicant=applicant,
        channel=channel,
        **kw,
    )
    return Entry(request, canonical_events(events))


# The messy workbook -------------------------------------------------------------------------------

HEADER_2025 = [
    "序号",
    "申请人\n类别",
    "收到\n日期",
    "申请\n事项",
    "提交 方式",
    "联系电话",
    "补正通知日期",
    "补正收到日期",
    "征求意见开始日期",
    "征求意见结束日期",
    "延期日期",
    "收费通知日期",
    "缴费日期",
    "办结\n日期",
    "办理结果",
    "经办人",  # not a register column: ignored
    "申请编号",  # beats 序号 as the number
]


def row_2025(**cells: Any) -> list[Any]:
    """A row of the 2025 sheet by column header (line breaks and spaces dropped)."""
    names = [h.replace("\n", "").replace(" ", "") for h in HEADER_2025]
    return [cells.get(name) for name in names]


def sheet_2025(wb: Workbook) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = "2025年"
    ws.append(["XX局2025年政府信息公开申请办理台账"])
    ws.merge_cells("A1:Q1")
    ws.append(["填报单位：XX局　　填报时间：2026年1月5日"])
    ws.merge_cells("A2:Q2")
    ws.append([])
    ws.append(HEADER_2025)
    # fmt: off
    rows = [
        # 5: a real Excel date with a time, the phone as a number
        row_2025(序号=1, 申请人类别="公民", 收到日期=datetime(2025, 1, 6, 9, 30), 申请事项="某路段改造工程的批复文件", 提交方式="网上", 联系电话=13800138000, 办结日期="2025/1/20", 办理结果="予以公开", 经办人="张三", 申请编号="依申请〔2025〕1号"),
        # 6: serial numbers (one a float), a correction
        row_2025(序号=2, 申请人类别="企业", 收到日期=serial(date(2025, 2, 10)), 申请事项="2024年度预算执行情况", 提交方式="EMS", 补正通知日期="2025.2.12", 补正收到日期="2025年2月19日", 办结日期=float(serial(date(2025, 3, 10))), 办理结果="（二）部分公开", 申请编号="依申请〔2025〕2号"),
        # 7: a day that does not exist
        row_2025(序号=3, 申请人类别="自然人", 收到日期="2025-02-30", 申请事项="某通知", 提交方式="当面"),
        # 8: 20250310 typed as a number, consultation, extension, a loose outcome wording
        row_2025(序号=4, 申请人类别="律师事务所", 收到日期="2025.3.5", 申请事项="某项目环评报告", 提交方式="现场", 征求意见开始日期=20250310, 征求意见结束日期="2025-03-20", 延期日期="2025-03-25", 办结日期="2025年4月15日", 办理结果="不予公开-属于国家秘密", 申请编号="依申请〔2025〕4号"),
        # 9: an applicant type that is none of table 3's
        row_2025(序号=5, 申请人类别="外国人", 收到日期="2025-03-06", 申请事项="某规划", 提交方式="网络"),
        # 10: answered without a result
        row_2025(序号=6, 申请人类别="个人", 收到日期="2025-03-07", 申请事项="某合同", 办结日期="2025-03-20"),
        # 11: withdrawn
        row_2025(序号=7, 申请人类别="科研机构", 收到日期="2025-03-08", 申请事项="某数据", 提交方式="平信", 办结日期="2025-03-12", 办理结果="撤回", 申请编号="依申请〔2025〕7号"),
        # 12: still open, waiting for the fee
        row_2025(序号=8, 申请人类别="社会公益组织", 收到日期="20250309", 申请事项="某监测数据", 提交方式="传真", 收费通知日期="2025-03-20", 申请编号="依申请〔2025〕8号"),
        [],
        # 14: two consultation periods in one cell each
        row_2025(序号=9, 申请人类别="其他", 收到日期="2025-04-01", 申请事项="某批复", 提交方式="政府网站", 征求意见开始日期="2025-04-02；2025-04-20", 征求意见结束日期="2025-04-10；2025-04-28", 申请编号="依申请〔2025〕9号"),
        # 15: a result without its day
        row_2025(序号=10, 申请人类别="公民", 收到日期="2025-04-03", 申请事项="某会议纪要", 办理结果="重复申请"),
        [],
        [],
        # 18: totals
        row_2025(序号="合计", 申请事项="共 10 件"),
        # 19: a template row with only its 序号
        row_2025(序号=11),
    ]
    # fmt: on
    for row in rows:
        ws.append(row)
    for r in range(20, 26):  # formatted but empty rows at the bottom, as Excel leaves them
        ws.cell(row=r, column=3).number_format = "yyyy-mm-dd"


def sheet_2024(wb: Workbook) -> None:
    ws = wb.create_sheet("2024年结转")
    ws.append(["2024年结转申请"])
    ws.merge_cells("A1:G1")
    ws.append(
        ["编号", "收到申请日期", "申请人类型", "申请方式", "申请内容", "答复日期", "答复结果"]
    )
    ws.append(["2024-31", "2024年12月20日", "商业企业", "互联网", "某文件", "2025-01-08", "本机关不掌握相关政府信息"])  # fmt: skip
    ws.append(["2024-32", datetime(2024, 12, 25), "法律服务机构", "挂号信", None, "2025-01-10", "信访、举报、投诉类申请"])  # fmt: skip
    ws.append(["2024-33", "2024/12/28", "公司", "当面", "某许可", "2025-01-20", "申请人无正当理由逾期不补正…"])  # fmt: skip
    ws.append(["2024-34", "2024-12-30", "自然人", "其他", "某名单", "2025-01-02", "申请人逾期未按收费通知要求缴纳费用…"])  # fmt: skip
    ws.append(["2024-35", "2024-12-31", "自然人", "邮寄（签收）", "某名录", "2024-12-20", "予以公开"])  # fmt: skip


def messy_workbook(path: Path) -> Path:
    wb = Workbook()
    sheet_2025(wb)
    sheet_2024(wb)
    stats = wb.create_sheet("统计")
    stats.append(["2025年依申请公开情况统计"])
    stats.append(["申请人类型", "件数"])
    stats.append(["自然人", 3])
    hidden = wb.create_sheet("下拉选项")
    hidden.append(["收到申请日期", "申请人类型"])
    hidden.append(["2025-01-01", "自然人"])
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


# fmt: off
EXPECTED = [
    entry("依申请〔2025〕1号", date(2025, 1, 6), "natural", "online", content="某路段改造工程的批复文件", contact="13800138000", events=[("answered", date(2025, 1, 20), "granted")]),
    entry("依申请〔2025〕2号", date(2025, 2, 10), "commercial", "registered_post", content="2024年度预算执行情况", events=[("correction_requested", date(2025, 2, 12), None), ("correction_received", date(2025, 2, 19), None), ("answered", date(2025, 3, 10), "partial")]),
    entry("依申请〔2025〕4号", date(2025, 3, 5), "legal", "in_person", content="某项目环评报告", events=[("consultation_started", date(2025, 3, 10), None), ("consultation_ended", date(2025, 3, 20), None), ("extension_approved", date(2025, 3, 25), None), ("answered", date(2025, 4, 15), "denied_state_secret")]),
    entry("依申请〔2025〕7号", date(2025, 3, 8), "research", "ordinary_post", content="某数据", events=[("withdrawn", date(2025, 3, 12), None)]),
    entry("依申请〔2025〕8号", date(2025, 3, 9), "social", "fax", content="某监测数据", events=[("fee_notified", date(2025, 3, 20), None)]),
    entry("依申请〔2025〕9号", date(2025, 4, 1), "other", "online", content="某批复", events=[("consultation_started", date(2025, 4, 2), None), ("consultation_ended", date(2025, 4, 10), None), ("consultation_started", date(2025, 4, 20), None), ("consultation_ended", date(2025, 4, 28), None)]),
    entry("2024-31", date(2024, 12, 20), "commercial", "online", content="某文件", events=[("answered", date(2025, 1, 8), "unavailable_not_held")]),
    entry("2024-32", date(2024, 12, 25), "legal", "registered_post", events=[("answered", date(2025, 1, 10), "declined_petition")]),
    entry("2024-33", date(2024, 12, 28), "commercial", "in_person", content="某许可", events=[("answered", date(2025, 1, 20), "other_no_correction")]),
    entry("2024-34", date(2024, 12, 30), "natural", "other", content="某名单", events=[("answered", date(2025, 1, 2), "other_unpaid_fee")]),
]
# fmt: on


@pytest.fixture
def messy(tmp_path: Path) -> RegisterImport:
    return read_register(messy_workbook(tmp_path / "台账.xlsx"))


def test_messy_register_reports_exactly_the_bad_rows(messy: RegisterImport) -> None:
    found = [(e.sheet, e.row, e.column) for e in messy.errors]
    assert found == [
        ("2025年", 7, "收到日期"),
        ("2025年", 9, "申请人类别"),
        ("2025年", 10, "办结日期"),
        ("2025年", 15, "办理结果"),
        ("2024年结转", 7, "答复日期"),
    ]
    reasons = [e.reason for e in messy.errors]
    assert reasons[0] == "“收到日期”列：日期“2025-02-30”不存在"
    assert reasons[1].startswith("“申请人类别”列：无法识别的申请人类型“外国人”")
    assert reasons[2] == "“办结日期”列：有答复日期而“办理结果”为空"
    assert reasons[3] == "“办理结果”列：有答复结果而“办结日期”为空"
    assert reasons[4] == "“答复日期”列：2024-12-20 早于收到申请之日 2024-12-31"
    assert str(messy.errors[0]) == "工作表“2025年”第 7 行：“收到日期”列：日期“2025-02-30”不存在"


def test_messy_register_imports_the_good_rows(messy: RegisterImport) -> None:
    assert messy.entries == EXPECTED
    assert messy.sheets == ["2025年", "2024年结转"]
    ignored = {i.sheet: i.reason for i in messy.ignored}
    assert ignored.keys() == {"统计", "下拉选项"}
    assert "表头" in ignored["统计"] and "隐藏" in ignored["下拉选项"]


def test_round_trip_of_the_messy_register(messy: RegisterImport, tmp_path: Path) -> None:
    out = tmp_path / "导出.xlsx"
    write_register(messy.entries, out)
    again = read_register(out)
    assert again.entries == messy.entries
    assert again.errors == []
    assert again.sheets == ["台账"]
    assert [i.sheet for i in again.ignored] == ["填写说明"]


def test_export_layout(messy: RegisterImport, tmp_path: Path) -> None:
    out = tmp_path / "导出.xlsx"
    write_register(messy.entries, out)
    ws = load_workbook(out)["台账"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["编号", "收到申请日期", "申请人类型", "申请方式", "申请内容", "联系方式"]
    assert header[-3:] == ["答复日期", "答复结果", "办理备注"]
    col = {name: i for i, name in enumerate(header)}
    first = [c.value for c in ws[2]]
    assert first[col["收到申请日期"]] == datetime(2025, 1, 6)  # a real date, not text
    assert ws.cell(2, col["收到申请日期"] + 1).number_format == "yyyy-mm-dd"
    assert first[col["申请人类型"]] == "自然人"
    assert first[col["申请方式"]] == "互联网渠道"
    assert first[col["答复结果"]] == OUTCOME_LABELS["granted"] == "（一）予以公开"
    third = [c.value for c in ws[4]]
    assert third[col["答复结果"]] == "（三）不予公开 1.属于国家秘密"
    twice = [c.value for c in ws[7]]  # two consultation periods: several dates, ；-separated
    assert twice[col["征求意见开始日期"]] == "2025-04-02；2025-04-20"


# Generated registers ------------------------------------------------------------------------------

_NOT_XML = "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)])) + "\ufffe\uffff"
_CHARS = st.characters(codec="utf-8", exclude_characters=_NOT_XML)  # utf-8: no lone surrogates


def _text(max_size: int) -> st.SearchStrategy[str]:
    """Text as a cell keeps it: the reader strips a cell, so valid text is stripped."""
    words = st.text(_CHARS, max_size=max_size) | st.sampled_from(["=1+1", "0012", "合计", "a\\nb"])
    return words.map(str.strip)


_STEPS = (
    *("correction_requested", "correction_received", "consultation_started"),
    *("consultation_ended", "extension_approved", "fee_notified", "fee_paid"),
)
_NOTE = st.none() | _text(40).filter(bool)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    received = draw(st.dates(EARLIEST, LATEST - timedelta(days=400)))
    # Small offsets too: two events of a kind on one day is where notes could be misplaced.
    offsets = draw(st.lists(st.integers(0, 200) | st.integers(0, 2), max_size=6))
    events = [
        Event(
            request_id=0,
            kind=draw(st.sampled_from(_STEPS)),
            on=received + timedelta(days=o),
            note=draw(_NOTE),
        )
        for o in offsets
    ]
    end = draw(st.none() | st.sampled_from([*OUTCOMES, "withdrawn"]))
    if end is not None:
        on = received + timedelta(days=max(offsets, default=0) + draw(st.integers(0, 30)))
        kind, outcome = ("withdrawn", None) if end == "withdrawn" else ("answered", end)
        events.append(Event(request_id=0, kind=kind, on=on, outcome=outcome, note=draw(_NOTE)))
    request = Request(
        number=draw(st.none() | _text(100).filter(bool)),
        received=received,
        applicant=draw(st.sampled_from(APPLICANTS)),
        channel=draw(st.sampled_from(list(CHANNEL_NAMES))),
        content=draw(_text(200)),
        contact=draw(st.none() | _text(60).filter(bool)),
    )
    return Entry(request, canonical_events(events))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entries(), max_size=6))
def test_export_then_import_is_identity(register: list[Entry]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "台账.xlsx"
        write_register(register, path)
        again = read_register(path)
    assert again.errors == []
    assert again.entries == register


def test_notes_and_text_survive(tmp_path: Path) -> None:
    twin = date(2025, 3, 10)
    register = [
        Entry(
            Request(
                number="=HYPERLINK(1)",
                received=date(2025, 3, 5),
                applicant="natural",
                content="第一行\n第二行\\n",
            ),
            canonical_events(
                [
                    Event(
                        request_id=0,
                        kind="consultation_started",
                        on=twin,
                        note="征求（甲）：意见\n下一行",
                    ),
                    Event(request_id=0, kind="consultation_started", on=twin),
                    Event(
                        request_id=0,
                        kind="answered",
                        on=date(2025, 4, 1),
                        outcome="partial",
                        note="C:\\目录",
                    ),
                ]
            ),
        )
    ]
    path = tmp_path / "notes.xlsx"
    write_register(register, path)
    assert read_register(path).entries == register
    ws = load_workbook(path)["台账"]
    assert ws["A2"].data_type == "s"  # a number that looks like a formula stays text


def test_incoherent_rows_are_refused(tmp_path: Path) -> None:
    """What the register would refuse (corpus/register.py) is a row error here, not a surprise
    when the store imports it; and header markers, a repeated header and 总 计 are understood."""
    header = [
        "序号",
        "收到申请日期（必填）",
        "*申请人类型",
        "答复日期",
        "答复结果",
        "缴费日期",
        "收费通知日期",
    ]
    # fmt: off
    rows: list[list[Any]] = [
        header,
        [1, "2025-01-02", "自然人", "2025-01-10", "予以公开", "2025-01-20", "2025-01-05"],
        [2, "2025-01-02", "自然人", "2025-01-10；2025-01-12", "予以公开；部分公开", None, None],
        [3, "2025-01-02；2025-01-03", "自然人", None, None, None, None],
        [4, "2025-01-02", "自然人", "2025-01-10", "不予公开", None, None],
        header,  # repeated, as a print layout does: not a request
        [6, "2025-01-02", "自然人", "2025-01-10", "（六）其他处理 3.其他", "2025-01-08", "2025-01-06"],
        [None, "总 计", "5 件"],
    ]
    # fmt: on
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "incoherent.xlsx")
    result = read_register(tmp_path / "incoherent.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "缴费日期"),
        (3, "答复日期"),
        (4, "收到申请日期（必填）"),
        (5, "答复结果"),
    ]
    reasons = [e.reason for e in result.errors]
    assert "晚于办结之日 2025-01-10" in reasons[0]
    assert "只能办结一次" in reasons[1]
    assert "只能填一个日期" in reasons[2]
    assert "不予公开-属于国家秘密" in reasons[3]
    assert result.entries == [
        entry("6", date(2025, 1, 2), "natural", "other", events=[
            ("fee_notified", date(2025, 1, 6), None),
            ("fee_paid", date(2025, 1, 8), None),
            ("answered", date(2025, 1, 10), "other_misc"),
        ])
    ]  # fmt: skip


# Limits and refusals ------------------------------------------------------------------------------


def test_too_many_sheets(tmp_path: Path) -> None:
    wb = Workbook()
    for i in range(register_xlsx.MAX_SHEETS):
        wb.create_sheet(f"表{i}")
    wb.save(tmp_path / "many.xlsx")
    with pytest.raises(UnreadableInput, match="超过 50 张"):
        read_register(tmp_path / "many.xlsx")


def test_rows_beyond_the_cap_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(register_xlsx, "MAX_ROWS", 5)  # the cap, small enough to reach
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["收到申请日期", "申请人类型"])
    for day in range(1, 10):
        ws.append([f"2025-01-{day:02d}", "自然人"])
    wb.save(tmp_path / "long.xlsx")
    result = read_register(tmp_path / "long.xlsx")
    assert [e.request.received.day for e in result.entries] == [1, 2, 3, 4]
    assert [(e.row, e.reason) for e in result.errors] == [
        (6, "每张工作表最多读取 5 行，第 6 行起未读取")
    ]


def test_a_long_export_is_split_so_it_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(register_xlsx, "MAX_ROWS", 4)
    register = [
        entry(str(i), date(2025, 1, i), "natural", "other", content=f"第{i}件") for i in range(1, 8)
    ]
    write_register(register, tmp_path / "split.xlsx")
    again = read_register(tmp_path / "split.xlsx")
    assert again.sheets == ["台账", "台账（2）", "台账（3）"]
    assert again.entries == register and again.errors == []


def test_a_part_that_inflates_too_far_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(register_xlsx, "MAX_LOADED_PART", 1_000)  # the theme and styles are larger
    wb = Workbook()
    wb.save(tmp_path / "styles.xlsx")
    with pytest.raises(UnreadableInput, match=r"部件 xl/.*的上限，未读取"):
        read_register(tmp_path / "styles.xlsx")


def test_a_huge_cell_is_quoted_short(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["收到申请日期", "申请人类型"])
    ws.append(["2025-01-02", "外" * 30_000])
    wb.save(tmp_path / "huge.xlsx")
    [error] = read_register(tmp_path / "huge.xlsx").errors
    assert len(error.reason) < 200 and "…" in error.reason


def test_header_without_a_required_column(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["台账"])
    ws.append(["编号", "收到日期", "申请内容", "答复日期"])
    ws.append(["1", "2025-01-02", "某文件", "2025-01-10"])
    wb.save(tmp_path / "no-applicant.xlsx")
    result = read_register(tmp_path / "no-applicant.xlsx")
    assert result.entries == [] and result.sheets == []
    [error] = result.errors
    assert error.row == 2 and "“申请人类型”" in error.reason and "本表未导入" in error.reason


def test_files_that_are_not_workbooks(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    with pytest.raises(UnsupportedFormat, match=r"另存为 \.xlsx"):
        read_register(tmp_path / "old.xls")
    (tmp_path / "note.xlsx").write_text("编号,收到日期", encoding="utf-8")
    with pytest.raises(UnreadableInput, match="不是 Excel"):
        read_register(tmp_path / "note.xlsx")
    with pytest.raises(UnreadableInput, match="不存在"):
        read_register(tmp_path / "missing.xlsx")


# The vocabulary -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["2025-03-05", "2025/3/5", "2025.3.5", "2025年3月5日", "20250305", "２０２５年３月５日",
     "2025-03-05 00:00:00", 20250305, serial(date(2025, 3, 5)), serial(date(2025, 3, 5)) + 0.4,
     datetime(2025, 3, 5, 17, 0), date(2025, 3, 5)],
)  # fmt: skip
def test_date_forms(value: object) -> None:
    assert parse_date(value) == date(2025, 3, 5)


@pytest.mark.parametrize(
    ("value", "words"),
    [("2025-02-30", "不存在"), ("下周一", "无法识别"), (3, "不是"), ("2205-03-05", "超出"),
     (True, "不是日期"), ("20251301", "不存在")],
)  # fmt: skip
def test_bad_dates(value: object, words: str) -> None:
    with pytest.raises(ValueProblem, match=words):
        parse_date(value)


def test_every_table3_label_reads_back_as_its_outcome() -> None:
    assert {result_of(label) for label in OUTCOME_LABELS.values()} == set(OUTCOMES)
    for key, label in OUTCOME_LABELS.items():
        assert result_of(label) == key
        assert result_of(label.split(" ", 1)[-1]) == key  # the leaf alone: 1.属于国家秘密


@pytest.mark.parametrize(
    ("text", "key"),
    [("属于国家秘密", "denied_state_secret"), ("不予公开-国家秘密", "denied_state_secret"),
     ("不予公开（危及“三安全一稳定”）", "denied_security"), ("部分公开", "partial"),
     ("本机关不掌握相关政府信息", "unavailable_not_held"), ("信访举报投诉类申请", "declined_petition"),
     ("重复申请", "declined_duplicate"), ("申请人无正当理由逾期不补正…", "other_no_correction"),
     ("申请人逾期未按收费通知要求缴纳费用…", "other_unpaid_fee"), ("其他", "other_misc"),
     ("撤回", "withdrawn"), ("予以公开", "granted")],
)  # fmt: skip
def test_loose_result_wordings(text: str, key: str) -> None:
    assert result_of(text) == key


@pytest.mark.parametrize("text", ["不予公开", "其他处理", "已办理", "公开了一部分"])
def test_unclear_results_are_refused(text: str) -> None:
    with pytest.raises(ValueProblem):
        result_of(text)


def test_applicant_and_channel_wordings() -> None:
    words = {"自然人": "natural", "公民": "natural", "个人": "natural", "商业企业": "commercial",
             "企业": "commercial", "公司": "commercial", "科研机构": "research",
             "社会公益组织": "social", "法律服务机构": "legal", "律师事务所": "legal", "其他": "other",
             "法人或其他组织-商业企业": "commercial"}  # fmt: skip
    assert {w: applicant_of(w) for w in words} == words
    channels = {"当面": "in_person", "现场": "in_person", "挂号信": "registered_post",
                "ems": "registered_post", "邮寄（签收）": "registered_post", "平信": "ordinary_post",
                "信函": "ordinary_post", "网上": "online", "网络": "online", "互联网": "online",
                "在线": "online", "政府网站": "online", "传真": "fax", "其他": "other", "": "other"}  # fmt: skip
    assert {w: channel_of(w) for w in channels} == channels
