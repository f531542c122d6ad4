"""`moderate bench`: throughput of the full scoring path beside spaCy's tokenizer and peers.

One run, one set of N realistic comments (sampled with a seed from ../shared/data, read at
bench time and never copied into the repo), and these measurements:

* `Moderator.score` in a fresh process, in chunks like `moderate score -i` (cold = first
  pass on a fresh `Moderator`, warm = second pass), and the peak resident memory of that
  process;
* the floor, spaCy's blank English tokenizer: cold (`spacy.blank("en").pipe(texts)` on a
  fresh `nlp`) and warm (the faster of `nlp.pipe` and `nlp.tokenizer.pipe`), and the ratio
  full/floor (target <= 3x);
* new traffic: `--unseen` (10,000) comments drawn after the N, each chunk once through
  the floor, the floor with our cache size and `score` (first sight of their strings for
  all three, after the warm passes), and the ratios;
* a stage breakdown of the warm pass: prepare (clean + allow-list mask), tokenizer
  (`nlp.make_doc`), each spaCy component, features, predict, and result building (the
  remainder: the warm `score` time minus the measured stages);
* model import and load time (median over fresh subprocesses) and model size on disk;
* the HTTP service (`moderate serve` on 127.0.0.1, bounded in time): single-comment and
  100-comment latency p50/p99;
* optional peers on the same comments (`pip install alt-profanity-check better-profanity`):
  comments/s and a rough agreement with our verdicts and with the datasets' labels.

Results go to a rich table, a JSON file and a PNG chart (matplotlib, optional). Timings use
`time.perf_counter`. The warm floor, warm score and stages are measured chunk by chunk in
alternation in one process, so background load hits them alike; still, compare ratios, not
absolute numbers, across hosts or runs.
"""

from __future__ import annotations

import collections
import cProfile
import gc
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from app.bench_report import (  # noqa: F401  (re-exported: the report's entry points)
    JUDGED_MIN_N,
    TARGET_RATIO,
    draw_chart,
    print_report,
    top_hotspots,
)
from app.seed_thread import seed_thread_path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SEED_THREAD = seed_thread_path()  # shared fixture, else the tests' copy
HTTP_MAX_SECONDS = 20.0

#: (name, path under the data folder, reader): each reader yields (text, gold) where gold is
#: 1 for "offensive or hateful" per that dataset's own labels, 0 otherwise.
_SOURCES = (
    ("hatexplain", "hatexplain/hatexplain.jsonl"),
    ("gab_hate_corpus", "gab_hate_corpus_kennedy2022/ghc.csv"),
    ("context_toxicity", "context_toxicity/cat_large.csv"),
    ("davidson2017", "davidson2017/davidson2017_labeled.csv"),
)


# -- comments ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Comments:
    """The benchmark's comments, with a rough gold label where the source has one.

    Attributes
    ----------
    texts : list[str]
        The comments, in benchmark order.
    gold : list[int | None]
        1 = offensive or hateful per the source dataset, 0 = not, None = unknown.
    sources : dict[str, int]
        How many comments each source contributed.
    origin : str
        `data` (sampled from the shared datasets) or `generated` (seed-thread fallback).
    """

    texts: list[str]
    gold: list[int | None]
    sources: dict[str, int]
    origin: str


def _read_source(name: str, path: Path) -> list[tuple[str, int]]:
    import pandas as pd

    if name == "hatexplain":
        frame = pd.read_json(path, lines=True)
        gold = frame["label"].isin(["hatespeech", "offensive"])
    else:
        frame = pd.read_csv(path, keep_default_na=False)
        if name == "gab_hate_corpus":
            gold = (frame[["hd", "cv", "vo"]].astype(int) > 0).any(axis=1)
        elif name == "context_toxicity":
            gold = frame["label"].astype(int) == 1
        else:
            gold = frame["label"] != "neither"
    texts = frame["text"].astype(str).tolist()
    return list(zip(texts, gold.astype(int).tolist(), strict=True))


