"""Word list numbering → the label Word renders in front of a paragraph ("一、", "（三）", "2.").

Report headings and table labels are often automatic lists, and extract/ finds sections by their
numbered wording. Supported: numbering set on the paragraph or inherited through its style
(`basedOn` chain), `lvlText` with `%1`–`%9`, `start` and `startOverride`, and the formats reports
use (decimal, Chinese counting, circled, letters, Roman, 甲乙丙). Limits: counters run per `numId`
(Word may continue a list across `numId`s that share an abstract list), `isLgl` and pictures
bullets are ignored, and bullets render as nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NUM_PR, _NUM_ID, _ILVL = f"{W}numPr", f"{W}numPr/{W}numId", f"{W}numPr/{W}ilvl"
_PSTYLE = f"{W}pStyle"
_DIGITS = "〇一二三四五六七八九"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def chinese_numeral(n: int, digits: str = _DIGITS, ten: str = "十") -> str:
    """一 … 九十九 (in 大写 with `digits`/`ten`); other numbers as digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else (ten if tens == 1 and digits is _DIGITS else digits[tens] + ten)
    return head + (digits[ones] if ones else "")


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out += letters * count
    return out


def _letter(n: int) -> str:
    # Word repeats the letter past z: 27 → aa.
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    ),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 0 < n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 0 < n <= 20 else str(n),
    "chineseCounting": chinese_numeral,
    "chineseCountingThousand": chinese_numeral,
    "taiwaneseCountingThousand": chinese_numeral,
    "chineseLegalSimplified": lambda n: chinese_numeral(n, _LEGAL, "拾"),
    "ideographDigital": lambda n: "".join(_DIGITS[int(d)] for d in str(n)),
    "ideographTraditional": lambda n: _STEMS[(n - 1) % 10] if n > 0 else str(n),
    "lowerLetter": _letter,
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": _roman,
}


@dataclass(frozen=True, slots=True)
class _Level:
    fmt: str
    text: str
    start: int


def _val(el: Any, path: str, default: str | None = None) -> str | None:
    found = el.find(path)
    return default if found is None else found.get(f"{W}val", default)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _levels(abstract: Any) -> dict[int, _Level]:
    levels = {}
    for lvl in abstract.iterfind(f"{W}lvl"):
        levels[_int(lvl.get(f"{W}ilvl"), 0)] = _Level(
            _val(lvl, f"{W}numFmt", "decimal") or "decimal",
            _val(lvl, f"{W}lvlText", "") or "",
            _int(_val(lvl, f"{W}start"), 1),
        )
    return levels


def _lists(numbering: Any) -> dict[str, dict[int, _Level]]:
    """numId → its levels, with the list instance's start overrides applied."""
    abstracts = {
        a.get(f"{W}abstractNumId"): _levels(a) for a in numbering.iterfind(f"{W}abstractNum")
    }
    lists = {}
    for num in numbering.iterfind(f"{W}num"):
        levels = dict(abstracts.get(_val(num, f"{W}abstractNumId"), {}))
        for override in num.iterfind(f"{W}lvlOverride"):
            ilvl, start = _int(override.get(f"{W}ilvl"), 0), _val(override, f"{W}startOverride")
            if ilvl in levels and start is not None:
                old = levels[ilvl]
                levels[ilvl] = _Level(old.fmt, old.text, _int(start, old.start))
        lists[num.get(f"{W}numId") or ""] = levels
    return lists


_StyleNumbering = tuple[str | None, str | None, str | None]  # numId, ilvl, basedOn


def _styles(styles: Any) -> dict[str, _StyleNumbering]:
    out = {}
    for style in styles.iterfind(f"{W}style"):
        ppr = style.find(f"{W}pPr")
        num_id = None if ppr is None else _val(ppr, _NUM_ID)
        ilvl = None if ppr is None else _val(ppr, _ILVL)
        based = _val(style, f"{W}basedOn")
        if num_id is not None or based is not None:  # only styles that may carry numbering
            out[style.get(f"{W}styleId") or ""] = (num_id, ilvl, based)
    return out


@dataclass(slots=True)
class Numbering:
    """List definitions of one document, and the running counters while it is read."""

    lists: dict[str, dict[int, _Level]] = field(default_factory=dict)
    styles: dict[str, _StyleNumbering] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, numbering: Any | None, styles: Any | None) -> Numbering:
        return cls(
            _lists(numbering) if numbering is not None else {},
            _styles(styles) if styles is not None else {},
        )

    def _target(self, ppr: Any) -> tuple[str | None, int]:
        num_id, ilvl = _val(ppr, _NUM_ID), _val(ppr, _ILVL)
        style, seen = _val(ppr, _PSTYLE), 0
        while num_id is None and style in self.styles and seen < 10:
            num_id, style_lvl, style = self.styles[style]
            ilvl, seen = ilvl if ilvl is not None else style_lvl, seen + 1
        return num_id, _int(ilvl, 0)

    def label(self, ppr: Any | None) -> str:
        """The rendered label of the paragraph with these properties; advances the counters."""
        if ppr is None or not self.lists:
            return ""
        if ppr.find(_NUM_PR) is None and _val(ppr, _PSTYLE) not in self.styles:
            return ""  # the common case, decided without resolving anything
        num_id, ilvl = self._target(ppr)
        levels = self.lists.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id or "", {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a new item restarts its sub-lists
        text = levels[ilvl].text
        for k, level in levels.items():
            if f"%{k + 1}" in text:
                render = _FORMATS.get(level.fmt)
                value = counters.get(k, level.start)
                text = text.replace(f"%{k + 1}", render(value) if render else "")
        return text if levels[ilvl].fmt not in {"bullet", "none"} else ""
