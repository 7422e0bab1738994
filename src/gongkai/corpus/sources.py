"""Input enumeration: files, folders (recursively) and the members of .zip archives."""

from __future__ import annotations

import hashlib
import os
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gongkai.readers.files import MAX_INPUT_BYTES, read_bounded, read_file, shown_path
from gongkai.readers.formats import FORMATS

# Inside folders and archives, every format `parse` reads is taken (readers/formats.py): a
# spreadsheet or a scan may be the report. Hidden files (Thumbs.db, .DS_Store) are not; a file
# named on the command line is always taken.
REPORT_SUFFIXES = frozenset(s for fmt in FORMATS for s in fmt.suffixes)
_ZIP_UTF8_FLAG = 0x800


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file, or a member of an archive (then `name` is archive.zip!member)."""

    name: str
    path: Path
    member: str | None = None

    def read(self, limit: int = MAX_INPUT_BYTES, archive: zipfile.ZipFile | None = None) -> bytes:
        """The input's bytes; UnreadableInput for a non-regular file, or one over `limit` bytes.
        `archive`: this member's archive, already open (opening it reads its whole directory
        again: for many members of a large archive, that is most of the work)."""
        if self.member is None:
            return read_file(self.path, limit)
        if archive is not None:
            with archive.open(self.member) as member:
                return read_bounded(member, self.name, limit)
        with zipfile.ZipFile(self.path) as opened, opened.open(self.member) as member:
            return read_bounded(member, self.name, limit)


@dataclass(frozen=True, slots=True)
class Loaded:
    source: Source
    data: bytes
    sha256: str
    read_ms: float


def iter_sources(paths: Iterable[str | Path]) -> Iterator[Source]:
    """Every input under `paths`, in a stable order; missing paths come out too (reading fails)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
            yield from _members(path)
        else:
            yield Source(shown_path(path), path)


def _walk(folder: Path) -> Iterator[Source]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            suffix = path.suffix.lower()
            if name.startswith("."):
                continue
            if suffix == ".zip" and zipfile.is_zipfile(path):
                yield from _members(path)
            elif suffix in REPORT_SUFFIXES:
                yield Source(shown_path(path), path)


def _members(archive: Path) -> Iterator[Source]:
    with zipfile.ZipFile(archive) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
    for info in sorted(infos, key=lambda i: i.filename):
        shown = _member_name(info)
        if Path(shown).suffix.lower() in REPORT_SUFFIXES and not Path(shown).name.startswith("."):
            yield Source(f"{shown_path(archive)}!{shown}", archive, info.filename)


def _member_name(info: zipfile.ZipInfo) -> str:
    """Archives made on Chinese Windows store GBK names without the UTF-8 flag; zipfile then
    decodes them as cp437, which turns every Chinese name into mojibake."""
    if info.flag_bits & _ZIP_UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def load(source: Source) -> Loaded:
    """Read and hash one input; raises OSError or zipfile errors for the caller to record."""
    start = time.perf_counter()
    data = source.read()
    read_ms = round((time.perf_counter() - start) * 1000, 3)
    return Loaded(source, data, hashlib.sha256(data).hexdigest(), read_ms)
