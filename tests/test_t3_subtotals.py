"""Subtotal rows that third-party templates add to table 3 (FORMAT.md §2.5, rule R4 T3_SUBTOTAL).

The official form has none; a report that carries them must still read exactly, and a subtotal
that disagrees with its leaves is an error a reviewer would mark.
"""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.api import check_report, parse_bytes, parse_file
from gongkai.corpus import ingest
from gongkai.extract.t3_columns import T3Row
from gongkai.extract.table3 import parse_table3
from gongkai.extract.values import read_cell, split_label
from gongkai.model.keys import T3_BLOCKS
from gongkai.model.report import Report
from gongkai.readers.raw import RawCell
from gongkai.store import Filters, list_reports, load_report, open_db, stats
from gongkai.validate import check

from conftest import SEEDS_DIR, needs_shared

pytestmark = needs_shared
SEED_2019 = SEEDS_DIR / "004_a0f62e3ec90446e4.txt"  # has a non-zero 不予公开 leaf
SEED_2021 = SEEDS_DIR / "001_e65d9bbd0314f93f.txt"
_NOT_OUTCOMES = {"received", "carried_over", "total", "carried_forward"}


def _sums(report: Report, block: str) -> list[int]:
    table = report.table3 or {}
    rows = [table[k] for k in T3_BLOCKS[block] if k in table]
    return [sum(int(row[c] or 0) for row in rows) for c in range(7)]


def _insert_before(text: str, marker: str, line: str) -> str:
    lines = text.split("\n")
    at = next(i for i, existing in enumerate(lines) if marker in existing)
    return "\n".join([*lines[:at], line, *lines[at:]])


def _row(label: str, values: list[int]) -> str:
    return "\t" + label + "\t" + "\t".join(map(str, values))


def test_subtotal_rows_are_kept_apart_and_checked_against_their_leaves() -> None:
    text = SEED_2019.read_text(encoding="utf-8")
    plain = parse_bytes(text.encode(), SEED_2019.name)
    denied, unavailable = _sums(plain, "denied"), _sums(plain, "unavailable")
    wrong = [*unavailable[:6], unavailable[6] + 2]
    text = _insert_before(text, "1.属于国家秘密", _row("(三) 不予公开\t小计", denied))
    text = _insert_before(text, "1.本机关不掌握", _row("(四) 无法提供", wrong))
    report = check_report(parse_bytes(text.encode(), SEED_2019.name))
    assert report.table3 == plain.table3  # the official rows read exactly as without them
    assert report.table3_subtotals == {"denied": denied, "unavailable": wrong}
    errors = [f for f in report.findings or [] if f.code == "T3_SUBTOTAL"]
    assert len(errors) == 1
    assert ["table3", "unavailable_subtotal", 6] in [list(c) for c in errors[0].cells]


def test_other_with_numbers_above_2021_leaves_is_a_subtotal_not_a_2019_row() -> None:
    text = SEED_2021.read_text(encoding="utf-8")
    text = _insert_before(text, "1.申请人无正当理由", _row("(六) 其他处理\t", [0] * 7))
    report = parse_bytes(text.encode(), SEED_2021.name)
    assert report.meta.templates.table3 == "2021"
    assert "other" not in (report.table3 or {})
    assert report.table3_subtotals == {"other": [0] * 7}


def test_official_form_has_no_subtotals_in_its_json() -> None:
    report = parse_bytes(SEED_2021.read_bytes(), SEED_2021.name)
    assert report.table3_subtotals is None
    assert "table3_subtotals" not in report.to_json()


def _with_org_subtotal_column(text: str, wrong_row: str | None = None) -> str:
    """Seed text with a 法人或其他组织小计 column before 总计 in every table-3 row, as some
    third-party templates have it (FORMAT.md §2.5)."""
    out, inside = [], False
    for line in text.split("\n"):
        inside = (inside or line.startswith("三、收到和处理")) and not line.startswith("四、")
        cells = line.split("\t")
        numbers = [i for i, c in enumerate(cells) if re.fullmatch(r"\d+", c.strip())]
        if inside and len(numbers) == 7:
            values = [int(cells[i]) for i in numbers]
            subtotal = sum(values[1:6]) + (1 if wrong_row and wrong_row in line else 0)
            cells.insert(numbers[6], str(subtotal))
        elif inside and "总计" in cells and not numbers:
            cells.insert(cells.index("总计"), "")
        elif inside and "商业企业" in cells:
            cells.insert(cells.index("其他") + 1, "法人或其他组织小计")
        out.append("\t".join(cells))
    return "\n".join(out)


def test_org_subtotal_column_is_left_out_and_the_table_reads_exactly() -> None:
    text = SEED_2019.read_text(encoding="utf-8")
    plain = parse_bytes(text.encode(), SEED_2019.name)
    report = parse_bytes(_with_org_subtotal_column(text).encode(), SEED_2019.name)
    assert report.table3 == plain.table3
    notes = [a for a in report.anomalies if "法人或其他组织小计" in a.message]
    assert len(notes) == 1 and "不一致" not in notes[0].message


