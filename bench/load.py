"""A cheap HTTP load generator: pre-built requests over raw sockets, one thread.

The client shares the machine's cores with the server, so every microsecond it
spends per request is taken from the server. gunicorn's sync workers close the
connection after each response (no keep-alive), so a request here is: connect,
send bytes built once, read to the end, check the status line. No HTTP library,
no header parsing, and no threads: one event loop (``selectors``, epoll) keeps
``concurrency`` requests in flight (a closed loop, like that many clients that each
send the next request as soon as the previous one is answered), so no client waits
for Python's GIL before its response is timed. Its own CPU per request is reported.
"""

from __future__ import annotations

import selectors
import socket
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One endpoint to load: a name and the raw requests to cycle through."""

    name: str
    requests: tuple[tuple[str, bytes], ...]  # (label, raw HTTP request)


def post(host: str, port: int, path: str, body: bytes) -> bytes:
    """A raw HTTP/1.1 POST of a JSON body (``Connection: close``, as gunicorn sync)."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def send(address: tuple[str, int], raw: bytes, timeout: float = 30) -> tuple[int, bytes]:
    """(status, whole response) of one request; status 0 on a connection error."""
    try:
        with socket.create_connection(address, timeout=timeout) as sock:
            sock.sendall(raw)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    except OSError:
        return 0, b""
    response = b"".join(chunks)
    try:
        return int(response[9:12]), response
    except ValueError:
        return 0, response


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def fire(
    address: tuple[str, int], target: Target, total: int, concurrency: int, max_seconds: float
) -> dict:
    """``total`` requests, ``concurrency`` at a time (stops early after ``max_seconds``).

    Returns per-request (label, latency s, status), wall time and this process's CPU
    time while firing (the load generator's own cost).
    """
    requests = target.requests
    results: list[tuple[str, float, int]] = []
    selector = selectors.DefaultSelector()
    issued = 0
    deadline = time.perf_counter() + max_seconds

    def start() -> None:
        nonlocal issued
        label, raw = requests[issued % len(requests)]
        issued += 1
        sock = socket.socket()
        sock.setblocking(False)
        began = time.perf_counter()
        sock.connect_ex(address)  # EINPROGRESS: writable once connected
        state = {"label": label, "began": began, "out": memoryview(raw), "in": []}
        selector.register(sock, selectors.EVENT_WRITE, state)

    def finish(sock: socket.socket, state: dict, status: int) -> None:
        selector.unregister(sock)
        sock.close()
        results.append((state["label"], time.perf_counter() - state["began"], status))
        if issued < total and time.perf_counter() < deadline:
            start()

    began, cpu = time.perf_counter(), time.process_time()
    for _ in range(min(concurrency, total)):
        start()
    while selector.get_map():
        for key, events in selector.select(timeout=30) or []:
            sock, state = key.fileobj, key.data
            try:
                if events & selectors.EVENT_WRITE:
                    sent = sock.send(state["out"])
                    state["out"] = state["out"][sent:]
                    if not state["out"]:
                        selector.modify(sock, selectors.EVENT_READ, state)
                    continue
                chunk = sock.recv(65536)
            except OSError:
                finish(sock, state, 0)
                continue
            if chunk:
                state["in"].append(chunk)
                continue
            head = b"".join(state["in"])[:12]
            finish(sock, state, int(head[9:12]) if head[9:12].isdigit() else 0)
    selector.close()
    return {
        "results": results,
        "wall_s": time.perf_counter() - began,
        "cpu_s": time.process_time() - cpu,
    }


def summarise(name: str, concurrency: int, runs: list[dict]) -> dict:
    """Several runs of one target at one level, as one row of figures."""
    results = [r for run in runs for r in run["results"]]
    wall = sum(run["wall_s"] for run in runs)
    cpu = sum(run["cpu_s"] for run in runs)
    ms = [r[1] * 1000 for r in results]
    labels = sorted({r[0] for r in results})
    by_label = {n: [r[1] * 1000 for r in results if r[0] == n] for n in labels}
    return {
        "target": name, "concurrency": concurrency, "requests": len(results),
        "seconds": round(wall, 3), "errors": sum(r[2] != 200 for r in results),
        "rps": round(len(results) / wall, 1), "p50_ms": round(percentile(ms, 50), 2),
        "p99_ms": round(percentile(ms, 99), 2), "max_ms": round(max(ms), 2),
        "client_cpu_ms_per_request": round(cpu * 1000 / len(ms), 3),
        "p50_ms_by_situation": {n: round(percentile(v, 50), 2) for n, v in by_label.items()},
    }  # fmt: skip
