"""Narrative rules on hand-written paragraphs: TEXT_TABLE_MISMATCH and TEXT_ARITHMETIC."""

from __future__ import annotations

import pytest

from gongkai.model.report import Report
from gongkai.validate.claims import claims
from gongkai.validate.narrative import text_table_mismatch
from gongkai.validate.textarith import text_arithmetic

from rulekit import cells_of, clean, sections

# 12 new + 2 carried = 13 closed + 1 carried forward; 复议 2 (维持 1, 其他 1); 诉讼 1 (直接起诉, 未审结).
_T3 = {
    "received": [10, 2, 0, 0, 0, 0, 12],
    "carried_over": [2, 0, 0, 0, 0, 0, 2],
    "granted": [7, 2, 0, 0, 0, 0, 9],
    "denied_third_party": [2, 0, 0, 0, 0, 0, 2],
    "unavailable_not_held": [2, 0, 0, 0, 0, 0, 2],
    "total": [11, 2, 0, 0, 0, 0, 13],
    "carried_forward": [1, 0, 0, 0, 0, 0, 1],
}
_T4 = {
    "review": [1, 0, 1, 0, 2],
    "litigation_direct": [0, 0, 0, 1, 1],
    "litigation_after_review": [0, 0, 0, 0, 0],
}
AGREEING = (
    "2022年，本局共收到政府信息公开申请12件，上年结转2件，办结13件，结转下年度继续办理1件。"
    "本年度因政府信息公开工作被申请行政复议2件，其中结果维持1件、其他结果1件；"
    "被提起行政诉讼1件，尚未审结1件。\n"
    "全年作出行政处罚决定45件；行政许可处理决定120件。"
)


def _report(text: str, s3: str = "") -> Report:
    report = clean("2021", year=2022, sections=sections(s1=text, s3=s3))
    assert report.table3 is not None and report.table4 is not None and report.table2 is not None
    report.table3.update({k: list(v) for k, v in _T3.items()})
    report.table4.update({k: list(v) for k, v in _T4.items()})
    report.table2["punishment"]["decisions"] = 45
    report.table2["licensing"]["decisions"] = 120
    return report


def test_agreeing_figures_are_all_recognised_and_give_no_finding() -> None:
    report = _report(AGREEING)
    kinds = {c.kind for c in claims(report)}
    assert kinds >= {
        "received",
        "carried_over",
        "closed",
        "carried_forward",
        "review:4",
        "review:0",
        "review:2",
        "litigation:4",
        "litigation:3",
        "decisions:punishment",
        "decisions:licensing",
    }
    assert text_table_mismatch(report) == []
    assert text_arithmetic(report) == []


@pytest.mark.parametrize(
    ("old", "new", "stated", "cell"),
    [
        ("共收到政府信息公开申请12件", "共收到政府信息公开申请15件", 15, ("table3", "received", 6)),
        ("上年结转2件", "上年结转3件", 3, ("table3", "carried_over", 6)),
        ("办结13件", "办结10件", 10, ("table3", "total", 6)),
        ("结转下年度继续办理1件", "结转下年度继续办理4件", 4, ("table3", "carried_forward", 6)),
        ("被申请行政复议2件", "被申请行政复议3件", 3, ("table4", "review", 4)),
        ("结果维持1件", "结果维持2件", 2, ("table4", "review", 0)),
        ("被提起行政诉讼1件", "被提起行政诉讼2件", 2, ("table4", "litigation_direct", 4)),
        ("尚未审结1件", "尚未审结0件", 0, ("table4", "litigation_direct", 3)),
        ("行政处罚决定45件", "行政处罚决定40件", 40, ("table2", "punishment", "decisions")),
        ("行政许可处理决定120件", "行政许可处理决定12件", 12, ("table2", "licensing", "decisions")),
    ],
)
def test_one_contradicting_figure_gives_one_finding_at_its_cell(
    old: str, new: str, stated: int, cell: tuple[str, str, int | str]
) -> None:
    assert old in AGREEING
    found = text_table_mismatch(_report(AGREEING.replace(old, new)))
    assert len(found) == 1
    f = found[0]
    assert f.severity == "warning" and cell in cells_of(f)
    assert new in f.message and "第一部分" in f.message  # names the sentence
    assert f.actual == stated and f.expected != stated


def test_sentence_in_section_three_is_read_but_table_rows_are_not() -> None:
    table_rows = "一、本年新收政府信息公开申请数量\t\t10\t2\t0\t0\t0\t0\t99\n"
    prose = "本年度共受理依申请公开12件。"
    assert text_table_mismatch(_report("", s3=table_rows + prose)) == []
    found = text_table_mismatch(_report("", s3=table_rows + "本年度共受理依申请公开11件。"))
    assert len(found) == 1 and "第三部分" in found[0].message


