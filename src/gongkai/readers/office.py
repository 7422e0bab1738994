"""DOC / WPS / ODT / RTF → DOCX with LibreOffice headless, then read as DOCX.

Each conversion runs in its own temporary directory with its own LibreOffice profile: two
conversions sharing a profile block or fail each other, and a batch runs them in parallel. A time
limit ends a conversion that hangs (a damaged file can make LibreOffice spin); the whole process
group is killed, because `soffice` is a launcher that starts `soffice.bin`.

LibreOffice sniffs content, not the name, so the input is written under a neutral name with the
extension of the format detected. Kingsoft WPS files in Word 97 format convert; WPS-specific
formats may not, and then the error says so.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from gongkai.errors import UnreadableInput, UnsupportedFormat
from gongkai.readers.docx import check_zip, read_docx
from gongkai.readers.raw import RawDocument

TIMEOUT = 120.0  # seconds; a cold start alone takes 2–4 s. $GONGKAI_SOFFICE_TIMEOUT overrides.
DEBIAN_PACKAGE = "libreoffice-writer-nogui"
_SUFFIX = {b"{\\rtf": ".rtf", b"PK\x03\x04": ".odt", b"\xd0\xcf\x11\xe0": ".doc"}


def soffice() -> str | None:
    """The LibreOffice executable: $GONGKAI_SOFFICE, else `soffice` or `libreoffice` on PATH."""
    configured = os.environ.get("GONGKAI_SOFFICE")
    if configured is not None:
        return configured if shutil.which(configured) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _suffix(data: bytes) -> str:
    return next((s for magic, s in _SUFFIX.items() if data.startswith(magic)), ".doc")


def _timeout() -> float:
    try:
        return float(os.environ.get("GONGKAI_SOFFICE_TIMEOUT", TIMEOUT))
    except ValueError:
        return TIMEOUT


def _run(command: list[str], path: str) -> None:
    # A new session makes the launcher and its soffice.bin one process group to kill on timeout.
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    limit = _timeout()
    try:
        proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise UnreadableInput(path, f"LibreOffice 转换超过 {limit:g} 秒仍未完成，已终止") from exc


def convert_to_docx(data: bytes, path: str) -> bytes:
    """The DOCX LibreOffice makes of a word-processor file."""
    exe = soffice()
    if exe is None:
        raise UnsupportedFormat(
            path, f"读取 DOC/WPS/ODT/RTF 需要 LibreOffice，请安装 Debian 软件包 {DEBIAN_PACKAGE}"
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-office-") as tmp:
        work = Path(tmp)
        source = work / f"input{_suffix(data)}"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        command = [exe, "--headless", "--norestore", f"-env:UserInstallation={profile}"]
        _run([*command, "--convert-to", "docx", "--outdir", str(work / "out"), str(source)], path)
        result = work / "out" / "input.docx"
        if not result.is_file():
            raise UnreadableInput(
                path, "LibreOffice 无法转换该文件（可能已损坏，或是不支持的 WPS 格式）"
            )
        return result.read_bytes()


def convert_and_read(data: bytes, path: str, fmt: str) -> RawDocument:
    """Convert, read the DOCX, and label the document with its original format."""
    if data.startswith(b"PK\x03\x04"):  # ODT: refuse a zip bomb before LibreOffice inflates it
        check_zip(data, path, "ODT")
    doc = read_docx(convert_to_docx(data, path), path)
    doc.format = fmt
    return doc
