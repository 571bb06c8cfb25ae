"""How fast `factcheck serve` answers: one editor, then a newsroom at once.

    .venv/bin/python benchmarks/bench_serve.py [--requests 200] [--clients 50] [--per-client 10]

Starts the real server (`factcheck serve`, uvicorn) in a subprocess on a free loopback port,
builds a 1,000-word article from corpus paragraphs (real claims, real duplicates), warms the
server up, then:

1. sequential: ``--requests`` POST /v1/check, one at a time; median, p90, p99 latency (ms);
2. concurrent: ``--clients`` client threads, each with its own connection, ``--per-client``
   requests each; errors (non-200 or exceptions), requests/s, median and p99 latency;
3. the LanguageTool endpoint, sequential, median;
4. the server's resident memory after the run.

Target (issue 6): median ≤ 100 ms on a warm server for a 1,000-word article; 50 concurrent
clients, no errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def article(words: int = 1000) -> str:
    """Corpus paragraphs, in order, until ``words`` words: real copy with real claims."""
    paragraphs = []
    for path in sorted((ROOT / "corpora" / "articles").glob("*.txt")):
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    out, count = [], 0
    for p in paragraphs:
        n = len(p.split())
        if count + n > words * 1.05:
            continue  # keep it near ``words``
        out.append(p.strip())
        count += n
        if count >= words * 0.95:
            break
    return "\n\n".join(out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(conn: http.client.HTTPConnection, path: str, body: bytes, ctype: str) -> tuple[int, float]:
    t0 = time.perf_counter()
    conn.request("POST", path, body=body, headers={"Content-Type": ctype})
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - t0) * 1000


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--per-client", type=int, default=10)
    args = ap.parse_args()

    text = article()
    body = json.dumps({"text": text, "date": "2025-07-20"}).encode()
    port = free_port()
    exe = Path(sys.executable).with_name("factcheck")
    server = subprocess.Popen([str(exe), "serve", "--port", str(port), "--isolated",
                               "--timeout", "60"], stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("server did not start: "
                                     + server.stderr.read().decode()[-500:]) from None
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, _ = post(conn, "/v1/check", body, "application/json")
        conn.request("POST", "/v1/check", body=body, headers={"Content-Type": "application/json"})
        report = json.loads(conn.getresponse().read())
        print(f"article: {len(text.split())} words, {len(text)} characters, "
              f"{report['summary']['claims']} claims, {report['summary']['duplicates']} "
              f"duplicate groups; server pid {server.pid}, {os.cpu_count()} cores")
        for _ in range(20):  # warm up
            post(conn, "/v1/check", body, "application/json")

        times = [post(conn, "/v1/check", body, "application/json")[1] for _ in range(args.requests)]
        print(f"sequential /v1/check x{args.requests}: median {statistics.median(times):.1f} ms, "
              f"p90 {pct(times, 0.9):.1f} ms, p99 {pct(times, 0.99):.1f} ms, "
              f"min {min(times):.1f} ms")

        lt_body = urllib.parse.urlencode({"text": text, "language": "en-US",
                                          "date": "2025-07-20"}).encode()
        lt = [post(conn, "/v2/check", lt_body, "application/x-www-form-urlencoded")[1]
              for _ in range(50)]
        print(f"sequential /v2/check (LanguageTool) x50: median {statistics.median(lt):.1f} ms")

        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        start = threading.Barrier(args.clients)

        def client() -> None:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            start.wait()
            for _ in range(args.per_client):
                try:
                    status, ms = post(c, "/v1/check", body, "application/json")
                    with lock:
                        latencies.append(ms)
                        if status != 200:
                            errors.append(str(status))
                except Exception as exc:  # noqa: BLE001 - every failure is counted
                    with lock:
                        errors.append(repr(exc))
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        total = args.clients * args.per_client
        print(f"concurrent: {args.clients} clients x {args.per_client} = {total} requests in "
              f"{wall:.1f} s ({total / wall:.1f} requests/s); errors {len(errors)}"
              + (f" ({', '.join(sorted(set(errors))[:5])})" if errors else "")
              + f"; latency median {statistics.median(latencies):.0f} ms, "
              f"p99 {pct(latencies, 0.99):.0f} ms")
        print(f"server RSS after the run: {rss_mb(server.pid):.0f} MB")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
