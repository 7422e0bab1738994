"""Every seed parses to its hand-made golden values, cell for cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.api import parse_file

from conftest import differences, golden_files, load, needs_shared, seed_for

pytestmark = needs_shared


@pytest.mark.parametrize("golden", golden_files(), ids=lambda p: p.name[:3])
def test_seed_matches_golden(golden: Path) -> None:
    doc = parse_file(seed_for(golden)).to_json()
    assert differences(load(golden), doc) == []


@pytest.mark.parametrize("golden", golden_files(), ids=lambda p: p.name[:3])
def test_golden_has_cells_to_compare(golden: Path) -> None:
    # Guards the golden test itself: a golden file with no table would make it pass vacuously.
    data = load(golden)
    assert data["table3"] and data["table4"] and data["table2"]
