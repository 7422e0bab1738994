"""Table 4 rule T1 (T4_GROUP_SUM): in each group, 总计 = 维持 + 纠正 + 其他 + 尚未审结."""

from __future__ import annotations

from gongkai.model.finding import Finding
from gongkai.model.keys import T4_GROUPS
from gongkai.model.report import Report
from gongkai.validate.relations import Book, Relation, failures, plus


def group_sum_relations(report: Report) -> list[Relation]:
    if report.table4 is None:
        return []
    return [
        Relation(
            "T4_GROUP_SUM",
            f"表四“{name}”",
            "结果维持、结果纠正、其他结果、尚未审结四项之和",
            "“总计”",
            plus(*(("table4", key, c) for c in range(4))),
            plus(("table4", key, 4)),
        )
        for key, name in T4_GROUPS
    ]


def t4_group_sum(report: Report, lenient: bool = False) -> list[Finding]:
    return failures(group_sum_relations(report), Book(report), lenient)
