"""Upload limits: how many files, how large, which kinds; and the body-size guard in front of it all.

The kind is judged by content (gongkai.readers.sniff: magic bytes, then markup), the name only has
to be one a report can have. A file whose name promises one kind and whose bytes are another is
refused here, before any parser sees it.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from fastapi import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gongkai.readers import sniff

MAX_FILE_BYTES = 20 * 1024**2
MAX_FILES = 20
MAX_BODY_BYTES = MAX_FILE_BYTES * MAX_FILES + 1024**2  # the files plus the form around them
# A batch (POST /check, /api/check/batches): up to 500 files, or .zip files holding them. Not
# 500 × 20 MB: a report is typically 50 KB–2 MB, so 500 MB holds 500 of them with room to spare
# while one request can fill at most that much of the spool disk.
MAX_BATCH_FILES = 500
MAX_BATCH_BYTES = 500 * 1024**2
BATCH_ROUTES = {"/check": MAX_BATCH_BYTES, "/api/check/batches": MAX_BATCH_BYTES}
MAX_NAME_CHARS = 120
# Suffix → the kinds sniff may find in such a file.
SUFFIX_KINDS: dict[str, frozenset[str]] = {
    ".txt": frozenset({"text", "html"}),
    ".md": frozenset({"text", "html"}),
    ".htm": frozenset({"html", "text"}),
    ".html": frozenset({"html", "text"}),
    ".shtml": frozenset({"html", "text"}),
    ".pdf": frozenset({"pdf"}),
    ".docx": frozenset({"zip"}),
    ".odt": frozenset({"zip"}),
    ".xlsx": frozenset({"zip"}),
    ".doc": frozenset({"ole", "rtf"}),
    ".wps": frozenset({"ole"}),
    ".rtf": frozenset({"rtf"}),
    ".png": frozenset({"image"}),
    ".jpg": frozenset({"image"}),
    ".jpeg": frozenset({"image"}),
}
ARCHIVE_SUFFIXES = frozenset({".zip"})  # a folder of reports, for ingest into the corpus only
ACCEPT = ",".join(sorted(SUFFIX_KINDS))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNSAFE = re.compile(r"[^\w.\-（）()\u3000-\u303f\u4e00-\u9fff]+")


@dataclass(frozen=True, slots=True)
class Accepted:
    name: str  # as the user named it (base name only)
    data: bytes


@dataclass(frozen=True, slots=True)
class Rejected:
    name: str
    reason: str


def _looks_binary(data: bytes) -> bool:
    """A NUL in the first 8 KB of a "text" file: an executable or an unknown format, not a report
    (UTF-16 text has NULs too, and announces itself with a byte-order mark)."""
    head = data[:8192]
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def printable(name: str) -> str:
    """A name without control characters (one in a name breaks XLSX downloads and logs)."""
    return _CONTROL.sub("_", name)


def judge(name: str, data: bytes, *, archives: bool = False) -> Accepted | Rejected:
    """Accept or refuse one file by size, name and content."""
    shown = PurePath(printable(name).replace("\\", "/")).name[:MAX_NAME_CHARS] or "未命名文件"
    suffix = PurePath(shown).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        return Rejected(shown, f"文件超过 {MAX_FILE_BYTES // 1024**2} MB 的上限")
    if not data:
        return Rejected(shown, "文件为空")
    if archives and suffix in ARCHIVE_SUFFIXES:
        ok = sniff(data, shown) == "zip"
        return Accepted(shown, data) if ok else Rejected(shown, "扩展名是 ZIP，但内容不是压缩包")
    kinds = SUFFIX_KINDS.get(suffix)
    if kinds is None:
        return Rejected(shown, f"不支持的文件类型（可上传：{'、'.join(sorted(SUFFIX_KINDS))}）")
    kind = sniff(data, shown)
    if kind not in kinds:
        return Rejected(shown, f"扩展名是 {suffix}，但文件内容不符（已损坏或被改名）")
    if kind == "text" and _looks_binary(data):
        return Rejected(shown, "文件内容不是文本")
    return Accepted(shown, data)


async def read_uploads(
    files: Sequence[UploadFile], *, archives: bool = False
) -> list[Accepted | Rejected]:
    """Judge every uploaded file; reads at most one byte past the limit of each."""
    if len(files) > MAX_FILES:
        return [Rejected("（全部）", f"一次最多上传 {MAX_FILES} 个文件")]
    out: list[Accepted | Rejected] = []
    for upload in files:
        data = await upload.read(MAX_FILE_BYTES + 1)
        out.append(judge(upload.filename or "", data, archives=archives))
    return out


def safe_name(name: str, index: int) -> str:
    """A file name that is safe on disk and keeps the suffix the readers look at."""
    path = PurePath(name)
    stem = _UNSAFE.sub("_", path.stem)[:60] or "file"
    return f"{index:03d}_{stem}{path.suffix.lower()}"


def upload_folder(db: str | Path) -> Path:
    """Where uploads into the corpus are kept: next to the database, so stored paths stay valid."""
    return Path(db).resolve().parent / "uploads"


@contextmanager
def saved(files: Sequence[Accepted]) -> Iterator[list[Path]]:
    """The accepted files written to a private temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="gongkai-upload-") as folder:
        paths = []
        for index, item in enumerate(files):
            path = Path(folder) / safe_name(item.name, index)
            path.write_bytes(item.data)
            paths.append(path)
        yield paths


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413, whether or not Content-Length is sent;
    the paths in `routes` (the batch uploads) have their own limit. In a multipart upload, one
    part (one file) over MAX_FILE_BYTES is refused too, as it streams: a 200 MB file is cut off
    at about 20 MB, not judged once all of it has arrived.

    A declared length over the limit is refused before reading; a body that grows past a limit
    while streaming is cut off and answered with 413 in place of whatever the app would have sent.
    """

    def __init__(
        self, app: ASGIApp, limit: int = MAX_BODY_BYTES, routes: dict[str, int] | None = None
    ) -> None:
        self.app, self.limit = app, limit
        self.routes = BATCH_ROUTES if routes is None else routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.routes.get(scope.get("path", ""), self.limit)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(send, _total_message(limit))
            return
        guard = _Guard(receive, limit, PartCounter.of(headers.get(b"content-type", b"")))
        await self.app(scope, guard.receive, guard.wrap(send))


# A part's own headers (name, file name, type) come on top of its content.
_PART_SLACK = 64 * 1024


class PartCounter:
    """The size of the multipart part being received, counted across body chunks: the bytes
    since the last boundary line. Holds back less than one boundary's length.

    A boundary counts only at the start of a line (RFC 2046), as the form parser reads it: the
    same bytes inside a file must not restart the count. The body's first boundary has no line
    break before it, so the count starts as if one had just been seen."""

    def __init__(self, boundary: bytes, limit: int = MAX_FILE_BYTES + _PART_SLACK) -> None:
        self.delimiter, self.limit = b"\r\n--" + boundary, limit
        self.current, self._tail = 0, b"\r\n"  # held back, not counted: see above

    @classmethod
    def of(cls, content_type: bytes) -> PartCounter | None:
        kind, _, params = content_type.partition(b";")
        if kind.strip().lower() != b"multipart/form-data":
            return None
        for param in params.split(b";"):
            key, _, value = param.strip().partition(b"=")
            if key.lower() == b"boundary" and 0 < len(value.strip(b'"')) <= 200:
                return cls(value.strip(b'"'))
        return None

    def feed(self, chunk: bytes) -> bool:
        """Count `chunk`; False once a part has grown past the limit. Exact: a part that ends in
        this chunk is measured to its boundary; the last bytes, which may begin a boundary, are
        held back (`_tail`, not yet counted) until the next chunk tells."""
        data, ok = self._tail + chunk, True
        counted, start = self.current, 0
        found = data.find(self.delimiter)
        while found >= 0:
            ok = ok and counted + found - start <= self.limit
            counted, start = 0, found + len(self.delimiter)
            found = data.find(self.delimiter, start)
        keep = max(start, len(data) - len(self.delimiter) + 1)
        self.current, self._tail = counted + keep - start, data[keep:]
        return ok and self.current <= self.limit


class _Guard:
    def __init__(self, receive: Receive, limit: int, parts: PartCounter | None) -> None:
        self._receive, self.limit, self.parts = receive, limit, parts
        self.seen, self.answered = 0, False
        self.exceeded: str | None = None  # why the body was cut off

    async def receive(self) -> Message:
        if self.exceeded:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            self.seen += len(chunk)
            if self.seen > self.limit:
                self.exceeded = _total_message(self.limit)
            elif self.parts is not None and not self.parts.feed(chunk):
                self.exceeded = f"单个文件超过 {MAX_FILE_BYTES // 1024**2} MB 的上限"
            if self.exceeded:
                return {"type": "http.request", "body": b"", "more_body": False}
        return message

    def wrap(self, send: Send) -> Send:
        async def guarded(message: Message) -> None:
            if not self.exceeded:
                await send(message)
            elif not self.answered:
                self.answered = True
                await _too_large(send, self.exceeded)

        return guarded


def _total_message(limit: int) -> str:
    return f"上传内容超过 {limit // 1024**2} MB 的上限"


async def _too_large(send: Send, message: str) -> None:
    body = message.encode()
    headers: list[Any] = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
