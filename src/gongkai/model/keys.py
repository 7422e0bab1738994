"""The form's vocabulary: canonical keys and the labels printed on the form.

Keys are the contract of report.schema.json; labels are what a clerk sees on the paper form and are
used in messages and when drawing the tables.
"""

from __future__ import annotations

from typing import Final

TEMPLATE_2019: Final = "2019"
TEMPLATE_2021: Final = "2021"

# Table 3 ------------------------------------------------------------------------------------------

T3_COLUMNS: Final[tuple[str, ...]] = (
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
)
T3_TOTAL_COL: Final = 6

# (key, label as printed). The 2019 and 2021 rows differ only in block （六）.
_T3_HEAD: Final = (
    ("received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partial", "（二）部分公开"),
    ("denied_state_secret", "（三）不予公开 1.属于国家秘密"),
    ("denied_law", "（三）不予公开 2.其他法律行政法规禁止公开"),
    ("denied_security", "（三）不予公开 3.危及“三安全一稳定”"),
    ("denied_third_party", "（三）不予公开 4.保护第三方合法权益"),
    ("denied_internal", "（三）不予公开 5.属于三类内部事务信息"),
    ("denied_process", "（三）不予公开 6.属于四类过程性信息"),
    ("denied_enforcement", "（三）不予公开 7.属于行政执法案卷"),
    ("denied_query", "（三）不予公开 8.属于行政查询事项"),
    ("unavailable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "（四）无法提供 2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "（四）无法提供 3.补正后申请内容仍不明确"),
    ("declined_petition", "（五）不予处理 1.信访举报投诉类申请"),
    ("declined_duplicate", "（五）不予处理 2.重复申请"),
    ("declined_publication", "（五）不予处理 3.要求提供公开出版物"),
    ("declined_excessive", "（五）不予处理 4.无正当理由大量反复申请"),
    ("declined_confirmation", "（五）不予处理 5.要求行政机关确认或重新出具已获取信息"),
)
_T3_OTHER_2019: Final = (("other", "（六）其他处理"),)
_T3_OTHER_2021: Final = (
    ("other_no_correction", "（六）其他处理 1.申请人无正当理由逾期不补正"),
    ("other_unpaid_fee", "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用"),
    ("other_misc", "（六）其他处理 3.其他"),
)
_T3_TAIL: Final = (
    ("total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
)

T3_ROWS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    TEMPLATE_2019: _T3_HEAD + _T3_OTHER_2019 + _T3_TAIL,
    TEMPLATE_2021: _T3_HEAD + _T3_OTHER_2021 + _T3_TAIL,
}
T3_LABELS: Final[dict[str, str]] = dict(_T3_HEAD + _T3_OTHER_2019 + _T3_OTHER_2021 + _T3_TAIL)
T3_INTAKE: Final = ("received", "carried_over")
T3_OUTCOME_KEYS: Final[dict[str, tuple[str, ...]]] = {
    t: tuple(k for k, _ in rows[2:-2]) for t, rows in T3_ROWS.items()
}
# Row key suffix of a third-party subtotal row where it sits beside table 3 (provenance, store).
SUBTOTAL_SUFFIX: Final = "_subtotal"
# Blocks （三）…（六）: the leaves an optional subtotal row must add up to.
T3_BLOCKS: Final[dict[str, tuple[str, ...]]] = {
    "denied": tuple(k for k, _ in _T3_HEAD if k.startswith("denied_")),
    "unavailable": tuple(k for k, _ in _T3_HEAD if k.startswith("unavailable_")),
    "declined": tuple(k for k, _ in _T3_HEAD if k.startswith("declined_")),
    "other": tuple(k for k, _ in _T3_OTHER_2021),
}

# Table 4 ------------------------------------------------------------------------------------------

T4_GROUPS: Final[tuple[tuple[str, str], ...]] = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼·未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼·复议后起诉"),
)
T4_COLUMNS: Final[tuple[str, ...]] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# Table 2 ------------------------------------------------------------------------------------------

T2_ITEM_LABELS: Final[dict[str, str]] = {
    "regulations": "规章",
    "normative_documents": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "punishment": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
T2_FIELD_LABELS: Final[dict[str, str]] = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "处理决定数量",
    "amount": "金额",
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "prior_items": "上一年项目数量",
    "change": "本年增/减",
    "items": "采购项目数量",
}
# The layout of each template: block caption, items and their fields in form order.
T2_LAYOUT: Final[dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]]] = {
    TEMPLATE_2021: (
        (
            "第二十条第（一）项",
            ("regulations", "normative_documents"),
            ("issued", "repealed", "in_force"),
        ),
        ("第二十条第（五）项", ("licensing",), ("decisions",)),
        ("第二十条第（六）项", ("punishment", "coercion"), ("decisions",)),
        ("第二十条第（八）项", ("fees",), ("amount",)),
    ),
    TEMPLATE_2019: (
        (
            "第二十条第（一）项",
            ("regulations", "normative_documents"),
            ("made", "published", "total_published"),
        ),
        (
            "第二十条第（五）项",
            ("licensing", "other_services"),
            ("prior_items", "change", "decisions"),
        ),
        ("第二十条第（六）项", ("punishment", "coercion"), ("prior_items", "change", "decisions")),
        ("第二十条第（八）项", ("fees",), ("prior_items", "change")),
        ("第二十条第（九）项", ("procurement",), ("items", "amount")),
    ),
}
# The labels as each form prints them (the generic ones above serve where both agree).
T2_HEADERS: Final[dict[str, dict[str, str]]] = {
    TEMPLATE_2021: {
        "issued": "本年制发件数",
        "repealed": "本年废止件数",
        "in_force": "现行有效件数",
        "decisions": "本年处理决定数量",
        "amount": "本年收费金额（单位：万元）",
    },
    TEMPLATE_2019: {
        "made": "本年新制作数量",
        "published": "本年新公开数量",
        "total_published": "对外公开总数量",
        "prior_items": "上一年项目数量",
        "change": "本年增/减",
        "decisions": "处理决定数量",
        "items": "采购项目数量",
        "amount": "采购总金额",
    },
}
_T2_ITEM_PRINTED: Final[dict[str, dict[str, str]]] = {
    TEMPLATE_2021: {"normative_documents": "行政规范性文件"},
    TEMPLATE_2019: {},
}


def t2_item_label(item: str, template: str) -> str:
    """A table-2 row label as the given form prints it."""
    return _T2_ITEM_PRINTED.get(template, {}).get(item, T2_ITEM_LABELS.get(item, item))


def t2_field_label(field: str, template: str) -> str:
    """A table-2 column heading as the given form prints it."""
    return T2_HEADERS.get(template, {}).get(field) or T2_FIELD_LABELS.get(field, field)


# Fields holding money: decimals are legitimate there.
T2_MONEY_FIELDS: Final = frozenset({"amount"})
# Fields that may legitimately be negative (2019 本年增/减).
T2_SIGNED_FIELDS: Final = frozenset({"change"})

SECTION_HEADINGS: Final[tuple[str, ...]] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
