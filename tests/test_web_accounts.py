"""Accounts, roles, signed sessions, cross-site refusal and the audit log (issue 13, part 2).

Users are made with the real `gongkai users` commands; the app is driven through its HTTP
interface over a copy of the shared web corpus.
"""

from __future__ import annotations

import io
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from gongkai.cli.main import app as cli
from gongkai.store import users as store_users
from gongkai.web import auth
from gongkai.web.app import create_app
from test_web_support import corpus_db, fresh_db, needs_seeds, seed_000_id

__all__ = ["corpus_db", "fresh_db"]  # fixtures, imported for pytest
pytestmark = needs_seeds
runner = CliRunner()


def add_user(db: Path, name: str, role: str) -> str:
    """`gongkai users add`; the one-time token it prints."""
    result = runner.invoke(cli, ["users", "add", name, "--role", role, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return next(line for line in result.stdout.splitlines() if line.startswith("gk_"))


def signed_in(db: Path, name: str, token: str) -> TestClient:
    client = TestClient(create_app(db), base_url="http://gongkai.test")
    response = client.post("/login", data={"name": name, "secret": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def team(fresh_db: Path) -> dict[str, str]:
    return {
        "读者": add_user(fresh_db, "读者", "查看"),
        "审核员": add_user(fresh_db, "审核员", "审核"),
        "主任": add_user(fresh_db, "主任", "管理"),
    }


def _only_error(client: TestClient, rid: int) -> dict[str, str]:
    findings = client.get(f"/api/reports/{rid}").json()["findings"]
    return next(f for f in findings if f["severity"] == "error")


def test_with_accounts_an_anonymous_visitor_sees_only_the_login_page(
    fresh_db: Path,
    team: dict[str, str],
) -> None:
    with TestClient(create_app(fresh_db)) as c:
        page = c.get("/reports?year=2021", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=%2Freports%3Fyear%3D2021"
        assert c.get("/api/reports").status_code == 401
        assert c.get("/login").status_code == 200 and "用户名" in c.get("/login").text
        assert c.get("/static/app.css").status_code == 200


def test_the_session_cookie_is_signed_and_never_the_secret(
    fresh_db: Path,
    team: dict[str, str],
) -> None:
    with signed_in(fresh_db, "审核员", team["审核员"]) as c:
        cookie = c.cookies[auth.SESSION]
        assert team["审核员"] not in cookie and "审核员" not in cookie
        assert c.get("/api/reports").status_code == 200
        uid, issued, mac = cookie.split(".")
        c.cookies.set(auth.SESSION, f"{uid}.{int(issued) + 1}.{mac}", domain="gongkai.test")
        assert c.get("/api/reports").status_code == 401  # tampered: the signature fails


def test_an_expired_session_is_refused(fresh_db: Path, team: dict[str, str]) -> None:
    con = sqlite3.connect(fresh_db)
    user = store_users.user_by_name(con, "审核员")
    assert user is not None
    who = auth.Principal(user.name, user.role, user.id, user.secret_set_at)
    stale = auth.session_value(store_users.session_key(con), who, time.time() - auth.SESSION_S - 5)
    fresh = auth.session_value(store_users.session_key(con), who)
    con.close()
    with TestClient(create_app(fresh_db)) as c:
        assert c.get("/api/reports", cookies={auth.SESSION: stale}).status_code == 401
        assert c.get("/api/reports", cookies={auth.SESSION: fresh}).status_code == 200


def test_roles_decide_who_reviews_and_who_deletes(
    fresh_db: Path,
    team: dict[str, str],
) -> None:
    rid = seed_000_id(TestClient(create_app(fresh_db), headers=_bearer(team["读者"])))
    with signed_in(fresh_db, "读者", team["读者"]) as reader:
        finding = _only_error(reader, rid)
        body = {"code": finding["code"], "decision": "dismiss"}
        refused = reader.post(f"/api/reports/{rid}/reviews", json=body)
        assert refused.status_code == 403 and "审核" in refused.json()["detail"]
    with signed_in(fresh_db, "审核员", team["审核员"]) as reviewer:
        assert reviewer.post(f"/api/reports/{rid}/reviews", json=body).status_code == 200
        decided = next(
            f for f in reviewer.get(f"/api/reports/{rid}").json()["findings"]
            if f["code"] == finding["code"]
        )  # fmt: skip
        assert decided["who"] == "审核员"  # the account, not a name the body could claim
        assert reviewer.delete(f"/api/reports/{rid}").status_code == 403
    with signed_in(fresh_db, "主任", team["主任"]) as admin:
        assert admin.delete(f"/api/reports/{rid}").status_code == 204


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_users_token_works_for_the_api_until_the_user_is_disabled(
    fresh_db: Path,
    team: dict[str, str],
) -> None:
    with TestClient(create_app(fresh_db)) as c, signed_in(fresh_db, "审核员", team["审核员"]) as b:
        assert c.get("/api/reports", headers=_bearer(team["审核员"])).status_code == 200
        forged = team["审核员"][:-4] + "AAAA"
        assert c.get("/api/reports", headers=_bearer(forged)).status_code == 401
        result = runner.invoke(cli, ["users", "disable", "审核员", "--db", str(fresh_db)])
        assert result.exit_code == 0, result.output
        assert c.get("/api/reports", headers=_bearer(team["审核员"])).status_code == 401
        assert b.get("/api/reports").status_code == 401  # the open session ends too


def test_a_cross_site_form_post_is_refused(fresh_db: Path, team: dict[str, str]) -> None:
    with signed_in(fresh_db, "主任", team["主任"]) as c:
        rid = seed_000_id(c)
        for origin in ("http://gongkai.test:9999", "http://evil.example", "null"):
            refused = c.post(f"/reports/{rid}/delete", headers={"Origin": origin})
            assert refused.status_code == 403 and "跨站" in refused.text
        for site in ("cross-site", "same-site"):  # same-site: another port of this host
            cross = c.post(f"/reports/{rid}/delete", headers={"Sec-Fetch-Site": site})
            assert cross.status_code == 403
        ok_origin = c.post(f"/reports/{rid}/edition", headers={"Origin": "http://gongkai.test"})
        assert ok_origin.status_code == 200  # an old browser's matching Origin is let through
        assert c.get(f"/api/reports/{rid}").status_code == 200  # still there
        own = c.post(
            f"/reports/{rid}/delete", headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},
            follow_redirects=False,
        )  # fmt: skip
        assert own.status_code == 303
        assert c.get(f"/api/reports/{rid}").status_code == 404


def test_every_write_and_login_is_in_the_audit_log_which_only_admins_read(
    fresh_db: Path,
    team: dict[str, str],
) -> None:
    with TestClient(create_app(fresh_db)) as anonymous:
        anonymous.post("/login", data={"name": "审核员", "secret": "wrong-guess"})
    with signed_in(fresh_db, "审核员", team["审核员"]) as reviewer:
        rid = seed_000_id(reviewer)
        finding = _only_error(reviewer, rid)
        body = {"code": finding["code"], "decision": "dismiss", "note": "已核实原件"}
        assert reviewer.post(f"/api/reports/{rid}/reviews", json=body).status_code == 200
        assert reviewer.get("/admin/audit").status_code == 403
        assert reviewer.get("/api/audit").status_code == 403
    with signed_in(fresh_db, "主任", team["主任"]) as admin:
        log = admin.get("/api/audit").json()["entries"]
        page = admin.get("/admin/audit").text
    actions = [(e["who"], e["action"]) for e in log]
    assert ("审核员", "登录失败") in actions and ("审核员", "登录") in actions
    review = next(e for e in log if e["action"] == "复核审查意见")
    assert review["who"] == "审核员" and review["status"] == 200
    assert finding["code"] in review["detail"] and "已核实原件" in review["detail"]
    assert "复核审查意见" in page and "审核员" in page
    con = sqlite3.connect(fresh_db)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("UPDATE audit_log SET who = '别人'")
    con.close()


def test_notices_download_holds_open_findings_only(
    fresh_db: Path,
    team: dict[str, str],
) -> None:
    with signed_in(fresh_db, "审核员", team["审核员"]) as c:
        rid = seed_000_id(c)
        agency = c.get(f"/api/reports/{rid}").json()["report"]["meta"]["agency"]
        before = c.get("/api/findings/export", params={"agency": agency, "format": "json"}).json()
        finding = _only_error(c, rid)
        c.post(f"/api/reports/{rid}/reviews", json={"code": finding["code"], "decision": "dismiss"})
        after = c.get("/api/findings/export", params={"agency": agency, "format": "json"}).json()
        assert len(after) == len(before) - sum(r["code"] == finding["code"] for r in before)
        one = c.get("/api/findings/export", params={"agency": agency, "format": "docx"})
        text = "\n".join(p.text for p in Document(io.BytesIO(one.content)).paragraphs)
        assert f"存在以下 {len(after)} 个问题" in text
        assert all(r["message"] in text for r in after)
        every = c.get("/api/findings/export", params={"format": "docx"})
        assert every.headers["content-type"] == "application/zip"
        names = zipfile.ZipFile(io.BytesIO(every.content)).namelist()
        assert len(names) > 1 and all(n.startswith("整改通知-") for n in names)


def test_a_bad_parameter_is_explained_in_chinese_on_pages_and_in_json(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "c.sqlite")) as c:
        errors = c.get("/api/reports?year=abc&page=0").json()["detail"]
        assert [e["msg"] for e in errors] == [
            "查询参数 year：应为整数",
            "查询参数 page：应不小于 1",
        ]
        assert [e["type"] for e in errors] == ["int_parsing", "greater_than_equal"]
        page = c.get("/reports?year=1800")
        assert page.status_code == 422 and "查询参数 year：应不小于 1990" in page.text


def test_team_writes_on_the_command_line_are_audited_too(fresh_db: Path) -> None:
    add_user(fresh_db, "审核员", "审核")
    assert runner.invoke(cli, ["users", "disable", "审核员", "--db", str(fresh_db)]).exit_code == 0
    app = create_app(fresh_db, "admin-token")
    with TestClient(app, headers={"Authorization": "Bearer admin-token"}) as c:
        rid = seed_000_id(c)
        code = _only_error(c, rid)["code"]
        args = ["review", str(rid), code, "--dismiss", "--note", "笔误", "--db", str(fresh_db)]
        assert runner.invoke(cli, args).exit_code == 0
        add = ["register", "add", "--received", "2026-09-28", "--applicant", "自然人",
               "--channel", "网上", "--content", "某文件", "--db", str(fresh_db)]  # fmt: skip
        assert runner.invoke(cli, add).exit_code == 0
        log = c.get("/api/audit").json()
    actions = [(e["action"], e["detail"]) for e in log["entries"]]
    assert ("添加用户", "审核员（审核）") in actions and ("停用用户", "审核员") in actions
    assert ("登记依申请公开申请", "#1") in actions
    review = next(e for e in log["entries"] if e["action"] == "复核审查意见")
    assert (
        review["who"].startswith("命令行：")
        and code in review["detail"]
        and "笔误" in review["detail"]
    )
    assert [u["disabled"] for u in log["users"]] == [True]


def test_serve_says_which_access_mode_it_runs_in(tmp_path: Path) -> None:
    from gongkai.cli.web import access_mode

    db = tmp_path / "c.sqlite"
    create_app(db)  # a new, migrated database
    assert access_mode(db, None).startswith("只读") and access_mode(db, "t").startswith("可写")
    add_user(db, "甲", "审核")
    add_user(db, "乙", "查看")
    runner.invoke(cli, ["users", "disable", "乙", "--db", str(db)])
    assert access_mode(db, None) == "账户：1 个可用用户，未登录只能看到登录页"


def test_a_database_put_in_the_files_place_is_read_as_itself(tmp_path: Path) -> None:
    """The caller's identity was read on a per-thread connection keyed on the path alone: after a
    restore (another file moved into place) logins, disabled users and the audit log went on
    using the old, deleted file."""
    import os

    live, restored = tmp_path / "live.sqlite", tmp_path / "restored.sqlite"
    create_app(restored)
    token = add_user(restored, "丙", "审核")
    app = create_app(live)
    add_user(live, "甲", "审核")
    with TestClient(app) as c:
        for _ in range(5):  # the server's threads open their connections to the live file
            assert c.get("/api/reports").status_code == 401
        os.replace(restored, live)
        login = c.post("/login", data={"name": "丙", "secret": token}, follow_redirects=False)
        assert login.status_code == 303


def test_a_reset_token_replaces_the_old_one_and_its_sessions(
    fresh_db: Path, team: dict[str, str]
) -> None:
    with signed_in(fresh_db, "审核员", team["审核员"]) as browser:
        result = runner.invoke(cli, ["users", "reset", "审核员", "--db", str(fresh_db)])
        assert result.exit_code == 0, result.output
        new = next(line for line in result.stdout.splitlines() if line.startswith("gk_"))
        assert new != team["审核员"]
        assert browser.get("/api/reports").status_code == 401  # the session ended
    with TestClient(create_app(fresh_db)) as c:
        assert c.get("/api/reports", headers=_bearer(team["审核员"])).status_code == 401
        assert c.get("/api/reports", headers=_bearer(new)).status_code == 200


def test_enabling_a_user_again_does_not_revive_old_sessions(
    fresh_db: Path, team: dict[str, str]
) -> None:
    with signed_in(fresh_db, "审核员", team["审核员"]) as browser:
        for command in ("disable", "enable"):
            assert (
                runner.invoke(cli, ["users", command, "审核员", "--db", str(fresh_db)]).exit_code
                == 0
            )
        assert browser.get("/api/reports").status_code == 401
    with signed_in(fresh_db, "审核员", team["审核员"]) as again:  # the token itself still works
        assert again.get("/api/reports").status_code == 200
