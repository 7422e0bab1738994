"""The delete button of the report page in a real browser: it asks first, and deletes only when
the user confirms. Skipped where Chromium or Playwright is missing (see test_web_browser)."""

from __future__ import annotations

from typing import Any

from test_web_browser import base_url, browser, expect, page
from test_web_support import SERIES_AGENCY, TOKEN, corpus_db

__all__ = ["base_url", "browser", "corpus_db", "page"]  # fixtures, imported for pytest


def _open_report(pg: Any, agency: str, year: int) -> str:
    pg.goto(f"/login?next=/reports?agency={agency}%26year={year}")
    pg.fill("input[name=secret]", TOKEN)
    pg.locator("form.stack button").click()
    pg.locator("table.list a", has_text=agency).click()
    return str(pg.url)


def test_delete_asks_first_and_then_returns_to_the_list(page: Any) -> None:
    report_url = _open_report(page, SERIES_AGENCY, 2019)
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("button.danger", has_text="删除报告").click()
    expect(page).to_have_url(report_url)  # declined: nothing happens
    assert asked and "不能恢复" in asked[0]
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("button.danger", has_text="删除报告").click()
    expect(page).to_have_url(f"{page.url.split('/reports')[0]}/reports")
    page.goto(f"/reports?agency={SERIES_AGENCY}")
    expect(page.locator("#total")).to_have_text("2")
    # Not page.goto: the page fixture counts a 404 in the console as a failure.
    assert page.request.get(report_url.replace("/reports/", "/api/reports/")).status == 404
