"""The conversion matrix: every real report converted by independent tools (Chromium, LibreOffice,
pdftotext; ../shared/tools/variants.sh) into the formats users have, each kind scored cell by cell
against the hand-made expected values: at least 99.8 % exact and not one wrong value.

Skipped only where chromium, soffice or pdftotext are absent (CI installs them: make system-deps).
The conversions run once per session (about a minute).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gongkai.api import parse_file
from gongkai.errors import GongkaiError

from conftest import SHARED, leaves, load, lookup

KINDS = ("pdf", "docx", "pdf-lo", "doc", "txt-layout", "txt-raw", "txt-cells")
SOURCES = ("real", "samples")
TOOLS = ("chromium", "soffice", "pdftotext")
EXACT = 0.998

pytestmark = [
    pytest.mark.skipif(
        any(shutil.which(t) is None for t in TOOLS), reason="chromium/soffice/pdftotext absent"
    ),
    pytest.mark.skipif(not (SHARED / "tools" / "variants.sh").is_file(), reason="no ../shared"),
]


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("variants")
    for source in SOURCES:
        subprocess.run(
            [
                "bash",
                str(SHARED / "tools" / "variants.sh"),
                str(SHARED / source),
                str(out / source),
            ],
            check=True,
            capture_output=True,
            timeout=1800,
        )
    return out


@dataclass
class Score:
    total: int = 0
    exact: int = 0
    wrong: list[str] | None = None
    missed: list[str] | None = None


def _cells(expected: Any) -> list[Any]:
    return expected if isinstance(expected, list) else [expected]


def _score(golden: dict[str, Any], doc: dict[str, Any], name: str, score: Score) -> None:
    alternatives = golden.get("alternatives", {})
    assert score.wrong is not None and score.missed is not None
    for path, expected in leaves(golden):
        got = lookup(doc, path)
        if got == expected or got in alternatives.get(path, []):
            score.total += len(_cells(expected))
            score.exact += len(_cells(expected))
            continue
        want = _cells(expected)
        have = got if isinstance(got, list) and len(got) == len(want) else [None] * len(want)
        for i, (a, b) in enumerate(zip(want, have, strict=True)):
            score.total += 1
            if a == b:
                score.exact += 1
            elif b is not None:
                score.wrong.append(f"{name} {path}[{i}]: {b!r} (expected {a!r})")
            else:
                score.missed.append(f"{name} {path}[{i}]")


@pytest.mark.parametrize("kind", KINDS)
def test_conversion_kind_is_exact_and_never_wrong(converted: Path, kind: str) -> None:
    score = Score(wrong=[], missed=[])
    for source in SOURCES:
        folder = converted / source / kind
        for golden_path in sorted(folder.glob("*.expected.json")):
            stem = golden_path.name.removesuffix(".expected.json")
            files = [p for p in folder.glob(stem + ".*") if not p.name.endswith(".json")]
            if not files:
                continue
            try:
                doc = parse_file(files[0]).to_json()
            except GongkaiError:
                doc = {}
            _score(load(golden_path), doc, f"{source}/{files[0].name}", score)
    assert score.total > 0
    assert score.wrong == []
    assert score.exact / score.total >= EXACT, score.missed[:20]
