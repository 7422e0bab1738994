"""Real published reports from sites the parser was not built on (../shared/real, 莆田 CMS pages)
and the three published PDFs (../shared/samples): every cell exact, the expected findings found."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.api import check_file, parse_file

from conftest import SHARED, differences, load

REAL = sorted((SHARED / "real").glob("*.expected.json"))
SAMPLES = sorted((SHARED / "samples").glob("*.expected.json"))
GOLDEN = REAL + SAMPLES


def source_of(golden: Path) -> Path:
    stem = golden.name.removesuffix(".expected.json")
    return next(p for p in golden.parent.glob(stem + ".*") if not p.name.endswith(".json"))


def _id(golden: Path) -> str:
    return f"{golden.parent.name}/{golden.name.removesuffix('.expected.json')}"


pytestmark = pytest.mark.skipif(not GOLDEN, reason="../shared/real and samples not present")


@pytest.mark.parametrize("golden", GOLDEN, ids=_id)
def test_real_report_matches_its_expected_values(golden: Path) -> None:
    pytest.importorskip("lxml")
    doc = parse_file(source_of(golden)).to_json()
    assert differences(load(golden), doc) == []


@pytest.mark.parametrize("golden", REAL, ids=_id)
def test_real_report_findings(golden: Path) -> None:
    pytest.importorskip("lxml")
    expected = load(golden)
    findings = check_file(source_of(golden)).findings or []
    assert {f.code for f in findings if f.severity == "error"} == set(expected["expected_errors"])
    warnings = {f.code for f in findings if f.severity == "warning"}
    assert set(expected.get("expected_warnings", [])) <= warnings
