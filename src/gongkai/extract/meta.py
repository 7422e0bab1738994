"""Title, agency (发布机关) and year from the opening of a report (FORMAT.md §2.3).

Three sources, most trusted first: a title line; the report named in the preamble (发布《某某局2024
年度政府信息公开工作年度报告》, 特向社会公布某某局2021年度…年度报告); the statistics period (统计期限
自2024年1月1日起至12月31日止), which gives the year only. A wrong agency or year is worse than none,
so a candidate is taken only when it looks like what it claims to be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from gongkai.extract.normalize import ideographs, norm
from gongkai.extract.sections import heading_no
from gongkai.readers.raw import Row

# The opening: rows before the first section heading, and some text after it (a CMS page may put
# its preamble under 一、总体情况). Bounded so a report costs microseconds however long it is.
_MAX_ROWS = 40
_AFTER_HEADING = 600  # characters
_MAX_ROW_CHARS = 800  # the period sentence can sit ~500 characters into a one-paragraph preamble
_MAX_OPENING = 4000
_MAX_TITLE = 80
_MAX_TITLE_STARTS = 8

_REPORT = r"(?:年度报告|年报|工作报告)"
# A title ends with the report: 报告格式》 or 报告编制…通知 name other documents. A short
# parenthesis may follow (（全文）, （2023年）).
_TITLE_END = re.compile(rf"{_REPORT}(?:\([^()]{{0,12}}\))?[》\"']?$")
_YEAR = re.compile(r"(20\d{2})年")
_FIRST_YEAR = 2008  # the 条例 took effect in May 2008: no report covers an earlier year
_AGENCY_BEFORE = re.compile(r"^(?P<agency>.*?)20\d{2}年")
# (?<!政府): in 2024年度政府信息公开… the 政府 belongs to 政府信息公开, it is no agency.
_AGENCY_AFTER = re.compile(
    r"^20\d{2}年度?+(?P<agency>.+?)(?:政府信息公开|政务公开|(?<!政府)信息公开)"
)
# The statistics period must be a whole calendar year: 1月1日 to 12月31日, of the same year.
_PERIOD = re.compile(
    r"(?:统计|数据|时限|期限|时间)[^。;；]{0,24}?(20\d{2})年0?1月0?1日起?"
    r"[至到\-—–~－～](?:(20\d{2})年)?12月31日"
)
# A publishing verb, then the report's name; the name must end there (not 年度报告格式, not 年度报告
# 编制发布有关事项的通知, whose "agency" would be the office that wrote the notice).
_NAMED = re.compile(
    r"(?:发布|公布|印发|编制的|编制了|现将(?=《))《?"
    r"(?P<agency>[^《》<>,，。、;；:：\"'“”()（）\[\]]{0,30}?)"
    r"(20\d{2})年度?(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度报告|年报)"
    r"(?=》|[。，,;；:：]|予以|公布|发布|如下|全文|$)"
)

_DASH = "-‐‑‒–—―−－"
_FURNITURE = re.compile(
    # Browser print furniture: date and time, address with the page count.
    r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4},?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
    r"|(?:file|https?)://[!-~]+(?:\s+\d{1,4}\s*/\s*\d{1,4})?"
    # A page number at either end of a line ("-1-", "- 1 -"), or a line that is one.
    rf"|^\s*[{_DASH}]\s*\d{{1,3}}\s*[{_DASH}]|[{_DASH}]\s*\d{{1,3}}\s*[{_DASH}]\s*$"
    r"|^\s*第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?\s*$|^\s*\d{1,4}\s*/\s*\d{1,4}\s*$"
)
# A 发文字号 (莆统〔2020〕7 号) stands above the title, never in it.
_DOC_NUMBER = re.compile(
    r"^\s*[^\s〔\[【(（]{1,12}\s*[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*第?\s*\d{1,4}\s*号"
)
_LABEL = r"(?:文章|信息|报告|文件)?(?:标题|题名|名称)"
_CMS_LABEL = re.compile(rf"^\s*{_LABEL}\s*[:：]\s*")
_LABEL_CELL = re.compile(rf"{_LABEL}\s*[:：]?")  # a metadata table's label cell
# Converter headings and page furniture that stand alone on a line.
_NOT_TEXT = frozenset(
    {"正文", "目录", "附件", "全文", "打印", "关闭", "返回", "【打印】", "【关闭】"}
)

_ORG_END = re.compile(r"(政府|局|委员会|委|办公室|办|厅|院|署|中心|镇|乡|街道|处|所|站|会|部)$")
# An agency may be a place alone (淮安市2024年…报告) or an office the list above misses.
_PLACE_END = re.compile(r"(市|县|区|州|省|旗|盟|村|社区|关|队|馆|台|校|学|园|场|司|行)$")
_NOT_AGENCY = re.compile(
    r"[0-9０-９\[\]【】〔〕<>《》/\\|:：,，。;；、]|关于|根据|印发|通知|报告|发布|公布|编制|的|了|^[本我]"
)
_NEEDS_NFKC = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff\uff10-\uff19]")
_SENTENCE = re.compile(r"[，,。；;]")


def _clean(text: str) -> str:
    """One short row's text without furniture, document number or CMS label."""
    text = _FURNITURE.sub(" ", text)
    text = _DOC_NUMBER.sub("", text)
    return _CMS_LABEL.sub("", text).strip()


