"""Reaching a Dask scheduler for `ingest --dask`, or failing within seconds with one line.

The Dask client alone is not enough for that: it retries a refused connection until its timeout
and then says only that it timed out, and once a TCP connection is made it waits for the
scheduler's handshake without any limit (a port that accepts and never answers holds it until the
peer goes away; a web server's reply is read as a frame length of exabytes).
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from gongkai.errors import GongkaiError
from gongkai.readers.files import os_reason


class SchedulerUnreachable(GongkaiError):
    reason = "无法连接 Dask 调度器"


# Seconds to reach a Dask scheduler, connection and handshake together: a cluster on the network
# answers within a second or two; an address nobody serves ends the run with one line within 10 s,
# the command's start-up included (issue 12).
DASK_CONNECT_SECONDS = 5.0


def connect(address: str, seconds: float = DASK_CONNECT_SECONDS) -> Any:
    """A `distributed.Client` connected to the scheduler at `address`, or SchedulerUnreachable
    saying why within about `seconds`."""
    deadline = time.monotonic() + seconds
    _probe(address, seconds)
    return _handshake(address, max(0.5, deadline - time.monotonic()), seconds)


def _probe(address: str, seconds: float) -> None:
    """Fail at once, saying why, when nothing listens at a tcp:// address."""
    scheme, sep, rest = address.rpartition("://")
    if sep and scheme != "tcp":
        return  # tls://, ucx://, inproc://: the handshake's limit bounds them
    host, _colon, port = rest.rpartition(":")
    if not host or not port.isdigit():
        return  # no port given: the client knows the default
    try:
        with socket.create_connection((host.strip("[]"), int(port)), seconds):
            return
    except socket.gaierror as exc:
        raise SchedulerUnreachable(address, f"无法解析主机名 {host}") from exc
    except ConnectionRefusedError as exc:
        raise SchedulerUnreachable(address, "连接被拒绝，该地址没有调度器在监听") from exc
    except TimeoutError as exc:
        raise SchedulerUnreachable(address, f"{seconds:g} 秒内未连上") from exc
    except OSError as exc:
        raise SchedulerUnreachable(address, os_reason(exc)) from exc


def _handshake(address: str, seconds: float, said: float) -> Any:
    """The client, made in a daemon thread the caller stops waiting for after `seconds`: an
    abandoned handshake then costs a thread that dies with the process, not the run. `said`: the
    limit the message names (the whole budget, of which `seconds` is what is left)."""
    from distributed import Client

    outcome: dict[str, Any] = {}

    def attempt() -> None:
        try:
            outcome["client"] = Client(address, timeout=seconds)  # type: ignore[no-untyped-call]
        except BaseException as exc:  # handed to the caller's thread, which says it
            outcome["error"] = exc

    thread = threading.Thread(target=attempt, name="dask-connect", daemon=True)
    thread.start()
    thread.join(seconds + 0.5)  # the client's own timeout first, when it keeps to it
    if "client" in outcome:
        return outcome["client"]
    error = outcome.get("error")
    if error is None or isinstance(error, OSError | TimeoutError):
        raise SchedulerUnreachable(address, f"{said:g} 秒内未连上或未应答") from error
    # Another service listens there: its reply is no Dask handshake.
    raise SchedulerUnreachable(
        address, "该地址的服务没有按 Dask 协议应答，可能不是调度器"
    ) from error
