"""Load benchmark of the HTTP service over loopback (a bounded loop, not a test).

    python -m training.bench_http [--seconds 20] [--json bench-results/http.json]

Starts `moderate serve` on a free port of 127.0.0.1 (one worker), records the time until
`/readyz` answers 200, then sends sequential requests with one keep-alive httpx client:
half of the time single-comment requests to `/v1/score`, half 100-comment requests.
Prints p50/p99 latencies, throughput and the server's resident memory (RSS, psutil).

Targets (one worker): single-comment p99 <= 10 ms (issue 13), 100-comment p50 <= 50 ms,
ready within 3 s, RSS <= 500 MB. `measure_http` is reusable against any running server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
SEED_THREAD = ROOT.parent / "shared" / "fixtures" / "seed_thread.json"
MAX_SECONDS = 30.0
WARMUP_SECONDS = 2.0
BATCH = 100

TARGETS = {"single_p99_ms": 10.0, "batch_p50_ms": 50.0, "ready_s": 3.0, "rss_mb": 500.0}

#: Used when the seed thread is not around: ordinary, rude and hateful comments.
SAMPLE_COMMENTS = (
    "Thanks for the article, the map of the region was really helpful.",
    "I disagree with the minister, but the ceasefire deserves a chance.",
    "you are a complete moron and should stop posting",
    "What a load of crap, the author clearly did no research at all.",
    "They should all be sent back where they came from.",
    "Great point about the humanitarian routes, I had not thought of that.",
    "Shut up idiot, nobody asked for your opinion.",
    "The council meeting is on Tuesday at 7pm in the town hall.",
)


def default_comments() -> list[str]:
    """The seed thread's comments plus a few samples (the seed thread when available)."""
    comments = list(SAMPLE_COMMENTS)
    if SEED_THREAD.exists():
        seed = json.loads(SEED_THREAD.read_text())
        comments = [c["text"] for c in seed["comments"]] + comments
    return comments


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def moderate_command() -> list[str]:
    """The `moderate` console script of this environment (or `python -m app.cli`)."""
    script = Path(sys.executable).parent / "moderate"
    if script.exists():
        return [str(script)]
    found = shutil.which("moderate")
    return [found] if found else [sys.executable, "-m", "app.cli"]


@dataclass
class Server:
    """A running `moderate serve` subprocess."""

    base_url: str
    process: subprocess.Popen
    ready_seconds: float

    def rss_mb(self) -> float:
        """Resident memory of the server and its children, in MB."""
        proc = psutil.Process(self.process.pid)
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total / 1e6


