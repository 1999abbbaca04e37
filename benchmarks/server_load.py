"""Load test of ``luanchuyen serve``: single evaluations over HTTP on loopback, bounded.

The service runs as a real process on a free 127.0.0.1 port; 1, 8 and 32 client threads each
hold one keep-alive connection and send ``POST /v1/evaluate`` with synthetic cadres (the
``synth`` population) until the level's request budget or its time budget is spent. Printed:
requests, errors, throughput, p50 / p99 / max latency. Target (issue 16): at 8 clients at
least 300 evaluations per second with p99 under 100 ms.

Run alone: ``python benchmarks/server_load.py [--requests N] [--seconds S] [--workers W]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

LEVELS = (1, 8, 32)
TARGET_CLIENTS, TARGET_RATE, TARGET_P99_MS = 8, 300.0, 100.0


@dataclass
class Level:
    clients: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextmanager
def _server(args: Sequence[str]) -> Iterator[tuple[str, int]]:
    exe = Path(sys.executable).with_name("luanchuyen")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUANCHUYEN_API_KEYS")}
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "warning", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # bounded: the process prints it or exits
        if not line.startswith("luanchuyen serve: "):
            raise RuntimeError("luanchuyen serve did not start")
        host_port = line.split()[2].removeprefix("http://")
        host, port = host_port.rsplit(":", 1)
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection(host, int(port), timeout=5)
                conn.request("GET", "/v1/health")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                time.sleep(0.05)
        yield host, int(port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _bodies(n: int) -> list[bytes]:
    pop = synth.population(n)
    day = synth.AS_OF.isoformat()
    return [json.dumps({"cadre": c, "move": m, "as_of": day}, default=str).encode() for c, m in pop]


def _run_level(
    host: str, port: int, clients: int, budget: int, seconds: float, bodies: list[bytes]
) -> Level:
    lock = threading.Lock()
    counter = iter(range(budget))
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    start_gate = threading.Barrier(clients + 1)

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine: list[float] = []
        bad = 0
        start_gate.wait()
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            body = bodies[i % len(bodies)]
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/v1/evaluate", body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
            mine.append((time.perf_counter() - t0) * 1000)
            bad += 0 if ok else 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return Level(clients, len(latencies), errors, elapsed, latencies)


def run(
    requests: int = 3_000, seconds: float = 20.0, workers: int = 1, backend: str = "reference"
) -> list[Level]:
    """Measure each level; print the table and the target line; return the figures."""
    bodies = _bodies(500)
    args = ["--backend", backend, "--workers", str(workers)]
    print(
        f"\nHTTP service (luanchuyen serve, {workers} worker process(es), backend {backend}; "
        f"loopback, keep-alive; ≤ {requests:,} requests or {seconds:g} s per level)"
    )
    results: list[Level] = []
    with _server(args) as (host, port):
        _run_level(host, port, 4, 200, 10.0, bodies)  # warm-up: rule sets, caches
        for clients in LEVELS:
            results.append(_run_level(host, port, clients, requests, seconds, bodies))
    print(f"  {'clients':>7} {'requests':>9} {'errors':>6} {'eval/s':>8} {'p50 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7}")  # fmt: skip
    for lv in results:
        print(
            f"  {lv.clients:>7} {lv.requests:>9,} {lv.errors:>6} {lv.rate:>8.0f} "
            f"{lv.pct(0.50):>7.1f} {lv.pct(0.99):>7.1f} {max(lv.latencies_ms or [0]):>7.1f}"
        )
    at = next(lv for lv in results if lv.clients == TARGET_CLIENTS)
    ok = at.errors == 0 and at.rate >= TARGET_RATE and at.pct(0.99) < TARGET_P99_MS
    print(
        f"  {'PASS' if ok else 'FAIL'}  ≥ {TARGET_RATE:.0f} evaluations/s with p99 < "
        f"{TARGET_P99_MS:.0f} ms at {TARGET_CLIENTS} clients: {at.rate:.0f}/s, "
        f"p99 {at.pct(0.99):.1f} ms, median {statistics.median(at.latencies_ms or [0]):.1f} ms"
    )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3_000, help="request budget per level")
    parser.add_argument("--seconds", type=float, default=20.0, help="time budget per level")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--backend", default="reference")
    args = parser.parse_args(argv)
    run(args.requests, args.seconds, args.workers, args.backend)
    return 0


if __name__ == "__main__":
    sys.exit(main())
