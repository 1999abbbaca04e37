"""Start ``luanchuyen serve`` as a real process on a free loopback port (for HTTP and browser tests)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

_EXE = Path(sys.executable).with_name("luanchuyen")
_START_TIMEOUT = 60.0  # seconds: importing the library and binding the port


@dataclass
class Served:
    """A running service: its base URL and what it has written to stderr so far."""

    url: str
    stderr: list[str] = field(default_factory=list)

    def log(self) -> str:
        return "".join(self.stderr)


@contextmanager
def running_server(
    args: Sequence[str] = (), env: Mapping[str, str] | None = None
) -> Iterator[Served]:
    """Yield a fresh ``luanchuyen serve --port 0`` process (URL and stderr); stop it after."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LUANCHUYEN_API_KEYS")}
    environ.update(env or {})
    proc = subprocess.Popen(
        [str(_EXE), "serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "warning", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    errors: list[str] = []

    def pump_err() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            errors.append(line)

    threading.Thread(target=pump, daemon=True).start()
    threading.Thread(target=pump_err, daemon=True).start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        url = None
        while url is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or proc.poll() is not None:
                raise RuntimeError(f"luanchuyen serve did not start: {''.join(errors)[-2000:]}")
            try:
                line = lines.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if line.startswith("luanchuyen serve: "):
                url = line.split()[2]
        for _ in range(100):  # the socket listens before uvicorn serves: wait for an answer
            try:
                httpx.get(url + "/static/page.css", timeout=2.0)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield Served(url, errors)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
            proc.kill()
            proc.wait(timeout=15)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
