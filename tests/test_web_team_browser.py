"""The team workflow of issue 13 in a real browser (Debian's Chromium via Playwright): two users
at once — a 审核 reviewer and a 查看 reader — over a copy of the shared web corpus with accounts.

The reviewer dismisses a report's only error; the reader's has-errors filter and the 整改 list
change with it; the 管理 user sees the decision in the audit log; the 整改 XLSX and DOCX
downloads hold open findings only; a form on another port of the same host cannot write; wrong
passwords are rate-limited. One walk, in order: the rate limit, which counts per address and all
browsers here share one, comes last.
"""

from __future__ import annotations

import http.server
import io
import json
import shutil
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from gongkai.corpus import accounts
from gongkai.web.app import create_app
from test_web_browser import CHROMIUM, browser, served, shot
from test_web_support import corpus_db

from conftest import SEEDS_DIR, SHARED

playwright_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed")
__all__ = ["browser", "corpus_db"]  # fixtures, imported for pytest
expect = playwright_api.expect
PASSWORDS = {"审核员": ("审核", "reviewer-pass-1"), "读者": ("查看", "reader-pass-22"),
             "主任": ("管理", "admin-pass-333")}  # fmt: skip


@pytest.fixture(scope="module")
def team_url(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a private copy of the corpus with three accounts, on a loopback port."""
    db = tmp_path_factory.mktemp("team") / "team.sqlite"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{corpus_db}{suffix}").exists():
            shutil.copy(f"{corpus_db}{suffix}", f"{db}{suffix}")
    app = create_app(db)  # migrates the copy
    con = sqlite3.connect(db, isolation_level=None)
    for name, (role, password) in PASSWORDS.items():
        accounts.add(con, name, role, password)
    con.close()
    with served(app) as url:
        yield url


def signed_in(browser: Any, base: str, name: str) -> Any:
    """A browser of its own (own cookies) signed in as `name` through the login form."""
    context = browser.new_context(base_url=base, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto("/reports")
    expect(page).to_have_url(f"{base}/login?next=%2Freports")  # nothing without signing in
    page.fill("input[name=name]", name)
    page.fill("input[name=secret]", PASSWORDS[name][1])
    page.locator("form.stack button").click()
    expect(page.locator(".who .badge")).to_have_text(f"{name} · {PASSWORDS[name][0]}")
    return page


def one_error_report(page: Any) -> dict[str, Any]:
    listed = page.request.get("/api/reports?has_errors=true&limit=200").json()["items"]
    return next(r for r in listed if r["errors"] == 1 and r["agency"])


def has_errors_total(page: Any, agency: str) -> str:
    page.goto(f"/reports?has_errors=true&agency={agency}")
    return str(page.locator("#total").inner_text())


def download(page: Any, link: Any) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def test_a_team_reviews_together(browser: Any, team_url: str, tmp_path: Path) -> None:
    reviewer = signed_in(browser, team_url, "审核员")
    reader = signed_in(browser, team_url, "读者")
    target = one_error_report(reader)
    agency = target["agency"]
    before = int(has_errors_total(reader, agency))
    assert before >= 1
    expect(reader.locator("table.list")).to_contain_text(agency)
    reader.goto(f"/reports/{target['id']}")
    expect(reader.locator("form.review")).to_have_count(0)  # 查看 cannot review

    reviewer.goto(f"/reports/{target['id']}")
    item = reviewer.locator("ul.review li.finding.error").first
    code = item.locator("code").first.inner_text()
    item.locator("input[name=note]").fill("已与填报人核实")
    item.locator("button[value=dismiss]").click()
    expect(reviewer.locator("ul.review li.finding.dismiss")).to_contain_text("已排除（审核员）")

    assert int(has_errors_total(reader, agency)) == before - 1  # the other user's view changed
    open_rows = reader.request.get(f"/api/findings/export?agency={agency}&format=json").json()
    assert all(not (r["report_id"] == target["id"] and r["code"] == code) for r in open_rows)

    reader.goto(f"/reports?agency={agency}")
    book = load_workbook(io.BytesIO(download(reader, reader.locator("a", has_text="整改清单"))))
    sheet = book.worksheets[0]
    assert sheet.max_row - 1 == len(open_rows)  # a header, then one row per open finding
    notice = download(reader, reader.locator("a", has_text="整改通知"))
    text = "\n".join(p.text for p in Document(io.BytesIO(notice)).paragraphs)
    assert all(r["message"] in text for r in open_rows)
    assert f"存在以下 {len(open_rows)} 个问题" in text

    admin = signed_in(browser, team_url, "主任")
    admin.goto("/admin/audit")
    row = admin.locator("table.audit tr", has_text="复核审查意见").first
    expect(row).to_contain_text("审核员")
    expect(row).to_contain_text(code)
    shot(admin, "audit")
    reader.goto("/admin/audit")
    expect(reader.locator("main")).to_contain_text("需要「管理」权限")

    _a_100_file_zip_shows_its_summary(reader, tmp_path)
    _cross_site_form_is_refused(admin, team_url, target["id"], tmp_path)
    _wrong_passwords_are_rate_limited(browser, team_url)


def _a_100_file_zip_shows_its_summary(page: Any, folder: Path) -> None:
    """Twenty real reports under five names each, zipped: the batch runs to its summary table
    with one row per file, each with its agency, and the findings' XLSX link."""
    sources = (sorted(SEEDS_DIR.glob("*.txt")) + sorted((SHARED / "real").glob("*.html")))[:20]
    assert len(sources) == 20
    archive = folder / "年报.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for k in range(1, 6):
            for path in sources:
                out.writestr(f"第{k}组/{path.name}", path.read_bytes())
    page.goto("/check")
    page.set_input_files("input[name=files]", str(archive))
    page.locator("form.upload button", has_text="检查").click()
    summary = page.locator("#batch")
    expect(summary.locator("p.progress")).to_contain_text(
        "已全部检查：共 100 个文件", timeout=240_000
    )
    expect(summary.locator("table.batch-summary tbody tr")).to_have_count(100)
    expect(summary.locator("tr.waiting")).to_have_count(0)
    rows = summary.locator("table.batch-summary tbody tr")
    names = rows.locator("td:nth-child(2)").all_inner_texts()
    shown = dict(zip(names, rows.locator("td:nth-child(3)").all_inner_texts(), strict=True))
    years = dict(zip(names, rows.locator("td:nth-child(4)").all_inner_texts(), strict=True))
    for k in (1, 5):  # each row against the report's hand-made expected values
        for path in sources:
            meta, name = _expected(path)["meta"], f"第{k}组/{path.name}"
            assert years[name] == str(meta["year"]), name
            assert shown[name] == meta.get("agency", shown[name]), name
    expect(summary.locator("a", has_text="下载全部审查意见（XLSX）")).to_be_visible()
    shot(page, "batch")


def _expected(path: Path) -> dict[str, Any]:
    folder = SHARED / "golden" if path.parent == SEEDS_DIR else path.parent
    found: dict[str, Any] = json.loads(
        (folder / f"{path.stem}.expected.json").read_text(encoding="utf-8")
    )
    return found


def _cross_site_form_is_refused(admin: Any, base: str, report_id: int, folder: Path) -> None:
    """A page on another port of this host posts to the delete action with the admin's cookie
    (same-site: the browser sends it); the app refuses and the report stays."""
    (folder / "index.html").write_text(
        f'<form method="post" action="{base}/reports/{report_id}/delete">'
        '<button id="go">领取奖品</button></form>',
        encoding="utf-8",
    )
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(folder))  # noqa: E731
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        admin.goto(f"http://127.0.0.1:{other.server_address[1]}/index.html")
        admin.locator("#go").click()
        expect(admin.locator("main")).to_contain_text("拒绝跨站请求")
    finally:
        other.shutdown()
    assert admin.request.get(f"{base}/api/reports/{report_id}").status == 200


def _wrong_passwords_are_rate_limited(browser: Any, base: str) -> None:
    context = browser.new_context(base_url=base, locale="zh-CN")
    page = context.new_page()
    for attempt in range(6):
        page.goto("/login")
        page.fill("input[name=name]", "审核员")
        page.fill("input[name=secret]", f"guess-{attempt}")
        page.locator("form.stack button").click()
    expect(page.locator("main")).to_contain_text("登录失败次数过多")
    context.close()