def load_comments(data_dir: Path | None, n: int, seed: int = 13) -> Comments:
    """N comments sampled deterministically (by `seed`) from the shared datasets.

    The pool is every text of hatexplain, the Gab Hate Corpus, context_toxicity's
    `cat_large` and Davidson et al. 2017; N is drawn without replacement (the pool is cycled
    in a fresh shuffle when N is larger). Falls back to :func:`generate_comments` when the
    folder or all its files are missing.
    """
    data_dir = DEFAULT_DATA if data_dir is None else data_dir
    pool: list[tuple[str, int, str]] = []
    if data_dir.is_dir():
        for name, rel in _SOURCES:
            path = data_dir / rel
            if path.exists():
                pool.extend((t, g, name) for t, g in _read_source(name, path))
    if not pool:
        return generate_comments(n, seed)
    rng = random.Random(seed)
    picked: list[tuple[str, int, str]] = []
    while len(picked) < n:
        order = list(range(len(pool)))
        rng.shuffle(order)
        picked.extend(pool[i] for i in order[: n - len(picked)])
    return Comments(
        texts=[p[0] for p in picked],
        gold=[p[1] for p in picked],
        sources=dict(collections.Counter(p[2] for p in picked)),
        origin="data",
    )


def generate_comments(n: int, seed: int = 13) -> Comments:
    """N comments of one to six sentences of the seed thread (no gold labels)."""
    if SEED_THREAD.exists():
        thread = json.loads(SEED_THREAD.read_text())
        texts = [c["text"] for c in thread["comments"]] + [thread["article"].get("body", "")]
    else:
        texts = ["Thanks for the article.", "You are an idiot.", "They should all leave."]
    sentences = [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+|\n+", t)]
    sentences = [s for s in sentences if len(s) > 3] or ["Thanks for the article."]
    rng = random.Random(seed)
    out = [" ".join(rng.choices(sentences, k=rng.randint(1, 6))) for _ in range(n)]
    return Comments(out, [None] * n, {"seed_thread": n}, "generated")


# -- small helpers ----------------------------------------------------------------------------
def chunked(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def per_second(count: int, seconds: float) -> float:
    """Items per second (0 when nothing was timed)."""
    return count / seconds if seconds > 0 else 0.0


def dir_size_mb(path: Path) -> float:
    """Total size of the files under `path`, in MB (10^6 bytes)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (ru_maxrss is KiB on Linux), in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak * (1 if sys.platform == "darwin" else 1024) / 1e6


def agreement(a: Sequence[bool], b: Sequence[bool]) -> dict[str, float]:
    """Share of equal verdicts and Cohen's kappa of two binary raters."""
    n = min(len(a), len(b))
    if n == 0:
        return {"n": 0, "agreement": float("nan"), "kappa": float("nan")}
    same = sum(1 for x, y in zip(a[:n], b[:n], strict=True) if x == y) / n
    pa, pb = sum(a[:n]) / n, sum(b[:n]) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    kappa = (same - chance) / (1 - chance) if chance < 1 else float("nan")
    return {"n": n, "agreement": round(same, 4), "kappa": round(kappa, 4)}


def against_gold(pred: Sequence[bool], gold: Sequence[int | None]) -> dict[str, float]:
    """Precision, recall and F1 of binary verdicts against "offensive or hateful" labels."""
    pairs = [(p, g) for p, g in zip(pred, gold, strict=False) if g is not None]
    if not pairs:
        return {"n": 0}
    tp = sum(1 for p, g in pairs if p and g)
    fp = sum(1 for p, g in pairs if p and not g)
    fn = sum(1 for p, g in pairs if not p and g)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(pairs),
        "flagged": round(sum(p for p, _ in pairs) / len(pairs), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


# -- the scoring process ----------------------------------------------------------------------
def measure_stages(moderator: Any, texts: Sequence[str], chunk: int) -> dict[str, float]:
    """Seconds spent in each step of `Moderator.score`, re-run step by step over `texts`.

    Mirrors `score` without contexts: prepare, `nlp.make_doc`, each component in pipeline
    order over the whole chunk (its `pipe` when it has one, as `Moderator.docs` does),
    features, predict. Result
    building is not re-implemented here; the caller takes it as the remainder.
    """
    from app import moderator as moderator_module
    from app.features import doc_norms
    from app.pipeline.extensions import X_SIGNALS

    clean: Callable[[str], str] = getattr(moderator_module, "_clean", lambda t: t)
    nlp, classifier, policy = moderator.nlp, moderator.classifier, moderator.policy
    names = list(nlp.pipe_names)
    seconds = dict.fromkeys(["prepare", "tokenizer", *names, "features", "predict"], 0.0)
    clock = time.perf_counter
    for part in chunked(texts, chunk):
        t0 = clock()
        prepared = [policy.mask_allowed(clean(t)) for t in part]
        t1 = clock()
        docs = [nlp.make_doc(t) for t in prepared]
        seconds["prepare"] += t1 - t0
        seconds["tokenizer"] += clock() - t1
        for name in names:
            proc = nlp.get_pipe(name)
            started = clock()
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs))
            else:
                docs = [proc(doc) for doc in docs]
            seconds[name] += clock() - started
        started = clock()
        X = classifier.transform(
            [doc_norms(d) for d in docs], [d.user_data.get(X_SIGNALS) for d in docs]
        )
        t2 = clock()
        classifier.predict_proba(X)
        seconds["features"] += t2 - started
        seconds["predict"] += clock() - t2
    return seconds


def _timed_score(moderator: Any, texts: Sequence[str], chunk: int) -> tuple[float, list[Any]]:
    gc.collect()
    results: list[Any] = []
    started = time.perf_counter()
    for part in chunked(texts, chunk):
        results.extend(moderator.score(part))
    return time.perf_counter() - started, results


def score_worker(
    texts_path: str,
    model_dir: str,
    chunk: int,
    out_path: str,
    profile_path: str = "",
    import_s: float = float("nan"),
    unseen_path: str = "",
) -> None:
    """Run in a fresh subprocess: load, score cold, then warm passes interleaved by chunk.

    Order: `Moderator.load`; a cold `score` pass (first pass on the fresh `Moderator`); peak
    RSS; a cold floor pass (`spacy.blank("en").pipe(texts, batch_size=1000)`, created only
    now so its vocab stays out of the RSS figure); then, chunk by chunk, the warm floor (both
    through `nlp.pipe` and through `nlp.tokenizer.pipe`), the
    warm `score` and the stage breakdown of the same chunk. Interleaving exposes all three
    to the same background load, so their ratios (and the result-building remainder) hold
    on a busy machine. With `profile_path`, a last warm pass runs under cProfile.

    Writes a JSON report to `out_path` (seconds, RSS in MB, stage seconds, and our verdict
    per comment, `action != "allow"`); `import_s` is measured by the caller.
    """
    import psutil
    import spacy

    from app.moderator import Moderator
    from app.pipeline.tokenizer import enlarge_cache

    texts: list[str] = json.loads(Path(texts_path).read_text())
    started = time.perf_counter()
    moderator = Moderator.load(model_dir)
    loaded = time.perf_counter()
    rss_loaded = psutil.Process().memory_info().rss / 1e6
    cold_s, _ = _timed_score(moderator, texts, chunk)
    peak_rss = peak_rss_mb()

    floor_nlp = spacy.blank("en")
    gc.collect()
    clock = time.perf_counter
    t0 = clock()
    collections.deque(floor_nlp.pipe(texts, batch_size=1000), maxlen=0)
    floor_cold_s = clock() - t0

    # the same tokenizer with the chunk cache our pipeline gets (`enlarge_cache`): the
    # warm pass re-reads texts the cold pass cached, so beside the plain floor this one
    # shows what our stages cost on top of a tokenizer that caches as much as ours
    same_cache_nlp = spacy.blank("en")
    enlarge_cache(same_cache_nlp.tokenizer)
    collections.deque(same_cache_nlp.tokenizer.pipe(texts, batch_size=1000), maxlen=0)

    floor_warm_s = 0.0
    tokenizer_warm_s = 0.0
    same_cache_warm_s = 0.0
    warm_s = 0.0
    docs_s = 0.0
    probabilities_s = 0.0
    stages: dict[str, float] = {}
    flagged: list[bool] = []
    gc.collect()
    for part in chunked(texts, chunk):
        t0 = clock()
        collections.deque(floor_nlp.pipe(part, batch_size=1000), maxlen=0)
        t1 = clock()
        results = moderator.score(part)
        warm_s += clock() - t1
        floor_warm_s += t1 - t0
        # the tokenizer called directly, without `nlp.pipe` around it: the floor is the
        # faster of the two, so `nlp.pipe`'s own overhead cannot flatter the ratio
        t0 = clock()
        collections.deque(floor_nlp.tokenizer.pipe(part, batch_size=1000), maxlen=0)
        tokenizer_warm_s += clock() - t0
        t0 = clock()
        collections.deque(same_cache_nlp.tokenizer.pipe(part, batch_size=1000), maxlen=0)
        same_cache_warm_s += clock() - t0
        flagged.extend(r.action != "allow" for r in results)
        del results
        for name, seconds in measure_stages(moderator, part, len(part)).items():
            stages[name] = stages.get(name, 0.0) + seconds
        # what `score` does before building results, through its public pieces: the
        # difference to the `score` time is result building (spans, policy, `Result`s)
        t0 = clock()
        docs = moderator.docs(part)
        t1 = clock()
        moderator.probabilities(docs)
        docs_s += t1 - t0
        probabilities_s += clock() - t1
        del docs
    # comments none of them has seen (`unseen_path`): each chunk once through the floor, the
    # floor with our cache size and `score`, as new traffic meets a warmed-up process
    unseen: list[str] = json.loads(Path(unseen_path).read_text()) if unseen_path else []
    unseen_s = {"floor": 0.0, "floor_same_cache": 0.0, "score": 0.0}
    gc.collect()
    for part in chunked(unseen, chunk):
        t0 = clock()
        collections.deque(floor_nlp.tokenizer.pipe(part, batch_size=1000), maxlen=0)
        t1 = clock()
        collections.deque(same_cache_nlp.tokenizer.pipe(part, batch_size=1000), maxlen=0)
        t2 = clock()
        moderator.score(part)
        unseen_s["floor"] += t1 - t0
        unseen_s["floor_same_cache"] += t2 - t1
        unseen_s["score"] += clock() - t2
    report: dict[str, Any] = {
        "import_s": import_s,
        "unseen_n": len(unseen),
        "unseen_s": unseen_s,
        "load_s": loaded - started,
        "rss_after_load_mb": rss_loaded,
        "peak_rss_mb": peak_rss,
        "cold_s": cold_s,
        "warm_s": warm_s,
        "floor_cold_s": floor_cold_s,
        "floor_warm_s": floor_warm_s,
        "tokenizer_warm_s": tokenizer_warm_s,
        "tokenizer_same_cache_warm_s": same_cache_warm_s,
        "stages_s": stages,
        "docs_s": docs_s,
        "probabilities_s": probabilities_s,
        "flagged": flagged,
        "model_version": moderator.version,
    }
    if profile_path:
        profiler = cProfile.Profile()
        profiler.enable()
        for part in chunked(texts, chunk):
            moderator.score(part)
        profiler.disable()
        profiler.dump_stats(profile_path)
    Path(out_path).write_text(json.dumps(report))


def _run_python(code: str, *args: str, timeout: float = 3600) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"benchmark subprocess failed ({done.returncode}):\n{done.stderr[-3000:]}"
        )