def _key(raw: str) -> tuple[str, str]:
    """(as written, matching key) of a row. Only short rows can be titles, so only they are
    cleaned and keyed by the cached `norm`. A long paragraph gives only the period and the named
    report: whitespace goes, and NFKC only where it would change a character those need
    (full-width digits, the radical look-alikes of PDF text); it would only churn the cache."""
    if len(raw) <= 2 * _MAX_TITLE:
        raw = _clean(raw)
        return raw, norm(raw)
    if _NEEDS_NFKC.search(raw):
        raw = ideographs(raw)
    return raw, "".join(raw.split())


def _opening(rows: Sequence[Row]) -> list[tuple[str, str]]:
    """(as written, key) of the opening rows that carry text."""
    out = []
    after: int | None = None  # characters read since the first section heading
    for row in rows[:_MAX_ROWS]:
        if after is None and heading_no(row) is not None:
            after = 0
        texts = [t.strip() for t in row.texts() if t.strip()]
        if len(texts) > 1 and _LABEL_CELL.fullmatch(texts[0]):
            texts = texts[1:]
        raw, key = _key(" ".join(texts)[:_MAX_ROW_CHARS])
        if key and key not in _NOT_TEXT and not _LABEL_CELL.fullmatch(key):
            out.append((raw, key))
        if after is not None:
            after += len(key)
            if after > _AFTER_HEADING:
                break
    return out


def _balanced(key: str) -> bool:
    return key.count("《") == key.count("》") and key.count("(") == key.count(")")


def _named_before_year(key: str) -> bool:
    match = _AGENCY_BEFORE.match(key)
    return bool(match and match["agency"].strip("《》\"'"))


def _windows(lines: list[tuple[str, str]]) -> Iterator[tuple[str, str, bool]]:
    """Candidate titles in reading order. A title may run over up to three short lines: the
    agency on its own line, or a centred title wrapped before 报告. It never starts where a
    wrapped sentence runs on from the line above, and never holds sentence punctuation.
    Yields (as written, key, over several lines)."""
    for start in range(min(_MAX_TITLE_STARTS, len(lines))):
        before = lines[start - 1][1] if start else ""
        if _SENTENCE.search(before) and not before.endswith(("。", "!", "?", "！", "？")):
            continue
        for end in range(start + 1, min(start + 3, len(lines)) + 1):
            window = lines[start:end]
            key = "".join(k for _raw, k in window)
            if any(len(k) > 40 for _raw, k in window[:-1]) or len(key) > _MAX_TITLE:
                break
            if _SENTENCE.search(key):
                break
            if not (_TITLE_END.search(key) and _balanced(key)):
                continue
            if end - start > 1 and _named_before_year(window[-1][1]):
                break  # a whole title of its own: what stands above it is not part of it
            if end - start == 1 or _ORG_END.search(window[0][1]) or _YEAR.search(key):
                yield "".join(raw for raw, _k in window), key, end - start > 1


def _valid_agency(agency: str, strict: bool) -> bool:
    """An organisation's name, not a fragment of a sentence, a heading or a document number.
    `strict` (a name found inside a sentence) also wants it to end like an organisation."""
    if not 2 <= len(agency) <= 40 or agency in _NOT_TEXT or _NOT_AGENCY.search(agency):
        return False
    if agency.count("(") != agency.count(")") or agency.endswith("人民"):
        return False
    return not strict or bool(_ORG_END.search(agency) or _PLACE_END.search(agency))


def _title_agency(key: str, strict: bool) -> tuple[bool, str | None]:
    """(usable, agency) of a title key: usable when it names no agency or a valid one. A line
    glued above the year must end like an organisation (来源, 分享到 are page furniture)."""
    for pattern in (_AGENCY_BEFORE, _AGENCY_AFTER):
        match = pattern.match(key)
        if match:
            agency = match["agency"].strip("《》\"'")
            if not agency:
                continue
            return _valid_agency(agency, strict), agency
    return True, None


def _title(lines: list[tuple[str, str]]) -> tuple[str, str, str | None] | None:
    """(title as written, its key, its agency): the first candidate whose agency is sound,
    preferring one that names its year over a line that only ends like one (首页>…>年度报告)."""
    first = None
    for raw, key, several in _windows(lines):
        usable, agency = _title_agency(key, strict=several)
        if usable and _YEAR.search(key):
            return raw, key, agency
        if usable and first is None:
            first = raw, key, agency
    return first


def _year(match: re.Match[str] | None, group: int = 1) -> int | None:
    if match is None:
        return None
    year = int(match.group(group))
    return year if year >= _FIRST_YEAR else None


def _period_year(text: str) -> int | None:
    for match in _PERIOD.finditer(text):
        if match.group(2) is None or match.group(2) == match.group(1):
            return _year(match)
    return None


def _named(text: str) -> Iterator[tuple[str | None, int | None]]:
    """(agency, year) of each report the preamble names as published."""
    for match in _NAMED.finditer(text):
        agency = match["agency"]
        if not agency:
            yield None, _year(match, 2)
        elif _valid_agency(agency, strict=True):
            yield agency, _year(match, 2)


def extract_meta(rows: Sequence[Row]) -> tuple[str | None, str | None, int | None]:
    """(title, agency, year) from the opening rows."""
    lines = _opening(rows)
    title = _title(lines)
    agency = title[2] if title else None
    year = _year(_YEAR.search(title[1])) if title else None
    text = "".join(key for _raw, key in lines)[:_MAX_OPENING]
    if year is None:
        year = _period_year(text)
    named = list(_named(text)) if agency is None or year is None else []
    if year is None:
        year = next((y for _a, y in named if y is not None), None)
    if agency is None:
        # A name whose year is not the report's is another report (last year's, a template).
        agency = next((a for a, y in named if a is not None and y == year), None)
    return (title[0] if title else None), agency, year
