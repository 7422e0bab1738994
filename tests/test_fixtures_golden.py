"""Every generated fixture (HTML page, LibreOffice DOCX/ODT/DOC/RTF/PDF, Chromium PDF) parses to
its seed's golden values, cell for cell — the same comparison as ../shared/tools/golden_check.py.

The fixtures were made by tests/fixtures/make_fixtures.py with LibreOffice and Chromium, never with
gongkai; they are committed, so only the office formats need LibreOffice at test time.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from gongkai.api import parse_file
from gongkai.readers.office import soffice

from conftest import GOLDEN_DIR, differences, load, needs_shared

GENERATED = Path(__file__).parent / "fixtures" / "generated"
FIXTURES = (
    sorted(p for p in GENERATED.iterdir() if p.suffix != ".json") if GENERATED.is_dir() else []
)
OFFICE = {".odt", ".doc", ".wps", ".rtf"}


def _skip_reason(path: Path) -> str | None:
    if path.suffix in OFFICE and soffice() is None:
        return "LibreOffice (soffice) not installed"
    if path.suffix == ".pdf" and importlib.util.find_spec("pdfplumber") is None:
        return "pdfplumber not installed"
    return None


def _golden(path: Path) -> Path:
    return GOLDEN_DIR / (path.name.split(".")[0] + ".expected.json")


def test_every_seed_has_html_docx_odt_and_pdf_fixtures() -> None:
    stems = {p.name.split(".")[0] for p in GOLDEN_DIR.glob("*.expected.json")}
    for stem in stems:
        made = {p.name.removeprefix(stem) for p in FIXTURES if p.name.startswith(stem)}
        assert {".html", ".docx", ".odt", ".lo.pdf", ".chromium.pdf"} <= made, stem


@needs_shared
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixture_parses_to_the_golden_values(fixture: Path) -> None:
    reason = _skip_reason(fixture)
    if reason:
        pytest.skip(reason)
    report = parse_file(fixture)
    assert differences(load(_golden(fixture)), report.to_json()) == []
