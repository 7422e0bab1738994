"""Gongkai: exact structured data from 政府信息公开工作年度报告.

The public functions are those of `gongkai.api`, re-exported here: `parse_file`, `parse_bytes`
(a file → a canonical report), `check_file`, `check_report` (→ its findings), `has_errors`.
They are loaded on first use, so importing a submodule does not load every reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gongkai.api import check_file, check_report, has_errors, parse_bytes, parse_file

__version__ = "0.2.0"
__all__ = ["__version__", "check_file", "check_report", "has_errors", "parse_bytes", "parse_file"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from gongkai import api

        return getattr(api, name)
    raise AttributeError(f"module 'gongkai' has no attribute {name!r}")
