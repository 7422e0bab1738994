"""A hostile-input corpus, built at test time from the real reports in ../shared (never committed).

One or more files per class of the attacks and accidents issue 17 lists: truncations, bit flips,
wrong extensions, every encoding, zip bombs, XML entity attacks, crafted PDFs (a form that draws
itself, a 10⁸ fan-out, millions of operations, thousands of pages), huge images, numbers of
thousands of digits, spreadsheets and tables of absurd extent, and filesystem oddities (a named
pipe, a link to a device, a link loop, a folder named like a report, an empty file, a name that is
not UTF-8). `build(folder)` writes them all and returns their paths.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

from conftest import SHARED

SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
SAMPLE_PDF = SHARED / "samples" / "hongze-2024.pdf"
REAL_HTML = SHARED / "real" / "201.html"
TEMPLATE_DOCX = SHARED / "samples" / "template-2021-blank.docx"


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(head: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (head, len(data), data)


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
_PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
    b" /Resources << /XObject << /X0 5 0 R >> >> /Contents 4 0 R >>"
)
_FORM = b"/Type /XObject /Subtype /Form /BBox [0 0 595 842]"


def self_drawing_pdf() -> bytes:
    """645 bytes: a form XObject whose content draws itself."""
    form = _stream(_FORM + b" /Resources << /XObject << /X0 5 0 R >> >>", b"/X0 Do")
    return _pdf([_CATALOG, _PAGES, _PAGE, _stream(b"", b"/X0 Do"), form])


def fan_out_pdf(depth: int = 8, width: int = 10) -> bytes:
    """Each form draws the next `width` times: width**depth operations from 2.5 KB."""
    objects = [_CATALOG, _PAGES, _PAGE, _stream(b"", b"/X0 Do")]
    for level in range(depth - 1):
        draws = b" ".join(b"q /X Do Q" for _ in range(width))
        resources = b" /Resources << /XObject << /X %d 0 R >> >>" % (6 + level)
        objects.append(_stream(_FORM + resources, draws))
    objects.append(_stream(_FORM, b"0 0 m 1 1 l S"))
    return _pdf(objects)


def many_operations_pdf(count: int = 2_000_000) -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return _pdf([_CATALOG, _PAGES, page, _stream(b"", b"0 0 m 1 1 l S\n" * (count // 3))])


def thousands_of_pages_pdf(pages: int = 2000) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    tree = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    return _pdf([_CATALOG, tree, *[page] * pages])


def _docx(document: bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def xxe_docx() -> bytes:
    """An external entity naming /etc/passwd: its content must never appear in any output."""
    return _docx(
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<w:document %s><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>" % _W
    )


def grid_span_docx(rows: int = 50, cells: int = 1000) -> bytes:
    """50 rows of 1000 cells each spanning 1000 columns: 50 million grid positions from 3 MB
    (stored, not deflated, so that no ratio check stops it before the table reader)."""
    cell = b'<w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p/></w:tc>'
    table = b"<w:tbl>" + (b"<w:tr>" + cell * cells + b"</w:tr>") * rows + b"</w:tbl>"
    document = b"<w:document %s><w:body>%s</w:body></w:document>" % (_W, table)
    return _docx(document, zipfile.ZIP_STORED)


def bomb_docx() -> bytes:
    """16 MB of one character in one part: a ratio no document has."""
    return _docx(b"<w:document %s><w:body>" % _W + b" " * (16 * 2**20) + b"</w:body></w:document>")


def far_cell_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "政府信息公开工作年度报告"
    workbook.active["XFD1048576"] = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def huge_png(side: int = 12000) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (side, side), 255).save(buffer, "PNG")
    return buffer.getvalue()


def _flipped(data: bytes, flips: int, seed: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _seed_text() -> str:
    return SEEDS[0].read_text(encoding="utf-8")


def _long_number() -> bytes:
    """Table 3's first row with its first value made 5000 digits long."""
    lines = _seed_text().split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    fields = lines[row].split("\t")
    first = next(i for i, field in enumerate(fields) if field.strip().isdigit())
    fields[first] = "9" * 5000
    lines[row] = "\t".join(fields)
    return "\n".join(lines).encode("utf-8")


FILES: dict[str, Callable[[], bytes]] = {
    "截断.txt": lambda: SEEDS[0].read_bytes()[: SEEDS[0].stat().st_size // 2],
    "截断.pdf": lambda: SAMPLE_PDF.read_bytes()[: SAMPLE_PDF.stat().st_size // 3],
    "截断.docx": lambda: TEMPLATE_DOCX.read_bytes()[:4000],
    "翻转1.pdf": lambda: _flipped(SAMPLE_PDF.read_bytes(), 40, 1),
    "翻转2.pdf": lambda: _flipped(SAMPLE_PDF.read_bytes(), 400, 2),
    "翻转.docx": lambda: _flipped(TEMPLATE_DOCX.read_bytes(), 40, 3),
    "翻转.html": lambda: _flipped(REAL_HTML.read_bytes(), 400, 4),
    "其实是PDF.txt": SAMPLE_PDF.read_bytes,
    "其实是PDF.docx": SAMPLE_PDF.read_bytes,
    "其实是文本.pdf": SEEDS[0].read_bytes,
    "其实是网页.xlsx": REAL_HTML.read_bytes,
    "GBK.txt": lambda: _seed_text().encode("gbk", errors="replace"),
    "UTF16.txt": lambda: _seed_text().encode("utf-16"),
    "UTF16BE无BOM.txt": lambda: _seed_text().encode("utf-16-be"),
    "BOM.txt": lambda: b"\xef\xbb\xbf" + SEEDS[0].read_bytes(),
    "空.txt": lambda: b"",
    "二进制.txt": lambda: bytes(random.Random(5).randrange(256) for _ in range(65536)),
    "五千位数字.txt": _long_number,
    "压缩炸弹.docx": bomb_docx,
    "外部实体.docx": xxe_docx,
    "合并单元格.docx": grid_span_docx,
    "远端单元格.xlsx": far_cell_xlsx,
    "自引用.pdf": self_drawing_pdf,
    "扇出.pdf": fan_out_pdf,
    "百万操作.pdf": many_operations_pdf,
    "两千页.pdf": thousands_of_pages_pdf,
    "巨图.png": huge_png,
}


def build(folder: Path) -> list[Path]:
    """Write every hostile file (and filesystem oddity where the platform has it) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in FILES.items():
        path = folder / name
        path.write_bytes(make())
        paths.append(path)
    oddities: list[tuple[str, Callable[[Path], None]]] = [
        ("管道.txt", lambda p: os.mkfifo(p)),
        ("设备.pdf", lambda p: p.symlink_to("/dev/zero")),
        ("循环.txt", lambda p: p.symlink_to(p)),
        ("文件夹.pdf", lambda p: p.mkdir()),
    ]
    for name, make_odd in oddities:
        path = folder / name
        try:
            make_odd(path)
        except (OSError, AttributeError):  # the platform has no such thing
            continue
        paths.append(path)
    odd_name = Path(os.fsdecode(os.fsencode(folder) + b"/\xff\xfe\xb1\xa8\xb8\xe6.txt"))
    odd_name.write_bytes(SEEDS[0].read_bytes())
    return [*paths, odd_name]
