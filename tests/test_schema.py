"""`gongkai parse --json` output validates against ../shared/spec/report.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from gongkai.api import parse_file

from conftest import SHARED, golden_files, needs_shared, seed_for

pytestmark = needs_shared


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((SHARED / "spec" / "report.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("golden", golden_files(), ids=lambda p: p.name[:3])
@pytest.mark.parametrize("provenance", [False, True])
def test_output_validates(
    golden: Path, provenance: bool, validator: jsonschema.Draft202012Validator
) -> None:
    doc = parse_file(seed_for(golden)).to_json(provenance=provenance)
    errors = [e.message for e in validator.iter_errors(doc)]
    assert errors == []


def test_schema_rejects_a_broken_document(validator: jsonschema.Draft202012Validator) -> None:
    # The validator must be able to fail: a table-3 row of 6 cells is not a report.
    doc = {
        "schema": "gongkai.report/1",
        "meta": {"agency": None, "year": None, "templates": {"table2": None, "table3": None}},
        "table2": None,
        "table3": {"received": [0] * 6},
        "table4": None,
    }
    assert list(validator.iter_errors(doc))
