"""Shared test helpers: where the shared seeds and golden files live, and a cell-by-cell compare."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLDEN_DIR = SHARED / "golden"
SEEDS_DIR = SHARED / "seeds"


def golden_files() -> list[Path]:
    return sorted(GOLDEN_DIR.glob("*.expected.json"))


def seed_for(golden: Path) -> Path:
    stem = golden.name.removesuffix(".expected.json")
    return next(SEEDS_DIR.glob(stem + ".*"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def leaves(golden: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(path, expected) for every compared field, as ../shared/tools/golden_check.py does."""
    meta = golden.get("meta", {})
    for key in ("agency", "year"):
        if key in meta:
            yield f"meta.{key}", meta[key]
    for key, val in meta.get("templates", {}).items():
        yield f"meta.templates.{key}", val
    for item, fields in (golden.get("table2") or {}).items():
        for fld, val in fields.items():
            yield f"table2.{item}.{fld}", val
    for table in ("table3", "table4"):
        for row, cells in (golden.get(table) or {}).items():
            yield f"{table}.{row}", cells


def lookup(doc: dict[str, Any], path: str) -> Any:
    cur: Any = doc
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return KeyError
        cur = cur[part]
    return cur


def differences(golden: dict[str, Any], doc: dict[str, Any]) -> list[str]:
    """Every golden field the parsed document gets wrong (alternatives accepted)."""
    alternatives = golden.get("alternatives", {})
    wrong = []
    for path, expected in leaves(golden):
        got = lookup(doc, path)
        if got != expected and got not in alternatives.get(path, []):
            wrong.append(f"{path}: expected {expected!r}, got {got!r}")
    return wrong


needs_shared = pytest.mark.skipif(not GOLDEN_DIR.is_dir(), reason="../shared/golden not present")
