"""Validation errors in Chinese: FastAPI answers a bad parameter with pydantic's English `msg`;
a user of a Chinese app reads ours instead. `type`, `loc` and `ctx` stay for programs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

# pydantic error type → the message; {…} are filled from the error's ctx.
_MESSAGES: Final = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "string_too_short": "过短（至少 {min_length} 个字符）",
    "too_long": "项数过多（最多 {max_length} 项）",
    "too_short": "项数过少（至少 {min_length} 项）",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "date_from_datetime_parsing": "应为日期，如 2025-03-15",
    "date_parsing": "应为日期，如 2025-03-15",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "string_type": "应为文字",
    "extra_forbidden": "不认识此项",
    "value_error": "取值无效",
}
_PLACES: Final = {"query": "查询参数", "path": "路径参数", "body": "请求内容", "header": "请求头"}


def message(error: Mapping[str, Any]) -> str:
    """One error in words: where, then what."""
    text = _MESSAGES.get(str(error.get("type")), "取值无效")
    try:
        text = text.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        text = _MESSAGES.get(str(error.get("type")), "取值无效").split("{")[0].rstrip("（：")
    loc = [str(part) for part in error.get("loc") or ()]
    place = _PLACES.get(loc[0], "") if loc else ""
    name = ".".join(loc[1:]) if len(loc) > 1 else ""
    return f"{place} {name}：{text}".strip() if name else text


def in_chinese(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{**error, "msg": message(error)} for error in errors]


def summary(errors: Sequence[Mapping[str, Any]]) -> str:
    """For a page: the first few errors on one line."""
    parts = [message(e) for e in errors[:3]]
    more = f"等 {len(errors)} 处" if len(errors) > 3 else ""
    return "请求的参数有误：" + "；".join(parts) + more