@contextmanager
def running_server(
    port: int | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
    extra_args: Sequence[str] = (),
) -> Iterator[Server]:
    """Start `moderate serve --host 127.0.0.1 --port <port>` and wait for `/readyz`.

    The feedback store goes to a temporary SQLite file unless `env` names one. The server
    is stopped (SIGTERM, then SIGKILL) on exit.
    """
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="moderate-bench-") as tmp:
        full_env = {
            **os.environ,
            "MODERATE_FEEDBACK_URL": f"sqlite:///{Path(tmp) / 'feedback.db'}",
            **(env or {}),
        }
        command = [
            *moderate_command(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *extra_args,
        ]
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log:
            started = time.perf_counter()
            process = subprocess.Popen(
                command, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                base_url = f"http://127.0.0.1:{port}"
                ready = _wait_ready(base_url, process, started, timeout, log_path)
                yield Server(base_url, process, ready)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _wait_ready(
    base_url: str, process: subprocess.Popen, started: float, timeout: float, log_path: Path
) -> float:
    with httpx.Client(timeout=1.0) as client:
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(
                    f"server exited with {process.returncode}:\n"
                    f"{log_path.read_text(errors='replace')[-3000:]}"
                )
            try:
                if client.get(f"{base_url}/readyz").status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.02)
    raise TimeoutError(f"server not ready after {timeout:.0f}s")


def _percentiles(samples: Sequence[float]) -> tuple[float, float]:
    if not samples:
        return float("nan"), float("nan")
    values = np.asarray(samples) * 1000
    return float(np.percentile(values, 50)), float(np.percentile(values, 99))


def _server_ms(answer: httpx.Response) -> float | None:
    """The app's own time from the `Server-Timing: app;dur=<ms>` header (None if absent)."""
    for part in answer.headers.get("server-timing", "").split(","):
        name, _, params = part.strip().partition(";")
        if name == "app" and params.startswith("dur="):
            return float(params[4:])
    return None


def _loop(
    client: httpx.Client, url: str, bodies: Sequence[dict], seconds: float
) -> tuple[list[float], list[float]]:
    """Client-side latencies (s) and the server's own times (s) of sequential requests."""
    latencies: list[float] = []
    server: list[float] = []
    deadline = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < deadline:
        body = bodies[i % len(bodies)]
        started = time.perf_counter()
        answer = client.post(url, json=body)
        latencies.append(time.perf_counter() - started)
        if answer.status_code != 200:
            raise RuntimeError(f"{url} answered {answer.status_code}: {answer.text[:300]}")
        spent = _server_ms(answer)
        if spent is not None:
            server.append(spent / 1000)
        i += 1
    return latencies, server


def measure_http(
    base_url: str,
    seconds: float,
    comments: list[str],
    api_key: str | None = None,
    batch_size: int = BATCH,
) -> dict[str, Any]:
    """Latency of `POST /v1/score` over HTTP: half the time single comments, half batches.

    Requests are sequential on one keep-alive connection; a warm-up of `WARMUP_SECONDS`
    (both kinds of request) is not counted. Returns milliseconds (`single_p50_ms`,
    `single_p99_ms`, `batch_p50_ms`, `batch_p99_ms`, and the same as the server itself
    measured them, `single_server_p50_ms`...: its `Server-Timing` header, which leaves out
    the network and this client), request counts and comments per second of the batch phase.
    """
    if not comments:
        raise ValueError("measure_http needs at least one comment")
    seconds = min(float(seconds), MAX_SECONDS)
    url = f"{base_url.rstrip('/')}/v1/score"
    singles = [{"comments": [{"id": i, "text": t}]} for i, t in enumerate(comments)]
    batches = [
        {
            "comments": [
                {"id": j, "text": comments[(start + j) % len(comments)]} for j in range(batch_size)
            ]
        }
        for start in range(len(comments))
    ]
    headers = {"X-API-Key": api_key} if api_key else {}
    with httpx.Client(timeout=30.0, headers=headers) as client:
        # warm-up: a fresh server runs its first few hundred requests measurably slower
        # (caches, allocator arenas); a service in use is warm
        _loop(client, url, singles, WARMUP_SECONDS / 2)
        _loop(client, url, batches, WARMUP_SECONDS / 2)
        single, single_server = _loop(client, url, singles, seconds / 2)
        batch, batch_server = _loop(client, url, batches, seconds / 2)
    s50, s99 = _percentiles(single)
    b50, b99 = _percentiles(batch)
    ss50, ss99 = _percentiles(single_server)
    bs50, bs99 = _percentiles(batch_server)
    return {
        "warmup_seconds": WARMUP_SECONDS,
        "single_server_p50_ms": round(ss50, 2),
        "single_server_p99_ms": round(ss99, 2),
        "batch_server_p50_ms": round(bs50, 2),
        "batch_server_p99_ms": round(bs99, 2),
        "single_requests": len(single),
        "single_p50_ms": round(s50, 2),
        "single_p99_ms": round(s99, 2),
        "batch_size": batch_size,
        "batch_requests": len(batch),
        "batch_p50_ms": round(b50, 2),
        "batch_p99_ms": round(b99, 2),
        "batch_comments_per_s": round(len(batch) * batch_size / max(sum(batch), 1e-9), 1),
    }


def format_table(result: dict[str, Any]) -> str:
    """The figures against their targets, as a plain-text table."""
    rows = [
        ("time to ready (s)", result.get("ready_s"), TARGETS["ready_s"]),
        ("single-comment p50 (ms)", result["single_p50_ms"], None),
        ("single-comment p99 (ms)", result["single_p99_ms"], TARGETS["single_p99_ms"]),
        ("  in the server: p50", result.get("single_server_p50_ms"), None),
        ("  in the server: p99", result.get("single_server_p99_ms"), None),
        (
            f"{result['batch_size']}-comment p50 (ms)",
            result["batch_p50_ms"],
            TARGETS["batch_p50_ms"],
        ),
        (f"{result['batch_size']}-comment p99 (ms)", result["batch_p99_ms"], None),
        ("  in the server: p50", result.get("batch_server_p50_ms"), None),
        ("comments/s in batches", result["batch_comments_per_s"], None),
        ("server RSS (MB)", result.get("rss_mb"), TARGETS["rss_mb"]),
    ]
    lines = [f"{'measure':<28}{'value':>10}{'target':>10}  ok", "-" * 52]
    for name, value, target in rows:
        if value is None:
            continue
        ok = "" if target is None else ("yes" if value <= target else "NO")
        target_text = "" if target is None else f"<= {target:g}"
        lines.append(f"{name:<28}{value:>10.2f}{target_text:>10}  {ok}")
    lines.append(
        f"requests: {result['single_requests']} single, {result['batch_requests']} "
        f"batches of {result['batch_size']}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds",
        type=float,
        default=20.0,
        help=f"measuring time, at most {MAX_SECONDS:.0f} (default 20)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--model", type=Path, help="model folder to serve")
    args = parser.parse_args(argv)
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    extra = ["--model", str(args.model)] if args.model else []
    env = {"MODERATE_WORKERS": "1", "MODERATE_LOG_LEVEL": "warning"}
    with running_server(env=env, extra_args=extra) as server:
        result = measure_http(
            server.base_url, seconds, default_comments(), api_key=os.environ.get("MODERATE_API_KEY")
        )
        result["ready_s"] = round(server.ready_seconds, 2)
        result["rss_mb"] = round(server.rss_mb(), 1)
        result["model_version"] = httpx.get(f"{server.base_url}/readyz").json()["model_version"]
    result["targets"] = TARGETS
    print(format_table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
