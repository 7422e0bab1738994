"""The DOCX reader on hand-written WordprocessingML, on LibreOffice output, and on hostile files.

The small documents are written here as raw XML in a ZIP (no gongkai code, no python-docx writer),
so each test states exactly the markup it is about.
"""

from __future__ import annotations

import contextlib
import io
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.errors import GongkaiError, UnreadableInput, UnsupportedFormat
from gongkai.readers import read_bytes
from gongkai.readers.docx import read_docx
from gongkai.readers.raw import Paragraph, RawDocument, Table

GENERATED = Path(__file__).parent / "fixtures" / "generated"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="bin" ContentType="application/octet-stream"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>"""
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>"""
DOCUMENT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/numbering" Target="numbering.xml"/>
<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/></Relationships>"""
NUMBERING = f"""<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"""
STYLES = f"""<w:styles xmlns:w="{W_NS}">
<w:style w:type="paragraph" w:styleId="Item"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="SubItem"><w:basedOn w:val="Item"/></w:style>
</w:styles>"""


def make_docx(body: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal DOCX package around a hand-written `w:body`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        z.writestr("word/numbering.xml", NUMBERING)
        z.writestr("word/styles.xml", STYLES)
        z.writestr(
            "word/document.xml", f"<w:document {NAMESPACES}><w:body>{body}</w:body></w:document>"
        )
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def p(text: str, props: str = "") -> str:
    return f'<w:p><w:pPr>{props}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def tc(content: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def tbl(*rows: str) -> str:
    return "<w:tbl>" + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"


def texts(doc: RawDocument) -> list[list[str]]:
    return [row.texts() for row in doc.rows()]


def read(body: str) -> RawDocument:
    return read_docx(make_docx(body), "t.docx")


def test_grid_span_and_vertical_merge_leave_empty_cells() -> None:
    span, restart, cont = '<w:gridSpan w:val="2"/>', '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    body = tbl(
        tc(p("信息内容"), span) + tc(p("本年处理决定数量")),
        tc(p("三、本年度办理结果"), restart) + tc(p("（一）予以公开")) + tc(p("3")),
        tc(p(""), cont) + tc(p("（二）部分公开")) + tc(p("")),
    )
    assert texts(read(body)) == [
        ["信息内容", "", "本年处理决定数量"],
        ["三、本年度办理结果", "（一）予以公开", "3"],
        ["", "（二）部分公开", ""],
    ]


def test_grid_before_and_after_pad_the_row() -> None:
    row = '<w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>' + tc(p("5"))
    body = (
        "<w:tbl><w:tr>"
        + row
        + "</w:tr><w:tr>"
        + tc(p("a"))
        + tc(p("b"))
        + tc(p("c"))
        + "</w:tr></w:tbl>"
    )
    assert texts(read(body))[0] == ["", "5", ""]


def test_cell_lines_join_without_spaces_and_covered_cells_know_their_row() -> None:
    br = "<w:p><w:r><w:t>本年新</w:t><w:br/><w:t>制作数量</w:t></w:r></w:p>"
    body = tbl(tc(br) + tc(p("结果") + p("维持")), tc(p("0"), '<w:gridSpan w:val="2"/>'))
    doc = read(body)
    assert texts(doc) == [["本年新制作数量", "结果维持"], ["0", ""]]
    assert all(cell.line is not None for row in doc.rows() for cell in row.cells)


def test_line_break_outside_tables_ends_the_paragraph() -> None:
    body = "<w:p><w:r><w:t>彭阳县小岔乡人民政府</w:t><w:br/><w:t>2022 年政府信息公开工作年度报告</w:t></w:r></w:p>"
    assert texts(read(body)) == [["彭阳县小岔乡人民政府"], ["2022 年政府信息公开工作年度报告"]]


def test_nested_tables_make_the_outer_table_layout() -> None:
    inner = tbl(tc(p("行政处罚")) + tc(p("30")))
    body = tbl(tc(p("二、主动公开政府信息情况") + inner + p("")))
    doc = read(body)
    assert texts(doc) == [["二、主动公开政府信息情况"], ["行政处罚", "30"]]
    assert isinstance(doc.blocks[0], Paragraph) and isinstance(doc.blocks[1], Table)


def test_text_box_is_read_once_after_its_paragraph() -> None:
    box = "<w:txbxContent>" + p("框内文字") + "</w:txbxContent>"
    drawing = (
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>'
        + box
        + "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>"
        + box
        + "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent>"
    )
    body = f"<w:p><w:r><w:t>锚定段落</w:t></w:r><w:r>{drawing}</w:r></w:p>" + p("下一段")
    assert texts(read(body)) == [["锚定段落"], ["框内文字"], ["下一段"]]


def test_numbering_labels_are_rendered() -> None:
    level = '<w:numPr><w:ilvl w:val="{}"/><w:numId w:val="1"/></w:numPr>'
    body = (
        p("总体情况", level.format(0))
        + p("主动公开", level.format(1))
        + p("依申请公开", level.format(1))
        + p("主动公开政府信息情况", level.format(0))
        + p("重新编号", level.format(1))
        + p("样式编号", '<w:pStyle w:val="SubItem"/>')
        + p("不编号", '<w:numPr><w:numId w:val="0"/></w:numPr>')
    )
    assert texts(read(body)) == [
        ["一、总体情况"],
        ["（一）主动公开"],
        ["（二）依申请公开"],
        ["二、主动公开政府信息情况"],
        ["（一）重新编号"],
        ["5.样式编号"],
        ["不编号"],
    ]


def test_numbering_inside_table_cells() -> None:
    level = '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'
    body = tbl(tc(p("予以公开", level)) + tc(p("0")), tc(p("部分公开", level)) + tc(p("1")))
    assert texts(read(body)) == [["（一）予以公开", "0"], ["（二）部分公开", "1"]]


def test_hidden_runs_and_deleted_text_are_skipped() -> None:
    body = (
        "<w:p><w:r><w:t>可见</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>"
        "<w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins></w:p>"
    )
    assert texts(read(body)) == [["可见插入"]]


def test_tab_separated_numbers_are_a_table_row_and_other_tabs_a_space() -> None:
    tabbed = "<w:p><w:r><w:t>行政许可</w:t><w:tab/><w:t>5</w:t><w:tab/><w:tab/></w:r></w:p>"
    heading = "<w:p><w:r><w:t>一、</w:t><w:tab/><w:t>总体情况</w:t></w:r></w:p>"
    doc = read(tabbed + heading)
    assert texts(doc) == [["行政许可", "5", "", ""], ["一、 总体情况"]]
    assert isinstance(doc.blocks[0], Table)


def test_content_controls_are_looked_through() -> None:
    body = "<w:sdt><w:sdtContent>" + p("控件里的段落") + "</w:sdtContent></w:sdt>"
    assert texts(read(body)) == [["控件里的段落"]]


def test_libreoffice_docx_keeps_the_official_table3_shape() -> None:
    doc = read_docx((GENERATED / "004_a0f62e3ec90446e4.docx").read_bytes(), "004.docx")
    rows = [row.texts() for row in doc.rows() if row.is_table and len(row.cells) == 10]
    assert len(rows) == 3 + 23  # three header rows, 23 data rows (2019 table 3)
    assert rows[0][:4] == [rows[0][0], "", "", "申请人情况"] and rows[0][0].startswith("（本列数据")
    assert rows[7][:4] == ["", "（三）不予公开", "1.属于国家秘密", "0"]
    assert rows[8][:3] == ["", "", "2.其他法律行政法规禁止公开"]


def _bomb() -> bytes:
    zeros = b"\0" * (20 * 2**20)  # 20 MB of zeros deflate to about 20 KB: a 1000:1 ratio
    return make_docx(p("正文"), {"word/media/image1.bin": zeros})


def test_zip_bomb_is_refused_before_parsing() -> None:
    data = _bomb()
    assert len(data) < 200_000
    with pytest.raises(UnreadableInput, match="压缩炸弹"):
        read_docx(data, "bomb.docx")


def _lying_bomb() -> bytes:
    """100 MB of zeros whose ZIP headers claim 1000 bytes: only inflating it tells."""
    buffer = io.BytesIO(make_docx(p("正文")))
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as z,
        z.open("word/media/a.bin", "w") as f,
    ):
        for _ in range(100):
            f.write(b"\0" * 2**20)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/media/a.bin")
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # local header: uncompressed size
    central = data.rindex(b"PK\x01\x02", 0, data.rindex(b"word/media/a.bin"))
    struct.pack_into("<I", data, central + 24, 1000)  # central directory: uncompressed size
    return bytes(data)


def test_zip_bomb_that_lies_about_its_size_is_refused() -> None:
    with pytest.raises(UnreadableInput, match="大小与声明不符"):
        read_docx(_lying_bomb(), "liar.docx")


def test_random_bytes_named_docx_give_one_clear_error() -> None:
    with pytest.raises(UnreadableInput, match="DOCX"):
        read_bytes(bytes(range(7, 250)) * 40, "random.docx")


def test_broken_zip_and_zip_without_a_document() -> None:
    with pytest.raises(UnreadableInput, match="ZIP"):
        read_bytes(b"PK\x03\x04" + b"\x01" * 500, "broken.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedFormat, match="Word"):
        read_bytes(out.getvalue(), "other.docx")


def test_docx_with_a_broken_document_part() -> None:
    data = make_docx("<w:p>")  # not well-formed XML
    with pytest.raises(UnreadableInput, match="DOCX"):
        read_docx(data, "bad.docx")


_W_TAGS = [
    "w:p",
    "w:r",
    "w:t",
    "w:tbl",
    "w:tr",
    "w:tc",
    "w:sdt",
    "w:sdtContent",
    "w:txbxContent",
    "w:del",
]
_W_PROPS = [
    "",
    '<w:tcPr><w:gridSpan w:val="3"/></w:tcPr>',
    '<w:tcPr><w:gridSpan w:val="x"/><w:vMerge/></w:tcPr>',
    '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>',
    '<w:trPr><w:gridBefore w:val="-2"/></w:trPr>',
    '<w:pPr><w:numPr><w:ilvl w:val="7"/><w:numId w:val="1"/></w:numPr></w:pPr>',
    "<w:br/>",
    "<w:tab/>",
]
_w_markup = st.recursive(
    st.text(alphabet="一二三0123456789 、", max_size=6),
    lambda inner: st.builds(
        lambda tag, props, body: f"<{tag}>{props}{''.join(body)}</{tag}>",
        st.sampled_from(_W_TAGS),
        st.sampled_from(_W_PROPS),
        st.lists(inner, max_size=4),
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_w_markup, max_size=4))
def test_random_wordprocessingml_never_crashes(parts: list[str]) -> None:
    with contextlib.suppress(GongkaiError):
        doc = read_docx(make_docx("".join(parts)), "fuzz.docx")
        widths = [{len(row.cells) for row in b.rows} for b in doc.blocks if isinstance(b, Table)]
        assert all(len(w) == 1 for w in widths)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.binary(min_size=1, max_size=40))
def test_damaged_docx_bytes_give_our_errors_only(offset: int, junk: bytes) -> None:
    good = (GENERATED / "003_32e8e180e59a5afa.docx").read_bytes()
    cut = offset % len(good)
    with contextlib.suppress(GongkaiError):
        read_docx(good[:cut] + junk + good[cut + len(junk) :], "damaged.docx")


def test_a_relationship_to_a_missing_numbering_part_is_no_damage() -> None:
    """Numbering and styles are optional parts; a dangling relationship to one drops its labels
    and nothing else (python-docx refused the whole file)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(make_docx(p("正文"))), "r") as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for item in src.infolist():
            if item.filename != "word/numbering.xml":
                dst.writestr(item, src.read(item))
    assert texts(read_docx(out.getvalue(), "t.docx")) == [["正文"]]


def test_a_table_spanning_millions_of_positions_is_refused_not_built() -> None:
    """gridSpan 1000 on every cell (issue 17 saw 1000 cells a row, 50 rows: 50 million positions
    built cell by cell); here 10 a row, 30 rows, already past the grid limit: checked first."""
    wide = tc(p("0"), '<w:gridSpan w:val="1000"/>')
    with pytest.raises(UnreadableInput, match="表格过大"):
        read_docx(make_docx(tbl(*[wide * 10] * 30)), "wide.docx")


def test_a_span_beyond_the_html_limit_counts_as_that_limit() -> None:
    doc = read(tbl(tc(p("甲"), '<w:gridSpan w:val="99999999"/>') + tc(p("1"))))
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(table.rows[0].cells) == 1001  # the span capped at 1000 positions, then the value