def test_receipts_may_include_last_years_requests() -> None:
    # 受理 14 = 12 new + 2 carried over: a common way to count, not a contradiction.
    assert text_table_mismatch(_report("全年共受理政府信息公开申请14件。")) == []


def test_no_request_statement_is_compared_with_zero() -> None:
    found = text_table_mismatch(_report("本年度我局未收到政府信息公开申请。"))
    assert len(found) == 1 and found[0].actual == 0 and found[0].expected == 12


def test_no_review_or_suit_statement() -> None:
    report = _report("本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。")
    assert {c.kind for c in claims(report)} == {"review:4", "litigation:4"}
    assert len(text_table_mismatch(report)) == 2
    assert report.table4 is not None
    report.table4["review"] = [0] * 5
    report.table4["litigation_direct"] = [0] * 5
    assert text_table_mismatch(report) == []


@pytest.mark.parametrize(
    "partial",
    [
        "其中通过网上申请平台收到政府信息公开申请5件。",
        "本机关受理自然人政府信息公开申请10件。",
        "第四季度收到政府信息公开申请3件。",
        "12月份收到政府信息公开申请2件。",
        "2021年共收到政府信息公开申请20件。",
        "全县共受理政府信息公开申请150件。",
        "累计受理政府信息公开申请300件。",
        "按时办结政府信息公开申请12件。",
        "共收到政府信息公开申请12件，书面答复5件。",
        "县政府办公室代表县政府受理政府信息公开申请5件。",
        "行政许可、行政处罚决定165件。",
        "公开行政处罚决定30件。",
        "司法所办理行政复议案件8件。",
    ],
)
def test_partial_figures_give_no_finding(partial: str) -> None:
    assert text_table_mismatch(_report(partial)) == []


def test_unrelated_closings_are_not_requests() -> None:
    # 信访 cases closed are not disclosure requests: the sentence says nothing of 申请.
    assert text_table_mismatch(_report("承办各类信访件40件，办结39件。")) == []


def test_blank_cell_is_not_compared() -> None:
    report = _report("全年共收到政府信息公开申请15件。")
    assert report.table3 is not None
    report.table3["received"][6] = None
    assert text_table_mismatch(report) == []


# TEXT_ARITHMETIC ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "全年共发布政务信息130条，其中网站发布80条，微信发布50条。",
        "共受理申请10件，其中自然人8件、法人2件，予以公开7件，不予公开3件。",
        "共发布信息100余条，其中网站60条、微信50条。",
        "共发布信息100条，其中网站60条（含转载70条）、微信40条。",
        "共转办热线工单250件，已办结247件，办结率98.8%。",
        "共转办热线工单251件，已办结247件，办结率98.4%。",
        "共转办热线工单251件，已办结247件，办结率98.5%。",
        "共出台规范性文件3件，完成解读2件，解读率66.7%。",
        "群众满意度高，办结率达到100%。",
    ],
)
def test_consistent_or_unjudgeable_narrative_gives_no_arithmetic_finding(text: str) -> None:
    assert text_arithmetic(_report(text)) == []


def test_parts_exceeding_the_whole_are_flagged() -> None:
    found = text_arithmetic(_report("全年共发布政务信息120条，其中网站发布80条，微信发布50条。"))
    assert len(found) == 1
    f = found[0]
    assert (f.expected, f.actual) == (120, 130) and "80 + 50" in f.message
    assert "共发布政务信息120条" in f.message


def test_a_single_part_above_the_whole_is_flagged() -> None:
    found = text_arithmetic(_report("本年度共收到建议20件，其中采纳25件。"))
    assert len(found) == 1 and found[0].actual == 25


def test_rate_that_does_not_follow_from_the_counts_is_flagged() -> None:
    found = text_arithmetic(_report("共出台规范性文件20件，完成解读15件，解读率100%。"))
    assert len(found) == 1
    f = found[0]
    assert f.expected == 75 and f.actual == 100 and "15 ÷ 20" in f.message


def test_rate_may_use_a_whole_stated_in_the_previous_sentence() -> None:
    text = "共转办热线工单400件，其中求助类300件，投诉类100件。现已办结398件，办结率99.5%。"
    assert text_arithmetic(_report(text)) == []
    assert len(text_arithmetic(_report(text.replace("99.5%", "90%")))) == 1
