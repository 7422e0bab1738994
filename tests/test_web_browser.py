"""The web app in a real browser: Debian's Chromium driven by Playwright, the app served by uvicorn
on the loopback. Skipped where /usr/bin/chromium or playwright is missing.

Screenshots of every page go to $GONGKAI_SCREENSHOTS when set (the committed ones in
docs/screenshots/ come from `GONGKAI_SCREENSHOTS=docs/screenshots pytest tests/test_web_browser.py`),
else to a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from gongkai.web.app import create_app
from test_web_support import BROKEN_AGENCY, SEED_000, SERIES_AGENCY, TOKEN, corpus_db

playwright_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed")
__all__ = ["corpus_db"]  # a fixture, imported for pytest
T3_CODES = ("T3_BALANCE", "T3_TOTAL_ROW", "T3_ROW_SUM")
expect = playwright_api.expect


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def base_url(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a private copy of the corpus, served on a free loopback port."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "web.sqlite"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{corpus_db}{suffix}").exists():
            shutil.copy(f"{corpus_db}{suffix}", f"{db}{suffix}")
    with served(create_app(db, TOKEN)) as url:
        yield url


@contextmanager
def served(app: Any) -> Iterator[str]:
    """`app` served by uvicorn in a thread on a free loopback port; its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page; afterwards, every request it made must have stayed on this server and no
    script may have failed."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, base_url=base_url, locale="zh-CN"
    )
    pg = context.new_page()
    requests: list[str] = []
    problems: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()
    assert [u for u in requests if not u.startswith((base_url, "data:", "blob:"))] == []
    assert problems == []