def measure_scoring(
    texts: Sequence[str],
    model_dir: Path,
    chunk: int,
    profile_path: Path | None = None,
    unseen: Sequence[str] = (),
) -> dict[str, Any]:
    """Run :func:`score_worker` in a fresh Python process and return its report."""
    with tempfile.TemporaryDirectory(prefix="moderate-bench-") as tmp:
        texts_path = Path(tmp) / "texts.json"
        unseen_path = Path(tmp) / "unseen.json"
        out_path = Path(tmp) / "report.json"
        texts_path.write_text(json.dumps(list(texts)))
        unseen_path.write_text(json.dumps(list(unseen)))
        # the same import as `measure_load`, timed, so this process is one load sample too
        code = (
            "import sys, time; t0 = time.perf_counter()\n"
            "from app.moderator import Moderator\n"
            "import_s = time.perf_counter() - t0\n"
            "from app.bench import score_worker\n"
            "score_worker(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], "
            "sys.argv[5], import_s, sys.argv[6])"
        )
        _run_python(
            code,
            str(texts_path),
            str(model_dir),
            str(chunk),
            str(out_path),
            str(profile_path or ""),
            str(unseen_path),
        )
        return json.loads(out_path.read_text())


def measure_load(
    model_dir: Path, runs: int = 3, first: tuple[float, float] | None = None
) -> dict[str, Any]:
    """Import and `Moderator.load` time over `runs` fresh processes (medians and all runs).

    `first` is an `(import_s, load_s)` sample already taken in a fresh process (the scoring
    worker's); only the remaining runs start new subprocesses.
    """
    code = (
        "import json, sys, time; t0 = time.perf_counter()\n"
        "from app.moderator import Moderator\n"
        "t1 = time.perf_counter(); Moderator.load(sys.argv[1]); t2 = time.perf_counter()\n"
        "open(sys.argv[2], 'w').write(json.dumps([t1 - t0, t2 - t1]))"
    )
    imports = [round(first[0], 4)] if first else []
    loads = [round(first[1], 4)] if first else []
    with tempfile.TemporaryDirectory(prefix="moderate-bench-") as tmp:
        out = Path(tmp) / "load.json"
        for _ in range(max(1, runs) - len(loads)):
            _run_python(code, str(model_dir), str(out), timeout=300)
            import_s, load_s = json.loads(out.read_text())
            imports.append(round(import_s, 4))
            loads.append(round(load_s, 4))
    return {
        "load_s": round(statistics.median(loads), 4),
        "load_runs_s": loads,
        "import_s": round(statistics.median(imports), 4),
        "import_runs_s": imports,
    }


