"""Benchmark `moderate rescore` against `moderate score -i/-o` on generated comments.

    python -m training.bench_rescore [--n 200000] [--workers 2] [--out bench-results/rescore.json]

Generates N realistic comments (sentences of the seed thread plus simple templates, varied
lengths, about a third of them replies with `parent_id`), then runs, each as its own
process and in one go:

1. `moderate score -i comments.jsonl -o scored.jsonl`  (the baseline)
2. `moderate rescore comments.jsonl local.jsonl --engine local`   (target >= 0.8x score)
3. `moderate rescore comments.jsonl dask.jsonl --engine dask --workers W` (target >= 1.5x local)
4. W `moderate score` processes side by side, each on 1/W of the comments: no engine at
   all, just the most a W-way split of this work gets out of this machine. Its speed-up
   over (1) is the ceiling for Dask over local here; the table shows both.

Throughput is comments per second of wall time, model loading and cluster start included.
Peak RSS is sampled every 50 ms over the process tree (driver, and Dask workers with their
nanny processes). The local and Dask outputs are also checked to be byte-identical.
Prints a table and writes the figures as JSON.

On a shared machine other processes skew the ratios (Dask with 2 workers on 2 cores loses
most when a third process takes a core). So each run first waits (up to `--wait-idle`
seconds) until the machine is idle, and the table reports `other CPU`: the share of all
cores used by processes outside the measured command while it ran.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import random
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.seed_thread import seed_thread_path

ROOT = Path(__file__).resolve().parent.parent
SEED_THREAD = seed_thread_path()  # shared fixture, else the tests' copy

_TEMPLATES = (
    "I agree with {name}, this is the right call.",
    "Does anyone have a source for the claim about {place}?",
    "The ceasefire around {place} will not hold, it never does.",
    "Thanks for the update, very informative article.",
    "{name} is an idiot and everyone knows it.",
    "What a moron, read the article before commenting.",
    "This is complete bullshit and you know it.",
    "Shut up, nobody asked for your opinion.",
    "The immigrants in {place} are struggling this winter.",
    "They should all be sent back where they came from.",
    "People in {place} deserve peace and safety.",
    "lol",
    "",
    "Source? I have seen no evidence of that.",
    "Erdocunt strikes again.",
)
_NAMES = ("Erdogan", "Putin", "Akar", "Assad", "the minister", "the reporter")
_PLACES = ("Idlib", "Afrin", "Aleppo", "Libya", "Ras Al Ayn", "Tel Abyad", "the border town")
_AUTHORS = ("King Cliff", "Willing Conscience", "anon123", "ReaderX", "Mo", None)


def _seed_sentences() -> list[str]:
    """Sentences of the seed thread's comments and article (a realistic vocabulary)."""
    thread = json.loads(SEED_THREAD.read_text())
    texts = [c["text"] for c in thread["comments"]] + [thread["article"]["body"]]
    sentences = [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+|\n+", t)]
    return [s for s in sentences if len(s) > 3]


def generate_comments(n: int, seed: int = 13, reply_rate: float = 0.35,
                      thread_size: int = 40) -> Iterator[dict[str, Any]]:
    """N comment records: `id`, `thread_id`, optional `parent_id`/`author`, `created_at`, `text`.

    Deterministic in `(n, seed, reply_rate, thread_size)`. Lengths vary from empty to a few
    hundred characters (one to ten pieces); a reply's parent is an earlier comment of its
    thread.
    """
    rng = random.Random(seed)
    sentences = _seed_sentences()
    start = 1_579_000_000
    for i in range(n):
        thread = i // thread_size
        first_in_thread = thread * thread_size
        pieces = rng.choice((1, 1, 1, 2, 2, 3, 4, 10))
        parts = []
        for _ in range(pieces):
            if rng.random() < 0.5:
                parts.append(rng.choice(sentences))
            else:
                parts.append(rng.choice(_TEMPLATES).format(name=rng.choice(_NAMES),
                                                           place=rng.choice(_PLACES)))
        rec: dict[str, Any] = {"id": f"c{i}", "thread_id": f"t{thread}"}
        if i > first_in_thread and rng.random() < reply_rate:
            rec["parent_id"] = f"c{rng.randrange(first_in_thread, i)}"
        author = rng.choice(_AUTHORS)
        if author is not None:
            rec["author"] = author
        rec["created_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + 37 * i))
        rec["text"] = " ".join(p for p in parts if p)
        yield rec


def write_comments(path: Path, n: int, seed: int = 13) -> Path:
    """Write :func:`generate_comments` as JSON Lines."""
    with open(path, "w", encoding="utf-8") as fh:
        for rec in generate_comments(n, seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def split_lines(path: Path, parts: int) -> list[Path]:
    """Cut a JSON Lines file into `parts` files of (nearly) equal line counts."""
    lines = path.read_bytes().splitlines(keepends=True)
    size = -(-len(lines) // parts)
    out = []
    for i in range(parts):
        part = path.with_name(f"{path.stem}.part{i}{path.suffix}")
        part.write_bytes(b"".join(lines[i * size : (i + 1) * size]))
        out.append(part)
    return out


def side_by_side(commands: list[list[str]]) -> list[str]:
    """One shell command running `commands` at once; it fails if any of them fails."""
    starts = " ".join(f"{shlex.join(cmd)} & p{i}=$!;" for i, cmd in enumerate(commands))
    waits = " ".join(f"wait $p{i} || s=1;" for i in range(len(commands)))
    return ["sh", "-c", f"s=0; {starts} {waits} exit $s"]


def _tree_rss(proc: Any) -> int:
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _busy_cpu_seconds() -> float:
    """CPU seconds all cores have spent busy since boot."""
    import psutil

    t = psutil.cpu_times()
    return t.user + t.system + getattr(t, "nice", 0.0) + getattr(t, "irq", 0.0) + \
        getattr(t, "softirq", 0.0)


def _children_cpu_seconds() -> float:
    """CPU seconds of every finished child process (and their waited-for descendants)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def wait_idle(max_seconds: float, threshold: float = 0.15) -> float:
    """Wait until the machine's busy share over one second is below `threshold`.

    Returns the seconds waited (gives up after `max_seconds`).
    """
    import psutil

    t0 = time.perf_counter()
    while time.perf_counter() - t0 < max_seconds:
        if psutil.cpu_percent(interval=1.0) / 100 < threshold:
            break
    return time.perf_counter() - t0


def run_measured(cmd: list[str], cwd: Path) -> dict[str, Any]:
    """Run a command; wall seconds, peak RSS of the main process and of its whole tree.

    Also the CPU its process tree used and the share of all cores that *other* processes
    used meanwhile (busy CPU of the machine minus the tree's).
    """
    import psutil

    busy0, own0 = _busy_cpu_seconds(), _children_cpu_seconds()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    peaks = {"main": 0, "tree": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                peaks["main"] = max(peaks["main"], ps.memory_info().rss)
            except psutil.Error:
                pass
            peaks["tree"] = max(peaks["tree"], _tree_rss(ps))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - t0
    stop.set()
    sampler.join()
    own = _children_cpu_seconds() - own0
    other = max(0.0, _busy_cpu_seconds() - busy0 - own)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peaks["main"] / 2**20, 1),
            "peak_tree_rss_mb": round(peaks["tree"] / 2**20, 1),
            "cpu_seconds": round(own, 1),
            "other_cpu_share": round(other / (seconds * (os.cpu_count() or 1)), 3),
            "stderr_tail": err.decode(errors="replace").strip().splitlines()[-1:]}


def _clear_outputs(workdir: Path, name: str) -> None:
    """Remove a previous round's OUTPUT and its work files (a finished rescore is a no-op)."""
    for path in workdir.glob(f"{name}*"):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def bench(n: int, workers: int, workdir: Path, chunk_size: int,
          idle_wait: float = 0.0, rounds: int = 1) -> dict[str, Any]:
    """Generate the data, run the four commands `rounds` times in turn, return the figures.

    Each round runs score, local, Dask and the split score one after the other (every other
    round in reverse order); a round's ratios compare runs minutes apart, so on a machine
    whose speed drifts the reported ratios are the medians of the per-round ratios (and
    each run's figures those of its median run).
    """
    moderate = str(Path(sys.executable).with_name("moderate"))
    data = write_comments(workdir / "comments.jsonl", n)
    parts = split_lines(data, workers)
    outputs = {"score": "scored.jsonl", "rescore_local": "local.jsonl",
               "rescore_dask": "dask.jsonl", "score_split": "split"}
    commands = {
        "score": [moderate, "score", "-i", str(data), "-o", outputs["score"]],
        "rescore_local": [moderate, "rescore", str(data), outputs["rescore_local"],
                          "--engine", "local", "--quiet", "--chunk-size", str(chunk_size)],
        "rescore_dask": [moderate, "rescore", str(data), outputs["rescore_dask"],
                         "--engine", "dask", "--workers", str(workers), "--quiet",
                         "--chunk-size", str(chunk_size)],
        "score_split": side_by_side([
            [moderate, "score", "-i", str(part), "-o", f"split.{i}.jsonl"]
            for i, part in enumerate(parts)
        ]),
    }
    all_runs: dict[str, list[dict[str, Any]]] = {name: [] for name in commands}
    per_round: list[dict[str, float]] = []
    identical = split_same = True
    for round_no in range(max(1, rounds)):
        # every other round runs the commands in reverse order, so a machine that speeds up
        # or slows down over the minutes does not favour the same command every round
        order = list(commands.items())
        for name, cmd in order if round_no % 2 == 0 else order[::-1]:
            _clear_outputs(workdir, outputs[name])
            waited = wait_idle(idle_wait) if idle_wait > 0 else 0.0
            run = run_measured(cmd, workdir)
            run["waited_for_idle_s"] = round(waited, 1)
            run["comments_per_second"] = round(n / run["seconds"], 1)
            all_runs[name].append(run)
        rate = {name: runs[-1]["comments_per_second"] for name, runs in all_runs.items()}
        per_round.append({
            "local_vs_score": round(rate["rescore_local"] / rate["score"], 3),
            "dask_vs_local": round(rate["rescore_dask"] / rate["rescore_local"], 3),
            "split_vs_score": round(rate["score_split"] / rate["score"], 3),
        })
        identical = identical and filecmp.cmp(workdir / outputs["rescore_local"],
                                              workdir / outputs["rescore_dask"], shallow=False)
        # the split runs did the same work as `score`: their outputs, in order, are its output
        split_same = split_same and b"".join(
            (workdir / f"split.{i}.jsonl").read_bytes() for i in range(len(parts))
        ) == (workdir / outputs["score"]).read_bytes()
    runs = {}
    for name, measured in all_runs.items():
        median_run = sorted(measured, key=lambda r: r["seconds"])[len(measured) // 2]
        runs[name] = {**median_run, "all_seconds": [r["seconds"] for r in measured]}
    return {
        "n": n,
        "workers": workers,
        "chunk_size": chunk_size,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "input_mb": round(data.stat().st_size / 2**20, 1),
        "rounds": len(per_round),
        "runs": runs,
        "ratios": {key: statistics.median(r[key] for r in per_round)
                   for key in ("local_vs_score", "dask_vs_local", "split_vs_score")},
        "ratios_per_round": per_round,
        "targets": {"local_vs_score": 0.8, "dask_vs_local": 1.5},
        "dask_output_identical": identical,
        "split_output_identical": split_same,
    }


def format_table(result: dict[str, Any]) -> str:
    """The figures as a small text table."""
    lines = [f"{result['n']} comments ({result['input_mb']} MB), {result['cpus']} CPUs, "
             f"chunk {result['chunk_size']}",
             f"{'run':<16}{'seconds':>9}{'comments/s':>12}{'peak RSS MB':>13}{'tree RSS MB':>13}"
             f"{'CPU s':>8}{'other CPU':>11}"]
    for name, run in result["runs"].items():
        lines.append(f"{name:<16}{run['seconds']:>9.1f}{run['comments_per_second']:>12,.0f}"
                     f"{run['peak_rss_mb']:>13.0f}{run['peak_tree_rss_mb']:>13.0f}"
                     f"{run.get('cpu_seconds', 0):>8.1f}{run.get('other_cpu_share', 0):>11.0%}")
    for i, ratios in enumerate(result.get("ratios_per_round", []), 1):
        lines.append(f"round {i}: local/score = {ratios['local_vs_score']:.2f}, "
                     f"dask/local = {ratios['dask_vs_local']:.2f}, "
                     f"split/score = {ratios['split_vs_score']:.2f}")
    r, t = result["ratios"], result["targets"]
    lines.append(f"local/score = {r['local_vs_score']:.2f} (target >= {t['local_vs_score']}), "
                 f"dask/local = {r['dask_vs_local']:.2f} (target >= {t['dask_vs_local']}), "
                 f"dask output identical: {result['dask_output_identical']}")
    lines.append(f"split/score = {r['split_vs_score']:.2f}: {result['workers']} score processes "
                 "side by side, each on a share of the comments (the ceiling for dask/local); "
                 f"outputs identical to score's: {result['split_output_identical']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200_000, help="Comments to generate.")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes.")
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "rescore.json",
                        help="Where to write the figures as JSON.")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="Keep generated data and outputs here (default: a temp dir).")
    parser.add_argument("--rounds", type=int, default=1,
                        help="Run the commands this many times in turn; report medians.")
    parser.add_argument("--wait-idle", type=float, default=300.0, metavar="SECONDS",
                        help="Before each run, wait up to this long for an idle machine "
                        "(0: do not wait).")
    args = parser.parse_args(argv)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        result = bench(args.n, args.workers, args.workdir, args.chunk_size, args.wait_idle,
                       args.rounds)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-rescore-") as tmp:
            result = bench(args.n, args.workers, Path(tmp), args.chunk_size, args.wait_idle,
                           args.rounds)
    print(format_table(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
