"""Findings over every seed against the golden files: errors exactly, warnings at least."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.api import check_file
from gongkai.model.finding import Finding

from conftest import SHARED, golden_files, load, needs_shared, seed_for

pytestmark = needs_shared
_IDS = {"ids": lambda p: p.name[:3]}
SAMPLES = sorted((SHARED / "samples").glob("*.expected.json"))


def _findings(golden: Path) -> list[Finding]:
    return check_file(seed_for(golden)).findings or []


@pytest.mark.parametrize("golden", golden_files(), **_IDS)
def test_error_codes_are_exactly_the_expected_ones(golden: Path) -> None:
    errors = {f.code for f in _findings(golden) if f.severity == "error"}
    assert errors == set(load(golden).get("expected_errors", []))


@pytest.mark.parametrize("golden", golden_files(), **_IDS)
def test_expected_warnings_are_found(golden: Path) -> None:
    warnings = {f.code for f in _findings(golden) if f.severity == "warning"}
    assert set(load(golden).get("expected_warnings", [])) <= warnings


@pytest.mark.parametrize("golden", golden_files(), **_IDS)
def test_seed_narratives_agree_with_their_tables(golden: Path) -> None:
    # The seeds' narrative figures (e.g. seed 004: 共受理政府信息公开申请 6 件, 行政复议 0 件) agree.
    assert [f.message for f in _findings(golden) if f.code.startswith("TEXT_")] == []


@pytest.mark.parametrize("golden", golden_files(), **_IDS)
def test_every_finding_is_plain_chinese_at_a_cell(golden: Path) -> None:
    for f in _findings(golden):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message)
        assert "未能执行" not in f.message  # no rule crashed
        if f.severity == "error":
            assert f.cells


def test_seed_004_narrative_figures_are_read() -> None:
    from gongkai.api import parse_file
    from gongkai.validate.claims import claims

    seed = next(p for p in map(seed_for, golden_files()) if p.name.startswith("004"))
    kinds = {(c.kind, c.value) for c in claims(parse_file(seed))}
    assert {("received", 6), ("review:4", 0), ("litigation:4", 0)} <= kinds


@pytest.mark.skipif(not SAMPLES, reason="../shared/samples not present")
@pytest.mark.parametrize("golden", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_real_pdf_samples(golden: Path) -> None:
    """Real published reports: exact errors, expected warnings, and no narrative false alarm
    (hongze-2024's 区政府办 speaks of its own 17 requests while the table counts 95)."""
    pytest.importorskip("pdfplumber")
    expected = load(golden)
    findings = check_file(golden.with_name(golden.name.replace(".expected.json", ".pdf"))).findings
    assert findings is not None
    assert {f.code for f in findings if f.severity == "error"} == set(expected["expected_errors"])
    assert set(expected["expected_warnings"]) <= {
        f.code for f in findings if f.severity == "warning"
    }
    assert [f.message for f in findings if f.code.startswith("TEXT_")] == []


def test_real_narrative_figures_are_read_and_agree() -> None:
    pytest.importorskip("pdfplumber")
    from gongkai.api import parse_file
    from gongkai.validate.claims import claims

    pdf = SHARED / "samples" / "huaian-2024.pdf"
    if not pdf.is_file():
        pytest.skip("../shared/samples not present")
    read = {(c.kind, c.value) for c in claims(parse_file(pdf))}
    assert {
        ("closed", 3050),
        ("carried_over", 34),
        ("carried_forward", 103),
        ("review:4", 351),
        ("review:2", 178),
        ("litigation:4", 46),
        ("litigation:3", 7),
    } <= read
