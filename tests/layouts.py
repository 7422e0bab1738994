"""Hand-written reports in the layouts real conversions produce (issue 11's classes), built from one
table of values so each test knows the truth. Nothing here is copied from a real report."""

from __future__ import annotations

from collections.abc import Callable, Sequence

Values = list[int | None]

T3_2021: list[tuple[str, Values]] = [
    ("一、本年新收政府信息公开申请数量", [5, 1, 0, 2, 0, 0, 8]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    ("（一）予以公开", [2, 1, 0, 0, 0, 0, 3]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
    ("1.属于国家秘密", [0] * 7),
    ("2.其他法律行政法规禁止公开", [0] * 7),
    ("3.危及“三安全一稳定”", [0] * 7),
    ("4.保护第三方合法权益", [0] * 7),
    ("5.属于三类内部事务信息", [0] * 7),
    ("6.属于四类过程性信息", [0] * 7),
    ("7.属于行政执法案卷", [0] * 7),
    ("8.属于行政查询事项", [0] * 7),
    ("1.本机关不掌握相关政府信息", [2, 0, 0, 2, 0, 0, 4]),
    ("2.没有现成信息需要另行制作", [0] * 7),
    ("3.补正后申请内容仍不明确", [0] * 7),
    ("1.信访举报投诉类申请", [0] * 7),
    ("2.重复申请", [0] * 7),
    ("3.要求提供公开出版物", [0] * 7),
    ("4.无正当理由大量反复申请", [0] * 7),
    ("5.要求行政机关确认或重新出具已获取信息", [0] * 7),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("3.其他", [0] * 7),
    ("（七）总计", [5, 1, 0, 2, 0, 0, 8]),
    ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
]
T3_KEYS_2021 = [
    "received", "carried_over", "granted", "partial", "denied_state_secret", "denied_law",
    "denied_security", "denied_third_party", "denied_internal", "denied_process",
    "denied_enforcement", "denied_query", "unavailable_not_held", "unavailable_needs_creation",
    "unavailable_unclear", "declined_petition", "declined_duplicate", "declined_publication",
    "declined_excessive", "declined_confirmation", "other_no_correction", "other_unpaid_fee",
    "other_misc", "total", "carried_forward",
]  # fmt: skip
T4 = [1, 0, 0, 0, 1, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0]
_GROUP_START = {
    4: "（三）不予公开",
    12: "（四）无法提供",
    15: "（五）不予处理",
    20: "（六）其他处理",
}
_GROUP_SPAN = {4: 8, 12: 3, 15: 5, 20: 3}
_COLUMNS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

OPENING = "某某市某某局2024年政府信息公开工作年度报告\n\n一、总体情况\n\n本年度工作有序开展。\n"
T2_2021 = """二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t3\t1\t12
第二十条第（五）项
信息内容\t本年处理决定数量
行政许可\t78
第二十条第（六）项
信息内容\t本年处理决定数量
行政处罚\t5
行政强制\t0
第二十条第（八）项
信息内容\t本年收费金额（单位：万元）
行政事业性收费\t1.5
"""


def cell(text: object, rowspan: int = 1, colspan: int = 1) -> str:
    span = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f"<td{span}>{'&nbsp;' if text is None else text}</td>"


def t3_html(
    rows: Sequence[tuple[str, Values]] = T3_2021,
    spacer: int | None = None,
    value: Callable[[object], str] = cell,
) -> str:
    """Table 3 as Word exports it (merged label cells); `spacer`: an empty column inserted after
    that many value columns, in every row, as some exports carry."""

    def values(vals: Values) -> str:
        out = [value(v) for v in vals]
        if spacer is not None:
            out.insert(spacer, "<td></td>")
        return "".join(out)

    pad = "<td></td>" if spacer is not None else ""
    head = [
        "<tr>" + cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
        + cell("申请人情况", 1, 7 + (spacer is not None)) + "</tr>",
        "<tr>" + cell("自然人", 2) + cell("法人或其他组织", 1, 5 + (spacer is not None))
        + cell("总计", 2) + "</tr>",
        "<tr>" + "".join(cell(c) for c in _COLUMNS[: (spacer or 9) - 1]) + pad
        + "".join(cell(c) for c in _COLUMNS[(spacer or 9) - 1 :]) + "</tr>",
    ]  # fmt: skip
    body = []
    for i, (label, vals) in enumerate(rows):
        if i < 2 or i >= len(rows) - 1:
            body.append("<tr>" + cell(label, 1, 3) + values(vals) + "</tr>")
            continue
        lead = cell("三、本年度办理结果", len(rows) - 3) if i == 2 else ""
        if i in _GROUP_START:
            lead += cell(_GROUP_START[i], _GROUP_SPAN[i]) + cell(label)
        elif any(s < i < s + n for s, n in _GROUP_SPAN.items()):
            lead += cell(label)
        else:
            lead += cell(label, 1, 2)
        body.append("<tr>" + lead + values(vals) + "</tr>")
    return "<table>" + "".join(head + body) + "</table>"


def t4_html(values: Sequence[int | None] = T4) -> str:
    leaves = "".join(cell(c) for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    return (
        "<table><tr>" + cell("行政复议", 1, 5) + cell("行政诉讼", 1, 10) + "</tr>"
        + "<tr>" + "".join(cell(c, 2) for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
        + cell("未经复议直接起诉", 1, 5) + cell("复议后起诉", 1, 5) + "</tr>"
        + "<tr>" + leaves + leaves + "</tr>"
        + "<tr>" + "".join(cell(v) for v in values) + "</tr></table>"
    )  # fmt: skip


def report_html(t3: str, t4: str = "", t2: str = "") -> bytes:
    return (
        "<html><body><p>某某市某某局2024年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p>"
        f"<p>二、主动公开政府信息情况</p>{t2}<p>三、收到和处理政府信息公开申请情况</p>{t3}"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{t4 or t4_html()}"
        "<p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>"
    ).encode()


def expected_t3(rows: Sequence[tuple[str, Values]] = T3_2021) -> dict[str, Values]:
    return dict(zip(T3_KEYS_2021, [list(v) for _label, v in rows], strict=True))


def t4_groups(values: Sequence[int | None] = T4) -> dict[str, list[int | None]]:
    keys = ("review", "litigation_direct", "litigation_after_review")
    return {k: list(values[i * 5 : i * 5 + 5]) for i, k in enumerate(keys)}
