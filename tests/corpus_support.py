"""Helpers for the corpus tests: the synthetic corpora from bench/, a fresh app with the corpus
commands, small corpora on disk."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import typer

from gongkai.cli.corpus import register

BENCH = Path(__file__).resolve().parents[1] / "bench"


@cache
def synth() -> ModuleType:
    """bench/synth.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("synth", BENCH / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = module  # pydantic looks the module up while the model class is built
    spec.loader.exec_module(module)
    return module


def corpus_app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def write_synthetic(folder: Path, count: int, seed: int = 7, years: int = 2) -> list[Path]:
    paths: list[Path] = synth().write_corpus(folder, count, seed=seed, years=years)
    return paths


def rows(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    """Read-only look into the store, the way a reviewer's SQL client would."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def synthetic_corpus(folder: Path, count: int = 12, years: int = 3) -> Path:
    """A corpus of `count` synthetic agencies over `years` years, ingested into folder/corpus.sqlite."""
    from gongkai.corpus import ingest

    path = folder / "corpus.sqlite"
    ingest(write_synthetic(folder / "in", count, years=years), path, jobs=1)
    return path