def shot(pg: Any, name: str, anchor: str | None = None) -> None:
    """Save a screenshot: the viewport with `anchor` at the top, else the top of the page."""
    folder = Path(
        os.environ.get("GONGKAI_SCREENSHOTS") or Path(tempfile.gettempdir()) / "gongkai-shots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    if anchor:  # a little above the anchor: the sticky source box covers the top of the view
        pg.locator(anchor).first.evaluate(
            "el => { el.scrollIntoView({block: 'start'}); scrollBy(0, -90); }"
        )
    pg.screenshot(path=str(folder / f"{name}.png"))


def test_upload_seed_000_highlights_the_inconsistent_cells_with_their_messages(page: Any) -> None:
    page.goto("/check")
    page.set_input_files("input[name=files]", str(SEED_000))
    page.locator("form.upload button", has_text="检查").click()
    result = page.locator("#result-1")
    expect(result.locator("h2")).to_have_text(SEED_000.name)
    table3 = result.locator("#table3")
    for code in T3_CODES:
        item = table3.locator("aside li.finding", has=page.locator(f"code:text-is('{code}')"))
        expect(item).to_be_visible()
        expect(item.locator("p.msg")).to_contain_text("两者应相等")
        fid = item.get_attribute("data-fid")
        marked = table3.locator(f"td.val.error[data-f~='{fid}']")
        assert marked.count() >= 1, code
        item.hover()  # pointing at the message outlines its cells
        expect(marked.first).to_have_class("val error focus")
    received = table3.locator("td[data-path='table3.received.0']")
    expect(received).to_have_class("val error")
    assert "T3_BALANCE" in (received.get_attribute("title") or "")
    total = table3.locator("td[data-path='table3.total.6']")
    assert {"T3_TOTAL_ROW", "T3_ROW_SUM"} <= set(
        (total.get_attribute("title") or "").replace("：", " ").split()
    )
    received.click()
    expect(page.locator("#cell-source")).to_contain_text("原文写作 “2”")
    shot(page, "check", "#result-1 #table3")


def test_filter_the_corpus(page: Any) -> None:
    page.goto("/reports")
    expect(page.locator("#total")).to_have_text("12")
    shot(page, "reports")
    page.fill("input[name=year]", "2021")
    page.check("input[name=has_errors]")
    page.locator("#filters button").click()
    expect(page.locator("#total")).to_have_text("2")
    expect(page.locator("table.list")).to_contain_text("中宁县新堡镇人民政府")
    page.select_option("select[name=code]", "T3_BALANCE")
    page.locator("#filters button").click()
    expect(page.locator("#total")).to_have_text("1")
    page.goto("/reports?q=" + "新堡镇密切关注")
    expect(page.locator(".snippet")).to_contain_text("【新堡镇密切关注】")


def test_open_a_comparison_from_the_list(page: Any) -> None:
    page.goto(f"/reports?agency={SERIES_AGENCY}")
    boxes = page.locator("input[name=ids]")
    expect(boxes).to_have_count(3)
    boxes.nth(1).check()
    boxes.nth(0).check()
    page.locator("#compare-picked").click()
    expect(page.locator("h1")).to_have_text("对比两份报告")
    expect(page.locator(".pairhead")).to_contain_text(f"{SERIES_AGENCY} 2019年")
    expect(page.locator(".pairhead")).to_contain_text(f"{SERIES_AGENCY} 2020年")
    assert page.locator("#deltas tr").count() > 1
    assert page.locator("#cmp-table3 td.changed").count() > 0
    shot(page, "compare")


def _checked(page: Any, action: Any) -> None:
    """Do `action` and wait until the live check it triggers has answered."""
    with page.expect_response(lambda r: r.url.endswith("/author/check")):
        action()


def test_authoring_shows_a_finding_for_a_wrong_number_and_drops_it_when_fixed(page: Any) -> None:
    page.goto("/author")
    page.fill("#f-agency", "测试县人民政府")
    _checked(page, lambda: page.click("#fill-zero"))
    balance = page.locator("#author-list li[data-code=T3_BALANCE]")
    expect(balance).to_have_count(0)
    _checked(page, lambda: page.fill("#f-table3-received-0", "5"))
    expect(balance).to_be_visible()
    expect(page.locator("#author-list li[data-code=T3_ROW_SUM]")).to_be_visible()
    outline = page.locator("#f-table3-received-0").evaluate(
        "el => getComputedStyle(el).outlineStyle"
    )
    assert outline == "solid"
    shot(page, "author", ".author-section:nth-of-type(3)")
    page.evaluate("window.scrollTo(0, 0)")
    _checked(page, lambda: page.fill("#f-table3-received-0", "0"))
    expect(balance).to_have_count(0)


def test_report_detail_cell_source_and_review(page: Any) -> None:
    page.goto("/login?next=/reports?agency=中宁县新堡镇")
    page.fill("input[name=secret]", TOKEN)
    page.locator("form.stack button").click()
    page.locator("table.list a", has_text="中宁县新堡镇人民政府").click()
    page.locator("#table3 td[data-path='table3.received.0']").click()
    expect(page.locator("#cell-source")).to_contain_text("第")
    expect(page.locator("#cell-source pre.line")).to_contain_text(
        "一、本年新收政府信息公开申请数量"
    )
    shot(page, "report", "#cell-source")
    item = page.locator("ul.review li.finding", has=page.locator("code:text-is('T3_BALANCE')"))
    item.locator("input[name=note]").fill("已与填报人核实，系笔误")
    item.locator("button[value=dismiss]").click()
    done = page.locator(
        "ul.review li.finding.dismiss", has=page.locator("code:text-is('T3_BALANCE')")
    )
    expect(done).to_contain_text("已排除")
    expect(done).to_contain_text("系笔误")


def test_other_pages_render_and_load_only_local_assets(page: Any) -> None:
    page.goto(f"/?agency={SERIES_AGENCY}&year=2021")
    expect(page.locator("#chart-rules canvas")).to_have_count(1)
    expect(page.locator("#chart-peer-received canvas")).to_have_count(1)
    shot(page, "home")
    shot(page, "home-peer", "#peer")
    page.goto(f"/years?agency={BROKEN_AGENCY}")
    expect(page.locator("#pair-2022")).to_contain_text("X_CARRY")
    shot(page, "years", "#pair-2021")
    page.goto("/rollup?year=2021")
    page.check("#pick-all")
    page.fill("#rollup-form input[name=name]", "中宁县人民政府（汇总）")
    page.locator("#rollup-form button").click()
    expect(page.locator("#rollup-result")).to_contain_text("输入 4 份")
    shot(page, "rollup", "#rollup-result")
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Gongkai")
    shot(page, "docs")


def test_register_records_a_request_shows_its_due_date_and_marks_it_answered(page: Any) -> None:
    """台账: a request received on 2026-09-28 (a Monday before National Day) is due 2026-10-30,
    counted by hand from the State Council's 2026 holiday notice: 29, 30 Sept (2 working days);
    1–7 Oct off; 8, 9 Oct (4); 10 Oct, a 调休 Saturday (5); 12–16 Oct (10); 19–23 Oct (15);
    26–30 Oct (20)."""
    page.goto("/login?next=/register")
    page.fill("input[name=secret]", TOKEN)
    page.locator("form.stack button").click()
    form = page.locator("form.register-add")
    form.locator("input[name=received]").fill("2026-09-28")
    form.locator("select[name=applicant]").select_option("natural")
    form.locator("input[name=content]").fill("某路段改造工程的批复文件")
    form.locator("button").click()
    row = page.locator("table.register tr", has_text="某路段改造工程的批复文件")
    expect(row.locator("td.due")).to_contain_text("2026-10-30")
    expect(row).to_contain_text("办理中")
    shot(page, "register", "table.register")
    row.locator("form.answer input[name=on]").fill("2026-10-20")
    row.locator("form.answer select[name=outcome]").select_option("granted")
    row.locator("form.answer button").click()
    row = page.locator("table.register tr", has_text="某路段改造工程的批复文件")
    expect(row).to_contain_text("已办结：（一）予以公开")


def test_value_cells_are_reachable_by_keyboard_and_rules_have_chinese_names(page: Any) -> None:
    page.goto("/reports?agency=中宁县新堡镇")
    page.locator("table.list a", has_text="中宁县新堡镇人民政府").click()
    cell = page.locator("#table3 td[data-path='table3.received.0']")
    cell.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#cell-source")).to_contain_text("一、本年新收政府信息公开申请数量")
    item = page.locator("li.finding", has=page.locator("code:text-is('T3_BALANCE')")).first
    expect(item.locator(".rule-name")).to_contain_text("表三收支不平")


def test_on_a_phone_tables_scroll_inside_the_page(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url)
    pg = context.new_page()
    pg.goto("/reports?agency=中宁县新堡镇")
    pg.locator("table.list a", has_text="中宁县新堡镇人民政府").click()
    page_width = pg.evaluate("document.documentElement.scrollWidth")
    table = pg.locator("#table3 table").first
    overflow = table.evaluate("t => getComputedStyle(t).overflowX")
    context.close()
    assert overflow == "auto" and page_width <= 420
