"""Reading a user's file safely: only regular files, at most MAX_INPUT_BYTES, and every operating
system error said in Chinese (an English strerror in a Chinese message is noise to a clerk)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import IO

from gongkai.errors import UnreadableInput

# The largest published report seen is a scanned PDF of a few tens of MB; ten times that still
# fits a worker's memory. A file beyond it is not a report (or is a disk image, a video …).
MAX_INPUT_BYTES = 300 * 2**20

_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ELOOP: "符号链接形成循环",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "读取时发生输入输出错误（磁盘或网络存储故障）",
    errno.ENXIO: "设备不可用",
    errno.ENODEV: "设备不可用",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.ENOMEM: "内存不足",
    errno.ETIMEDOUT: "读取超时",
}


def shown_path(path: str | Path) -> str:
    """A path as the user would type it: bytes that are not UTF-8 (a name from an old archive or
    disk) shown escaped, once (\\xff), never as surrogates that break printing and storing."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def os_reason(exc: OSError) -> str:
    """The reason of an operating-system error, in Chinese."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return f"系统错误（错误码 {exc.errno}）" if exc.errno else "系统错误"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, or None for a regular one."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "命名管道"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "设备文件"


def read_file(path: str | Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or UnreadableInput naming the file
    and the reason. The kind is checked before opening: opening a named pipe blocks forever."""
    name = shown_path(path)
    try:
        info = os.stat(path)
        kind = _kind(info.st_mode)
        if kind is not None:
            raise UnreadableInput(name, f"这是{kind}，不是普通文件，未读取")
        if info.st_size > limit:
            raise UnreadableInput(name, _too_large(info.st_size, limit))
        with open(path, "rb") as handle:
            return read_bounded(handle, name, limit)  # a size that lied (a growing file) too
    except OSError as exc:
        raise UnreadableInput(name, os_reason(exc)) from exc


def read_bounded(stream: IO[bytes], name: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """At most `limit` bytes of an open file or archive member (whatever size it declares: a
    bomb's may lie), or UnreadableInput naming `name`."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UnreadableInput(name, _too_large(len(data), limit))
    return data


def _too_large(size: int, limit: int) -> str:
    return f"文件过大（{size / 2**20:.0f} MB，上限 {limit // 2**20} MB），不像一份年度报告，未读取"
