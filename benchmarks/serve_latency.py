"""`kgreason serve` speed: warm /ask latency and throughput against a real uvicorn server.

Starts `kgreason serve` (a separate process, on a free loopback port), asks every question of
tests/data/questions/commonsense.jsonl once to warm up, then
  * one client: REQUESTS sequential POST /ask → p50 / p99 of the wall time seen by the client
    and of the server's own `timings_ms.total`;
  * CLIENTS concurrent clients (threads, one keep-alive connection each) for REQUESTS requests
    in all → requests per second, p50 / p99 under load.
Every answer must be 200. The machine (cores, load average before and after) and the date are
recorded: the clients run on the same cores as the server.

    python benchmarks/serve_latency.py [--pipeline default] [--requests 400] [--clients 8]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(pipeline: str) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kgreason.cli", "serve", "--port", str(port),
                                "--pipeline", pipeline], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    while time.perf_counter() - t0 < 600:
        if process.poll() is not None:
            raise SystemExit(f"kgreason serve exited: {process.stderr.read()}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return process, url, time.perf_counter() - t0
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("kgreason serve did not start within 600 s")


def ask(client: httpx.Client, url: str, question: str) -> tuple[float, float]:
    t = time.perf_counter()
    response = client.post(f"{url}/ask", json={"question": question}, timeout=60)
    wall = (time.perf_counter() - t) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{question!r}: {response.status_code} {response.text[:300]}")
    return wall, response.json()["timings_ms"]["total"]


def summary(walls: list[float], server: list[float]) -> dict:
    return {"requests": len(walls), "p50_ms": round(statistics.median(walls), 2),
            "p99_ms": round(pct(walls, 0.99), 2), "max_ms": round(max(walls), 2),
            "server_p50_ms": round(statistics.median(server), 2),
            "server_p99_ms": round(pct(server, 0.99), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", default="default")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    questions = [json.loads(line)["question"] for line in
                 (ROOT / "tests/data/questions/commonsense.jsonl").read_text().splitlines() if line.strip()]
    load_before = os.getloadavg()
    process, url, startup = start(args.pipeline)
    try:
        with httpx.Client() as client:
            for q in questions:  # warm: every question once (label tables, caches)
                ask(client, url, q)
            walls, server = [], []
            for i in range(args.requests):
                wall, total = ask(client, url, questions[i % len(questions)])
                walls.append(wall)
                server.append(total)
        single = summary(walls, server)

        lock = threading.Lock()
        results: list[tuple[float, float]] = []
        counter = iter(range(args.requests))

        def client_loop() -> None:
            with httpx.Client() as client:
                while True:
                    with lock:
                        i = next(counter, None)
                    if i is None:
                        return
                    outcome = ask(client, url, questions[i % len(questions)])
                    with lock:
                        results.append(outcome)

        threads = [threading.Thread(target=client_loop) for _ in range(args.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - t0
        concurrent = {**summary([w for w, _ in results], [s for _, s in results]),
                      "clients": args.clients, "seconds": round(seconds, 2),
                      "requests_per_second": round(len(results) / seconds, 1)}
    finally:
        process.terminate()
        process.wait(30)
    print(json.dumps({
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pipeline": args.pipeline,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "startup_s": round(startup, 2),
        "one_client": single,
        "concurrent": concurrent,
    }, indent=2))


if __name__ == "__main__":
    main()