# -- HTTP -------------------------------------------------------------------------------------
def measure_http_service(model_dir: Path, comments: list[str], seconds: float) -> dict[str, Any]:
    """Latency of `moderate serve` on loopback: single comments and batches of 100.

    Uses `training.bench_http` (server start-up and the request loop), the one copy of that
    code. At most :data:`HTTP_MAX_SECONDS` of requests, all to 127.0.0.1.
    """
    seconds = max(1.0, min(seconds, HTTP_MAX_SECONDS))
    env = {"MODERATE_WORKERS": "1", "MODERATE_LOG_LEVEL": "warning"}
    # a deliberate exception to "training imports app, never the reverse": the bench is a
    # developer tool, and the HTTP load loop already lives beside the other benchmarks
    from training.bench_http import measure_http, running_server

    with running_server(env=env, extra_args=["--model", str(model_dir)]) as server:
        result = measure_http(server.base_url, seconds, comments)
        result["ready_s"] = round(server.ready_seconds, 3)
        result["server_rss_mb"] = round(server.rss_mb(), 1)
    result["via"] = "training.bench_http"
    return result


# -- peers ------------------------------------------------------------------------------------
def measure_peers(texts: Sequence[str], budget_s: float) -> dict[str, dict[str, Any]]:
    """Time the optional peers on the same comments (each within `budget_s` seconds).

    A peer too slow for all N comments is timed on the first comments that fit in the
    budget; `n` says how many. `flags` (its verdict per comment) is used for agreement.
    """
    out: dict[str, dict[str, Any]] = {}
    try:
        started = time.perf_counter()
        # loads its joblib pickles at import; the pickle is bound to a scikit-learn version
        from profanity_check import predict_prob

        import_s = time.perf_counter() - started
        predict_prob(list(texts[:100]))  # warm-up
        flags, seconds = _bounded(
            lambda part: [p >= 0.5 for p in predict_prob(list(part))], texts, budget_s, step=5000
        )
        out["alt-profanity-check"] = {
            "available": True,
            "import_s": round(import_s, 3),
            **_peer_stats(flags, seconds),
        }
    except ImportError:
        out["alt-profanity-check"] = {"available": False, "note": "pip install alt-profanity-check"}
    try:
        from better_profanity import profanity

        started = time.perf_counter()
        profanity.load_censor_words()
        import_s = time.perf_counter() - started
        flags, seconds = _bounded(
            lambda part: [profanity.contains_profanity(t) for t in part], texts, budget_s, step=10
        )
        out["better-profanity"] = {
            "available": True,
            "import_s": round(import_s, 3),
            **_peer_stats(flags, seconds),
        }
    except ImportError:
        out["better-profanity"] = {"available": False, "note": "pip install better-profanity"}
    return out


