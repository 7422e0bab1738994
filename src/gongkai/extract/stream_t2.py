"""Table 2 read in reading order (the second strategy, as stream.py for tables 3 and 4).

Labels name an item (规章, 行政许可 …) or a field of the block's header (本年制发件数 …); a caption
(第二十条第（X）项) starts a block. An item's values are the values after its label, as many as the
block's header names fields. A header some of whose words were broken by the conversion
(`本年增/` + `减`) still says which fields it names; where it names fewer than the values, the
form's own fields for the item are used, but only when they contain the header's in its order
and their number is the number of values. Otherwise the item is not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from gongkai.extract.normalize import norm
from gongkai.extract.reading import Reading, read_values
from gongkai.extract.table2 import field_key, item_key, template_of
from gongkai.extract.tokens import Token
from gongkai.model.keys import T2_LAYOUT

_CAPTION = re.compile(r"第二十条")
_WINDOW = 3


def form_fields(item: str, template: str | None) -> list[str]:
    for name, layout in T2_LAYOUT.items():
        if template is not None and name != template:
            continue
        for _caption, items, fields in layout:
            if item in items:
                return list(fields)
    return []


def _known(item: str) -> set[str]:
    return {f for name in T2_LAYOUT for f in form_fields(item, name)}


@dataclass(slots=True)
class _Item:
    key: str
    fields: list[str]
    run: list[Token] = field(default_factory=list)


def _item_of(labels: list[Token]) -> str | None:
    for end in range(len(labels) - 1, -1, -1):
        for start in range(end, max(-1, end - _WINDOW), -1):
            key = item_key("".join(t.text for t in labels[start : end + 1]))
            if key is not None:
                return key
    return None


def _header_fields(labels: list[Token]) -> list[str] | None:
    """The fields a header among the labels names, in order; None when there is no header."""
    texts = [norm(t.text) for t in labels]
    keys = [k for t in texts if "信息内容" not in t and (k := field_key(t)) is not None]
    if not keys or not (any("信息内容" in t for t in texts) or len(keys) >= 2):
        return None
    return list(dict.fromkeys(keys))


def _interrupts(token: Token) -> bool:
    text = norm(token.text)
    return bool(item_key(text) or field_key(text) or _CAPTION.search(text) or "信息内容" in text)


@dataclass(slots=True)
class StreamT2:
    items: dict[str, tuple[list[str], Reading]] = field(default_factory=dict)
    template: str | None = None
    notes: list[tuple[str | None, str]] = field(default_factory=list)


def _cut(tokens: Sequence[Token]) -> tuple[list[_Item], set[str]]:
    """The region's tokens cut into items, each with its block's header fields."""
    items: list[_Item] = []
    pending: list[Token] = []
    fields: list[str] = []
    seen: set[str] = set()
    current: _Item | None = None
    for token in tokens:
        if token.kind == "barrier":
            current, pending = None, []
        elif token.kind == "label":
            if current is not None and (not current.run or _interrupts(token)):
                current = None
            if current is None:
                pending.append(token)
        elif token.kind in ("number", "blank") and pending:
            if any(_CAPTION.search(norm(t.text)) for t in pending):
                fields = []  # a new block: its header follows
            header = _header_fields(pending)
            if header is not None:
                fields = header
                seen.update(header)
            key = _item_of(pending)
            current = _Item(key, list(fields), [token]) if key is not None else None
            if current is not None:
                items.append(current)
            pending = []
        elif current is not None and token.kind != "gap":
            current.run.append(token)
    return items, seen


def _fields_for(item: _Item, count: int, template: str | None) -> list[str] | None:
    header, form = item.fields, form_fields(item.key, template)
    if header and set(header) <= _known(item.key) and len(header) == count:
        return header
    it = iter(form)
    if len(form) == count and all(f in it for f in header):
        return form
    return None


def read_table2(tokens: Sequence[Token]) -> StreamT2:
    items, fields_seen = _cut(tokens)
    out = StreamT2(template=template_of(fields_seen, {i.key for i in items}))
    for item in items:
        if item.key in out.items:
            continue
        count = sum(t.kind in ("number", "blank") for t in item.run)
        fields = _fields_for(item, count, out.template)
        if fields is None:
            out.notes.append((item.key, f"该行有 {count} 个数值，与表头的列数不符，未读取"))
            continue
        out.items[item.key] = (fields, read_values(item.run, len(fields)))
    return out
