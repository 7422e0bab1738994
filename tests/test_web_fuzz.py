"""Schema-driven fuzzing of the JSON API (schemathesis): requests generated from the OpenAPI
document, valid and invalid, must never get a server error. Bounded: a few examples per operation,
the whole run well under a minute."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hypothesis
import pytest

from gongkai.web.app import create_app
from test_web_support import TOKEN, build_corpus, needs_seeds

schemathesis = pytest.importorskip("schemathesis")
MAX_EXAMPLES = 20


def _schema(folder: Path) -> Any:
    """The API of an app with a token over its own small corpus (the fuzzer writes to it)."""
    app = create_app(build_corpus(folder), TOKEN)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _fuzz(operation: Any) -> str | None:
    """Run one operation's generated cases, with and without the token; the failure, if any."""
    from schemathesis.checks import not_a_server_error

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases every run: a failure in CI reproduces locally
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy())
    def run(case: Any) -> None:
        for headers in (None, {"Authorization": f"Bearer {TOKEN}"}):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a group of failures
        return f"{operation.method.upper()} {operation.path}: {exc}"
    return None


@needs_seeds
def test_no_operation_answers_with_a_server_error(tmp_path_factory: pytest.TempPathFactory) -> None:
    schema = _schema(tmp_path_factory.mktemp("fuzz"))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    failures = [f for f in map(_fuzz, operations) if f is not None]
    assert failures == []
