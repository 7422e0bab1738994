"""The JSON API, in process: every page's data, the stateless checks, downloads and the corpus
queries, over a corpus ingested from the seeds and a synthetic series."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
from fastapi.testclient import TestClient

from test_web_support import (
    BROKEN_AGENCY,
    BROKEN_COLUMN,
    BROKEN_YEAR,
    SEED_000,
    SERIES_AGENCY,
    client,
    corpus_db,
    report_id,
    seed_000_id,
)

__all__ = ["client", "corpus_db"]  # fixtures, imported for pytest
T3_CODES = {"T3_BALANCE", "T3_TOTAL_ROW", "T3_ROW_SUM"}


# 首页 -------------------------------------------------------------------------------------------------


def test_dashboard_counts_rules_requests_and_outcomes(client: TestClient) -> None:
    d = client.get("/api/").json()
    assert d["reports"] == 11 and d["failed"] == 1
    assert sum(y["reports"] for y in d["by_year"]) == 11
    codes = {r["code"]: r for r in d["rules"]}
    assert set(codes) >= T3_CODES
    assert codes["T3_BALANCE"]["reports"] == 1
    assert {r["year"] for r in d["requests"]} >= {2019, 2020, 2021, 2022}
    assert abs(sum(o["share"] or 0 for o in d["outcomes"]) - 1) < 1e-9
    assert [c["group"] for c in d["corrections"]] == [
        "review", "litigation_direct", "litigation_after_review",
    ]  # fmt: skip
    assert d["peer"] is None


def test_peer_position_gives_quartiles_among_the_same_year(client: TestClient) -> None:
    d = client.get("/api/", params={"agency": SERIES_AGENCY, "year": 2021}).json()
    peer = d["peer"]
    assert peer["year"] == 2021 and peer["agency"] == SERIES_AGENCY
    received = next(m for m in peer["metrics"] if m["key"] == "received")
    assert received["peers"] == 4  # seeds 000 and 003, the two synthetic agencies
    assert received["minimum"] <= received["q1"] <= received["median"] <= received["q3"]
    assert received["q3"] <= received["maximum"]
    assert 0 < received["at_or_below"] <= 1


def test_peer_position_of_an_unknown_agency_says_why(client: TestClient) -> None:
    d = client.get("/api/", params={"agency": "不存在的机关"}).json()
    assert d["peer"] is None and "没有" in d["peer_note"]


# 报告库 ----------------------------------------------------------------------------------------------


def test_list_filters_by_year_agency_region_rule_and_errors(client: TestClient) -> None:
    def total(**params: str | int | bool) -> int:
        count: int = client.get("/api/reports", params=params).json()["total"]
        return count

    assert total() == 12
    assert total(year=2021) == 4
    assert total(agency=SERIES_AGENCY) == 3
    assert total(region="中宁县") == 4  # seed 000 and the three broken-series years
    assert total(code="T3_BALANCE") == 1
    assert total(has_errors=True) == 4  # seeds 000 and 003, the broken carry-over, the failure
    assert total(year=2021, has_errors=True) == 2


def test_full_text_search_in_sections_with_snippets(client: TestClient) -> None:
    body = client.get("/api/reports", params={"q": "新堡镇密切关注"}).json()
    assert body["total"] == 1
    assert body["snippets"] and "【新堡镇密切关注】" in body["snippets"][0]["text"]
    short = client.get("/api/reports", params={"q": "新堡"}).json()  # under 3 characters: LIKE
    assert short["total"] >= 1


def test_pagination_walks_every_report_once(client: TestClient) -> None:
    seen: list[int] = []
    for page in (1, 2, 3, 4):
        body = client.get("/api/reports", params={"per_page": 3, "page": page}).json()
        assert body["pages"] == 4
        seen += [item["id"] for item in body["items"]]
    assert sorted(seen) == list(range(1, 13))
    assert client.get("/api/reports", params={"page": 0}).status_code == 422


# 报告详情 ---------------------------------------------------------------------------------------------


def test_detail_has_findings_in_words_provenance_and_card(client: TestClient) -> None:
    d = client.get(f"/api/reports/{seed_000_id(client)}").json()
    assert d["meta"]["agency"] == "中宁县新堡镇人民政府" and d["meta"]["year"] == 2021
    by_code = {f["code"]: f for f in d["findings"]}
    assert set(by_code) >= T3_CODES
    balance = by_code["T3_BALANCE"]
    assert balance["fingerprint"] and balance["labels"][0].startswith("表三“一、本年新收")
    assert d["report"]["provenance"]["table3.received.0"]["raw"] == "2"
    assert d["card"]["available"] is True
    card = client.get(f"/api/reports/{seed_000_id(client)}/card", params={"format": "html"})
    assert card.status_code == 200 and "中宁县新堡镇人民政府" in card.text
    assert client.get("/api/reports/999999").status_code == 404


def test_detail_of_a_file_that_failed_to_parse(client: TestClient) -> None:
    [failed] = [i for i in client.get("/api/reports").json()["items"] if i["status"] == "error"]
    d = client.get(f"/api/reports/{failed['id']}").json()
    assert d["report"] is None and "不是政府信息公开工作年度报告" in d["meta"]["error"]
    assert "解析失败" in client.get(f"/reports/{failed['id']}").text
    assert client.get(f"/api/reports/{failed['id']}/cells/table3.received.0").status_code == 404


def test_detail_links_to_last_years_report(client: TestClient) -> None:
    later = report_id(client, agency=SERIES_AGENCY, year=2021)
    earlier = report_id(client, agency=SERIES_AGENCY, year=2020)
    assert client.get(f"/api/reports/{later}").json()["previous_id"] == earlier


def test_cell_source_gives_raw_text_line_and_the_source_line(client: TestClient) -> None:
    rid = seed_000_id(client)
    cell = client.get(f"/api/reports/{rid}/cells/table3.received.0").json()
    assert cell["value"] == 2 and cell["raw"] == "2" and cell["line"]
    assert cell["source_line"].startswith("一、本年新收政府信息公开申请数量")
    assert cell["label"] == "表三“一、本年新收政府信息公开申请数量”·自然人"
    assert client.get(f"/api/reports/{rid}/cells/table3.nonsense.0").status_code == 404
    assert client.get(f"/api/reports/{rid}/cells/table9.received.0").status_code == 422


# 对比、跨年、汇总 ------------------------------------------------------------------------------------------


def test_compare_gives_per_cell_deltas_older_report_first(client: TestClient) -> None:
    a = report_id(client, agency=SERIES_AGENCY, year=2020)
    b = report_id(client, agency=SERIES_AGENCY, year=2021)
    body = client.get("/api/compare", params=[("ids", b), ("ids", a)]).json()
    assert body["a"]["id"] == a and body["b"]["id"] == b
    cmp = body["comparison"]
    received_a = body["report_a"]["table3"]["received"][6]
    received_b = body["report_b"]["table3"]["received"][6]
    delta = next((c for c in cmp["cells"] if c["cell"] == "table3.received.6"), None)
    if received_a == received_b:
        assert delta is None
    else:
        assert delta is not None and delta["delta"] == received_b - received_a
    assert client.get("/api/compare").json()["message"] == "请选择两份报告进行对比"


def test_years_show_the_broken_carry_over_on_its_column(client: TestClient) -> None:
    body = client.get("/api/years", params={"agency": BROKEN_AGENCY}).json()
    assert [y["year"] for y in body["years"]] == [2020, 2021, 2022]
    pairs = {p["year"]: p for p in body["pairs"]}
    assert not [f for f in pairs[2021]["findings"] if f["code"] == "X_CARRY"]
    carry = [f for f in pairs[BROKEN_YEAR]["findings"] if f["code"] == "X_CARRY"]
    assert carry and any(cell[-1] == BROKEN_COLUMN for cell in carry[0]["cells"])


def test_years_ask_which_agency_when_the_name_is_ambiguous(client: TestClient) -> None:
    body = client.get("/api/years", params={"agency": "人民政府"}).json()
    assert body["agency"] is None and len(body["candidates"]) > 2


def test_rollup_of_the_seeds_names_the_inputs_with_errors(client: TestClient) -> None:
    items = client.get("/api/reports", params={"per_page": 200}).json()["items"]
    ids = [item["id"] for item in items if "/seeds/" in item["source_path"]]
    assert len(ids) == 5
    body = client.get(
        "/api/rollup", params=[*(("ids", i) for i in ids), ("name", "测试县（汇总）")]
    ).json()
    result = body["result"]
    assert result["report"]["meta"]["agency"] == "测试县（汇总）"
    assert len(result["inputs"]) == 5
    flagged = " ".join(result["inputs_with_errors"])
    assert "000_ac4c29f1373e55a6" in flagged and "003_32e8e180e59a5afa" in flagged
    assert body["candidates"] and body["total_candidates"] == 12


def test_rollup_download_opens_as_a_workbook(client: TestClient) -> None:
    ids = [report_id(client, agency=SERIES_AGENCY, year=y) for y in (2020, 2021)]
    params: dict[str, str | list[int]] = {"ids": ids, "name": "泾源县（汇总）", "format": "xlsx"}
    response = client.get("/api/rollup/export", params=params)
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames
    assert client.get("/api/rollup/export").status_code == 422


# 编写 -------------------------------------------------------------------------------------------------


def _zero_form(**changes: str) -> dict[str, str]:
    from gongkai.web.authoring import FIELDS_2021

    form = dict.fromkeys(FIELDS_2021, "0") | {"agency": "测试县人民政府", "year": "2024"}
    for no in range(1, 7):
        form[f"section.{no}"] = "本部分内容。"
    return form | changes


def _codes(html: str) -> set[str]:
    import re

    return set(re.findall(r'data-code="([A-Z0-9_]+)"', html))


def test_author_check_finds_a_wrong_number_and_loses_it_when_fixed(client: TestClient) -> None:
    consistent = client.post("/author/check", data=_zero_form())
    assert consistent.status_code == 200 and not _codes(consistent.text) & T3_CODES
    wrong = client.post("/author/check", data=_zero_form(**{"table3.received.0": "5"}))
    assert {"T3_BALANCE", "T3_ROW_SUM"} <= _codes(wrong.text)
    assert "#f-table3-received-0" in wrong.text  # the field is coloured
    typo = client.post("/author/check", data=_zero_form(**{"table3.received.0": "五"}))
    assert 'data-code="FIELD"' in typo.text and "不是数字" in typo.text


def test_author_page_data_and_validate_api(client: TestClient) -> None:
    page = client.get("/api/author", params={"from": seed_000_id(client)}).json()
    assert page["values"]["table3.received.0"] == "2"
    assert page["values"]["agency"] == "中宁县新堡镇人民政府"
    from gongkai.web.authoring import report_from_form

    report, problems = report_from_form(_zero_form(**{"table4.review.0": "3"}))
    assert not problems
    checked = client.post("/api/validate", json=report.to_json()).json()
    assert "T4_GROUP_SUM" in {f["code"] for f in checked["findings"]}


def test_author_export_docx_parses_back_to_the_typed_figures(
    client: TestClient, tmp_path: Path
) -> None:
    from gongkai.api import parse_file

    form = _zero_form(**{"table3.received.0": "5", "format": "docx"})
    response = client.post("/author/export", data=form)
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    path = tmp_path / "out.docx"
    path.write_bytes(response.content)
    back = parse_file(path)
    assert back.meta.agency == "测试县人民政府" and back.meta.year == 2024
    assert back.table3 is not None and back.table3["received"][0] == 5


# 上传检查与下载 ------------------------------------------------------------------------------------------


def test_upload_check_of_seed_000_returns_the_three_table3_errors(client: TestClient) -> None:
    files = [("files", (SEED_000.name, SEED_000.read_bytes(), "text/plain"))]
    body = client.post("/api/check", files=files).json()
    [result] = body["results"]
    assert result["error"] is None and result["errors"] == 3
    assert {f["code"] for f in result["findings"] if f["severity"] == "error"} == T3_CODES
    assert result["report"]["source"]["file"] == SEED_000.name  # not the temporary path
    parsed = client.post("/api/parse", files=files).json()["results"][0]
    assert parsed["report"]["table3"]["received"][0] == 2 and not parsed["findings"]


def test_upload_refuses_wrong_types_and_reports_each_file(client: TestClient) -> None:
    files = [
        ("files", ("tool.exe", b"MZ\x90\x00", "application/octet-stream")),
        ("files", ("fake.pdf", "一、总体情况".encode(), "application/pdf")),
        ("files", ("empty.txt", b"", "text/plain")),
        ("files", ("binary.txt", b"\x7fELF\x00\x00\x01", "text/plain")),
        ("files", ("note.txt", "这不是年报。".encode(), "text/plain")),
    ]
    results = client.post("/api/check", files=files).json()["results"]
    errors = [r["error"] for r in results]
    assert "不支持的文件类型" in errors[0]
    assert "内容不符" in errors[1]
    assert "文件为空" in errors[2]
    assert "不是文本" in errors[3]
    assert "不是政府信息公开工作年度报告" in errors[4]


def test_downloads_of_a_stored_report(client: TestClient) -> None:
    rid = seed_000_id(client)
    as_json = client.get(f"/api/reports/{rid}/export", params={"format": "json"})
    doc = json.loads(as_json.content)
    assert {f["code"] for f in doc["findings"]} >= T3_CODES and doc["provenance"]
    xlsx = client.get(f"/api/reports/{rid}/export", params={"format": "xlsx"})
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
    docx = client.get(f"/api/reports/{rid}/export", params={"format": "docx"})
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(docx.content)).namelist()
    md = client.get(f"/api/reports/{rid}/export", params={"format": "md"})
    assert "三、收到和处理政府信息公开申请情况" in md.text
    assert client.get(f"/api/reports/{rid}/export", params={"format": "exe"}).status_code == 422


def test_render_of_an_uploaded_result_and_of_a_malformed_report(client: TestClient) -> None:
    files = [("files", (SEED_000.name, SEED_000.read_bytes(), "text/plain"))]
    report = client.post("/api/check", files=files).json()["results"][0]["report"]
    docx = client.post("/api/render", params={"format": "docx"}, json=report)
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    form = client.post("/export", data={"report": json.dumps(report), "format": "xlsx"})
    assert form.status_code == 200 and form.content.startswith(b"PK")
    report["table3"]["received"] = [1, 2, 3]
    bad = client.post("/api/render", params={"format": "docx"}, json=report)
    assert bad.status_code == 422 and "表三" in bad.json()["detail"]
