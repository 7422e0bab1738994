"""A finding: one thing a careful reviewer would point at, at the cell."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]
# In words, wherever a finding is shown: its severity, and a reviewer's decision on it.
SEVERITY_NAMES: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
DECISION_NAMES: dict[str, str] = {"confirm": "已确认", "dismiss": "已排除"}
Cell = tuple[str, ...] | list[str | int]


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    severity: Severity
    message: str
    cells: list[list[str | int]] = Field(default_factory=list)
    expected: float | int | None = None
    actual: float | int | None = None
    lenient_pass: bool | None = None