def test_org_subtotal_that_disagrees_is_named() -> None:
    text = _with_org_subtotal_column(SEED_2019.read_text(encoding="utf-8"), "保护第三方")
    report = check_report(parse_bytes(text.encode(), SEED_2019.name))
    notes = [f for f in report.findings or [] if "法人或其他组织小计" in f.message]
    assert len(notes) == 1 and "保护第三方合法权益的小计" in notes[0].message


def _grid_row(*texts: str) -> T3Row:
    """A row of a grid that keeps its columns: each cell has its column's interval (raw.py)."""
    cells = [read_cell(RawCell(t, x0=i, x1=i + 1)) for i, t in enumerate(texts)]
    labels, values = split_label(cells)
    return T3Row(labels, values, None, cells, fixed=True, frame=0)


def test_org_subtotal_column_in_a_grid_is_left_out_by_its_header_position() -> None:
    """HTML/DOCX/ruled PDF keep columns: the header's 小计 position is skipped, and a zero in it
    is not read as 其他 or 总计."""
    rows = [
        _grid_row("", "", "自然人", "法人或其他组织", "", "", "", "", "", "总计"),
        _grid_row(
            "",
            "",
            "",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "法人或其他组织小计",
            "",
        ),
        _grid_row("一、本年新收政府信息公开申请数量", "", "5", "1", "0", "2", "0", "0", "3", "8"),
        _grid_row("二、上年结转政府信息公开申请数量", "", "1", "0", "0", "0", "0", "0", "4", "1"),
        _grid_row("四、结转下年度继续办理", "", "2", "0", "0", "0", "0", "", "0", "2"),
    ]
    result = parse_table3(rows)
    assert result.rows["received"].values == [5, 1, 0, 2, 0, 0, 8]
    assert result.rows["carried_over"].values == [1, 0, 0, 0, 0, 0, 1]
    # Only the header's positions can place a blank 其他 next to a 小计: blank is not zero.
    assert result.rows["carried_forward"].values == [2, 0, 0, 0, 0, None, 2]
    (note,) = [a for a in result.anomalies if "小计" in a.message]
    assert "二、上年结转政府信息公开申请数量的小计" in note.message and "一、" not in note.message


def test_subtotals_survive_the_corpus_and_its_recheck(tmp_path: Path) -> None:
    """The corpus re-checks reports as loaded back from the database: a subtotal must come back."""
    text = SEED_2019.read_text(encoding="utf-8")
    wrong = [*_sums(parse_bytes(text.encode(), SEED_2019.name), "denied")[:6], 99]
    path = tmp_path / SEED_2019.name
    path.write_text(_insert_before(text, "1.属于国家秘密", _row("(三) 不予公开", wrong)), "utf-8")
    db = tmp_path / "corpus.sqlite"
    assert ingest([path], db, jobs=1).added == 1
    con = open_db(db)
    (row,) = list_reports(con, Filters())
    stored = load_report(con, row.id)
    assert stored.to_json(provenance=True) == parse_file(path).to_json(provenance=True)
    assert [f.code for f in check(stored)].count("T3_SUBTOTAL") == 1
    # Statistics over outcomes count the leaves once: the subtotal row repeats them.
    outcomes = dict(stats(con).outcomes)
    assert "denied_subtotal" not in outcomes
    assert sum(outcomes.values()) == sum(
        v[6] or 0 for k, v in (stored.table3 or {}).items() if k not in _NOT_OUTCOMES
    )


def _text_row(*texts: str) -> T3Row:
    row = _grid_row(*texts)
    row.fixed = False  # text whose columns drift: nothing is read by position
    return row


_DRIFTING_HEADER = (
    "自然人",
    "法人或其他组织小计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
)


def test_subtotal_column_is_dropped_where_the_header_puts_it() -> None:
    rows = [
        _text_row(*_DRIFTING_HEADER),
        _text_row("一、本年新收", "5", "3", "1", "0", "2", "0", "0", "8"),
    ]
    assert parse_table3(rows).rows["received"].values == [5, 1, 0, 2, 0, 0, 8]


def test_seven_numbers_under_a_subtotal_column_are_read_only_if_they_add_up() -> None:
    """A lost blank plus a 小计 also makes seven numbers: unless the row sums, nothing is read."""
    rows = [
        _text_row(*_DRIFTING_HEADER),
        _text_row("一、本年新收", "5", "3", "1", "2", "0", "0", "8"),
        _text_row("二、上年结转", "1", "0", "0", "0", "0", "0", "1"),
    ]
    result = parse_table3(rows)
    assert result.rows["received"].values == [None] * 7
    assert result.rows["carried_over"].values == [1, 0, 0, 0, 0, 0, 1]


def test_group_label_with_numbers_above_a_split_leaf_label_is_that_leaf() -> None:
    """ "（三）不予公开 | 0 …" above a label-only "1.属于国家秘密" is one row split across lines."""
    rows = [
        _grid_row("(三) 不予公开", "1", "0", "0", "0", "0", "0", "1"),
        _grid_row("1.属于国家秘密"),
    ]
    result = parse_table3(rows)
    assert result.rows["denied_state_secret"].values == [1, 0, 0, 0, 0, 0, 1]
    assert result.subtotals == {}