def _bounded(
    run: Callable[[Sequence[str]], list[bool]], texts: Sequence[str], budget_s: float, step: int
) -> tuple[list[bool], float]:
    flags: list[bool] = []
    seconds = 0.0
    for part in chunked(texts, step):
        started = time.perf_counter()
        flags.extend(bool(f) for f in run(part))
        seconds += time.perf_counter() - started
        if seconds >= budget_s:
            break
    return flags, seconds


def _peer_stats(flags: list[bool], seconds: float) -> dict[str, Any]:
    return {
        "n": len(flags),
        "seconds": round(seconds, 3),
        "per_s": round(per_second(len(flags), seconds), 1),
        "flags": flags,
    }


# -- reporting --------------------------------------------------------------------------------
def run_bench(
    n: int = 50_000,
    data: Path | None = None,
    seed: int = 13,
    model: Path | None = None,
    chunk: int = 1000,
    http: bool = True,
    http_seconds: float = 16.0,
    peers: bool = True,
    peer_seconds: float = 20.0,
    load_runs: int = 3,
    profile: Path | None = None,
    unseen: int = 10_000,
) -> dict[str, Any]:
    """Run every measurement and return the report (see the module docstring)."""
    from app.model_card import default_model_dir

    model_dir = (model or default_model_dir()).resolve()
    comments = load_comments(data, n, seed)
    texts = comments.texts
    count = len(texts)
    # the `unseen` comments drawn after those N (the same draw, longer): new traffic
    unseen_texts = load_comments(data, n + unseen, seed).texts[n:] if unseen else []

    if profile is not None:
        profile = profile.resolve()  # the worker runs in the repo root
        profile.parent.mkdir(parents=True, exist_ok=True)
    scoring = measure_scoring(texts, model_dir, chunk, profile, unseen_texts)
    floor_warm_s = min(scoring["floor_warm_s"], scoring["tokenizer_warm_s"])
    floor = {
        "cold_s": round(scoring["floor_cold_s"], 4),
        "warm_s": round(floor_warm_s, 4),
        "cold_per_s": round(per_second(count, scoring["floor_cold_s"]), 1),
        "warm_per_s": round(per_second(count, floor_warm_s), 1),
        "warm_nlp_pipe_s": round(scoring["floor_warm_s"], 4),
        "warm_tokenizer_pipe_s": round(scoring["tokenizer_warm_s"], 4),
        "warm_same_cache_s": round(scoring["tokenizer_same_cache_warm_s"], 4),
        "warm_same_cache_per_s": round(
            per_second(count, scoring["tokenizer_same_cache_warm_s"]), 1
        ),
        "how": "spacy.blank('en') in the scoring process; warm = the faster of "
        "nlp.pipe(batch_size=1000) and nlp.tokenizer.pipe(batch_size=1000), chunks "
        "interleaved with the warm score; cold = nlp.pipe over all texts on a fresh nlp",
    }
    loading = measure_load(model_dir, load_runs, (scoring["import_s"], scoring["load_s"]))

    cold_per_s = per_second(count, scoring["cold_s"])
    warm_per_s = per_second(count, scoring["warm_s"])
    full = {
        "cold_s": round(scoring["cold_s"], 4),
        "warm_s": round(scoring["warm_s"], 4),
        "cold_per_s": round(cold_per_s, 1),
        "warm_per_s": round(warm_per_s, 1),
        "ratio_cold": round(per_second(floor["cold_per_s"], cold_per_s), 3),
        "ratio_warm": round(per_second(floor["warm_per_s"], warm_per_s), 3),
        # against the floor tokenizer given our chunk cache (not the target's floor)
        "ratio_warm_same_cache": round(
            per_second(floor["warm_same_cache_per_s"], warm_per_s), 3
        ),
        "target_ratio": TARGET_RATIO,
        "chunk": chunk,
    }
    if scoring.get("unseen_n"):
        u, times = scoring["unseen_n"], scoring["unseen_s"]
        full["unseen"] = {
            "n": u,
            "floor_per_s": round(per_second(u, times["floor"]), 1),
            "floor_same_cache_per_s": round(per_second(u, times["floor_same_cache"]), 1),
            "score_per_s": round(per_second(u, times["score"]), 1),
            "ratio": round(times["score"] / times["floor"], 3) if times["floor"] else 0.0,
            "ratio_same_cache": (
                round(times["score"] / times["floor_same_cache"], 3)
                if times["floor_same_cache"]
                else 0.0
            ),
            "how": "comments drawn after the N, each chunk once through the floor, the floor "
            "with our cache size and Moderator.score, after the warm passes",
        }
    # None = not judged (too few comments for the ratio to say anything about the target)
    full["meets_target"] = (
        bool(0 < full["ratio_warm"] <= TARGET_RATIO) if count >= JUDGED_MIN_N else None
    )

    stage_s = dict(scoring["stages_s"])
    # result building = warm score - (prepare + Moderator.docs + probabilities), all timed
    # on the same chunks; the stepwise stages only split those into parts
    remainder = scoring["warm_s"] - (
        stage_s["prepare"] + scoring["docs_s"] + scoring["probabilities_s"]
    )
    stage_s["results (remainder)"] = max(0.0, remainder)  # noise can push it below zero
    total = sum(stage_s.values())
    stages = {
        name: {
            "seconds": round(s, 4),
            "us_per_comment": round(1e6 * s / max(count, 1), 2),
            "share": round(s / total, 4) if total else 0.0,
        }
        for name, s in stage_s.items()
    }

    http_report: dict[str, Any]
    if http:
        try:
            http_report = measure_http_service(model_dir, texts[:1000], http_seconds)
        except Exception as exc:  # a failed server must not lose the other figures
            http_report = {"skipped": f"failed: {exc!r}"[:500]}
    else:
        http_report = {"skipped": "--no-http"}

    peer_report = (
        measure_peers(texts, peer_seconds)
        if peers
        else {
            "alt-profanity-check": {"available": False, "note": "skipped (--no-peers)"},
            "better-profanity": {"available": False, "note": "skipped (--no-peers)"},
        }
    )
    ours = scoring["flagged"]
    quality: dict[str, Any] = {}
    if any(g is not None for g in comments.gold):
        quality["moderate"] = {"n": count, "gold": against_gold(ours, comments.gold)}
    for name, peer in peer_report.items():
        flags = peer.pop("flags", None)
        if flags is not None:
            peer["ratio_vs_ours_warm"] = round(per_second(peer["per_s"], warm_per_s), 3)
            quality[name] = {
                "n": len(flags),
                "vs_moderate": agreement(flags, ours),
                "gold": against_gold(flags, comments.gold[: len(flags)]),
            }

    report: dict[str, Any] = {
        "meta": {
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            # other work on the machine skews absolute numbers; ratios suffer less
            "load_average_1m": round(os.getloadavg()[0], 2),
            "versions": _versions(),
            "seed": seed,
        },
        "comments": {
            "n": count,
            "origin": comments.origin,
            "sources": comments.sources,
            "mean_chars": round(sum(map(len, texts)) / max(count, 1), 1),
        },
        "floor": floor,
        "full_score": full,
        "stages": stages,
        "stages_check": {
            "remainder_raw_s": round(remainder, 4),
            "docs_s": round(scoring["docs_s"], 4),
            "probabilities_s": round(scoring["probabilities_s"], 4),
            # stepwise tokenizer + components / Moderator.docs: 1.0 when the split is exact
            "stepwise_over_docs": round(
                sum(
                    v
                    for k, v in scoring["stages_s"].items()
                    if k not in ("prepare", "features", "predict")
                )
                / max(scoring["docs_s"], 1e-9),
                3,
            ),
        },
        "model": {
            "path": str(model_dir),
            "version": scoring["model_version"],
            "size_mb": round(dir_size_mb(model_dir), 2),
            **loading,
            "rss_after_load_mb": round(scoring["rss_after_load_mb"], 1),
            "peak_rss_mb": round(scoring["peak_rss_mb"], 1),
        },
        "http": http_report,
        "peers": peer_report,
        "quality": quality,
    }
    if profile is not None and profile.exists():
        report["profile"] = {"path": str(profile), **top_hotspots(profile)}
    return report


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in (
        "spacy",
        "scikit-learn",
        "numpy",
        "scipy",
        "alt-profanity-check",
        "better-profanity",
    ):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def bench(
    n: Annotated[int, typer.Option("--n", "-n", min=1, help="Comments to score.")] = 50_000,
    data: Annotated[
        Path | None,
        typer.Option(help="The shared datasets folder (default: ../shared/data of the repo)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the comment sample.")] = 13,
    model: Annotated[
        Path | None,
        typer.Option("--model", "-m", file_okay=False, help="Model folder (default: newest)."),
    ] = None,
    chunk: Annotated[
        int, typer.Option(min=1, help="Comments per Moderator.score call (as `score -i`).")
    ] = 1000,
    http: Annotated[
        bool, typer.Option("--http/--no-http", help="Measure the HTTP service on loopback.")
    ] = True,
    http_seconds: Annotated[
        float, typer.Option(min=1, max=HTTP_MAX_SECONDS, help="Seconds of HTTP requests.")
    ] = 16.0,
    peers: Annotated[
        bool, typer.Option("--peers/--no-peers", help="Time the optional peer libraries.")
    ] = True,
    peer_seconds: Annotated[
        float, typer.Option(min=0.1, help="Time budget per peer (slow peers get a prefix).")
    ] = 20.0,
    load_runs: Annotated[
        int,
        typer.Option(min=1, help="Fresh processes timing Moderator.load (median; incl. scoring)."),
    ] = 3,
    json_path: Annotated[Path, typer.Option("--json", help="Where to write the JSON.")] = Path(
        "bench-results/bench.json"
    ),
    png_path: Annotated[Path, typer.Option("--png", help="Where to draw the chart.")] = Path(
        "bench-results/bench.png"
    ),
    profile: Annotated[
        Path | None,
        typer.Option(help="Also profile a warm pass with cProfile and save the stats here."),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="Do not print the tables.")] = False,
    unseen: Annotated[
        int,
        typer.Option(
            min=0, help="Comments scored once more, new to every cache (0: skip that pass)."
        ),
    ] = 10_000,
) -> None:
    """Benchmark scoring against spaCy's tokenizer floor and peers; write JSON and a PNG."""
    report = run_bench(
        n=n,
        data=data,
        seed=seed,
        model=model,
        chunk=chunk,
        http=http,
        http_seconds=http_seconds,
        peers=peers,
        peer_seconds=peer_seconds,
        load_runs=load_runs,
        profile=profile,
        unseen=unseen,
    )
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report, indent=2) + "\n")
    drawn = draw_chart(report, png_path)
    if not quiet:
        print_report(report)
        typer.echo(
            f"wrote {json_path}"
            + (f" and {png_path}" if drawn else " (no chart: pip install matplotlib)")
        )
