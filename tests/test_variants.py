"""Encodings and separators: the same report in another dress parses to the same data."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from gongkai.api import parse_file
from gongkai.model.report import Report

from conftest import golden_files, needs_shared, seed_for

pytestmark = needs_shared
SEEDS = [seed_for(g) for g in golden_files()]


def _tables(report: Report) -> dict[str, object]:
    doc = report.to_json()
    return {k: doc[k] for k in ("meta", "table2", "table3", "table4")}


def _write(tmp_path: Path, seed: Path, data: bytes) -> Path:
    out = tmp_path / seed.name
    out.write_bytes(data)
    return out


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_reencoded_seed_parses_identically(seed: Path, encoding: str, tmp_path: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    copy = _write(tmp_path, seed, text.encode(encoding))
    assert _tables(parse_file(copy)) == _tables(parse_file(seed))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_crlf_line_endings_parse_identically(seed: Path, tmp_path: Path) -> None:
    text = seed.read_text(encoding="utf-8").replace("\n", "\r\n")
    assert _tables(parse_file(_write(tmp_path, seed, text.encode()))) == _tables(parse_file(seed))


def _spaced(text: str, rng: random.Random) -> str:
    return re.sub("\t", lambda _m: " " * rng.randint(2, 5), text)


def _flagged_rows(report: Report) -> set[tuple[str, str | None]]:
    return {(a.table, a.row) for a in report.anomalies}


def _cell_differences(a: Report, b: Report) -> list[tuple[str, str | None]]:
    """(table, row) of every table-3/4 row and table-2 item whose values differ."""
    out: list[tuple[str, str | None]] = []
    for name in ("table2", "table3", "table4"):
        left, right = getattr(a, name) or {}, getattr(b, name) or {}
        out += [
            (name, key) for key in left.keys() | right.keys() if left.get(key) != right.get(key)
        ]
    return out


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("rng_seed", [1, 2])
def test_tabs_as_spaces_same_or_flagged(seed: Path, rng_seed: int, tmp_path: Path) -> None:
    """Tabs → runs of spaces loses empty cells: where that is ambiguous, the row must say so."""
    original = parse_file(seed)
    spaced_text = _spaced(seed.read_text(encoding="utf-8"), random.Random(rng_seed))
    spaced = parse_file(_write(tmp_path, seed, spaced_text.encode()))
    assert spaced.meta == original.meta
    flagged = _flagged_rows(spaced)
    for table, row in _cell_differences(original, spaced):
        assert (table, row) in flagged or (table, None) in flagged, (table, row)
        for value in (getattr(spaced, table) or {}).get(row) or []:
            assert value is None  # never a guessed number


def test_unambiguous_seeds_survive_spaces_exactly(tmp_path: Path) -> None:
    # Seeds 001, 002 and 004 have no empty value cells, so spaces lose nothing there.
    for seed in [s for s in SEEDS if s.name[:3] in {"001", "002", "004"}]:
        spaced_text = _spaced(seed.read_text(encoding="utf-8"), random.Random(7))
        spaced = parse_file(_write(tmp_path, seed, spaced_text.encode()))
        assert _tables(spaced) == _tables(parse_file(seed)), seed.name
