"""The package's shape: the layers contract holds and catches a wrong import, no import cycle, and
nothing but the public entry points at the package root (README "How it is built")."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "gongkai"
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=src.parent,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_package_root_holds_only_the_entry_points() -> None:
    modules = {p.name for p in PACKAGE.glob("*.py")}
    assert modules <= {"__init__.py", "__main__.py", "api.py", "errors.py"}


def _cycles(graph: object) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    modules = sorted(graph.modules)  # type: ignore[attr-defined]
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}  # type: ignore[attr-defined]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[set[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on.add(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def test_no_import_cycle() -> None:
    graph = grimp.build_graph("gongkai")
    assert _cycles(graph) == []


@pytest.mark.skipif(not LINT.exists(), reason="import-linter not installed")
def test_layers_contract_holds() -> None:
    result = _lint(ROOT / "src")
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.skipif(not LINT.exists(), reason="import-linter not installed")
def test_layers_contract_catches_a_renderer_reading_the_store(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(
        PACKAGE, src / "gongkai", ignore=shutil.ignore_patterns("static", "__pycache__")
    )
    wrong = src / "gongkai" / "render" / "markdown.py"
    wrong.write_text(wrong.read_text("utf-8") + "\nfrom gongkai.store import db  # noqa\n", "utf-8")
    result = _lint(src)
    assert result.returncode != 0
    assert "gongkai.render.markdown -> gongkai.store" in result.stdout
