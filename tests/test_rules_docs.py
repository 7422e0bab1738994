"""The rule registry against the public contract (RULES.md) and the user documentation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.model.report import Report
from gongkai.validate import CODES, RULES, SEVERITY, check
from gongkai.validate.codes import CODE_BOOK

from conftest import SHARED
from rulekit import clean, codes

RULES_MD = SHARED / "spec" / "RULES.md"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def _contract() -> dict[str, str]:
    """code → severity, from the table in RULES.md."""
    rows = re.findall(
        r"^\|\s*`([A-Z0-9_]+)`\s*\|\s*(error|warning|info)\s*\|", RULES_MD.read_text("utf-8"), re.M
    )
    return dict(rows)


def _documented(text: str | None = None) -> set[str]:
    text = DOCS.read_text("utf-8") if text is None else text
    return set(re.findall(r"^### ([A-Z0-9_]+)\s*$", text, re.M))


def _extensions() -> set[str]:
    """The codes docs/rules.md documents as going beyond RULES.md."""
    text = DOCS.read_text("utf-8")
    return _documented(text.split("\n## Beyond RULES.md", 1)[1])


@pytest.mark.skipif(not RULES_MD.is_file(), reason="../shared/spec/RULES.md not present")
def test_every_code_in_rules_md_is_implemented_with_its_severity() -> None:
    contract = _contract()
    assert len(contract) >= 20  # guards the parse itself
    assert set(contract) <= CODES
    assert {code: SEVERITY[code] for code in contract} == contract


@pytest.mark.skipif(not RULES_MD.is_file(), reason="../shared/spec/RULES.md not present")
def test_codes_beyond_rules_md_are_exactly_the_documented_extensions() -> None:
    """A code RULES.md does not list is allowed only in docs/rules.md's "Beyond RULES.md" part,
    so a rename or a stray code cannot slip past the public contract unnoticed."""
    extensions = _extensions()
    assert extensions  # guards the split itself
    assert CODES - set(_contract()) == extensions
    assert not extensions & set(_contract())


def test_every_implemented_code_is_documented() -> None:
    assert CODES - _documented() == set()
    assert _documented() - set(SEVERITY) == set()  # no documentation of codes that do not exist


def test_documented_severity_matches() -> None:
    text = DOCS.read_text("utf-8")
    for code in CODES:
        section = text.split(f"### {code}\n", 1)[1]
        assert section.lstrip().startswith(SEVERITY[code]), code


def test_every_code_has_one_entry_with_severity_and_plain_words() -> None:
    """One place per code (validate/codes.py): a code some rule emits has its severity and its
    plain-words meaning there, and nothing else is listed."""
    assert set(CODE_BOOK) == CODES
    for code, entry in CODE_BOOK.items():
        assert entry.severity in ("error", "warning", "info"), code
        assert entry.plain.endswith("。") and len(entry.plain) >= 8, code


def test_a_rule_that_crashes_becomes_unverifiable(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(report: Report, lenient: bool) -> list:  # type: ignore[type-arg]
        raise ValueError("boom")

    monkeypatch.setitem(RULES, "T3_BALANCE", broken)
    found = check(clean())
    assert codes(found) == ["UNVERIFIABLE"] and "T3_BALANCE" in found[0].message


def test_findings_come_errors_first() -> None:
    report = clean(sections=[])
    assert report.table2 is not None
    report.table2["regulations"]["repealed"] = -1
    severities = [f.severity for f in check(report)]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert severities[0] == "error" and "warning" in severities
