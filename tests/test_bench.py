"""`moderate bench` on a few hundred comments: the report's shape, not its timings."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from app.bench import against_gold, agreement, bench, generate_comments, load_comments

TOP_KEYS = {
    "meta",
    "comments",
    "floor",
    "full_score",
    "stages",
    "model",
    "http",
    "peers",
    "quality",
}


def test_bench_writes_report_and_chart(tmp_path: Path) -> None:
    json_path = tmp_path / "bench.json"
    png_path = tmp_path / "bench.png"
    # no data folder: the seed-thread generator keeps this test fast (pandas not needed)
    bench(
        n=300,
        unseen=120,
        data=tmp_path / "no-data",
        http=False,
        peers=False,
        load_runs=1,
        json_path=json_path,
        png_path=png_path,
        quiet=True,
    )

    report = json.loads(json_path.read_text())
    assert TOP_KEYS <= set(report)
    assert report["comments"]["n"] == 300
    for key in ("cold_per_s", "warm_per_s"):
        assert report["floor"][key] > 0
        assert report["full_score"][key] > 0
    assert report["full_score"]["ratio_warm"] > 0
    floor = report["floor"]  # the faster of the two ways of running the tokenizer
    assert floor["warm_s"] == min(floor["warm_nlp_pipe_s"], floor["warm_tokenizer_pipe_s"])
    # beside the plain floor, the same tokenizer given our chunk cache, and the ratio to it
    assert floor["warm_same_cache_per_s"] > 0
    full = report["full_score"]
    assert full["ratio_warm_same_cache"] == pytest.approx(
        floor["warm_same_cache_per_s"] / full["warm_per_s"], rel=0.01
    )
    new = full["unseen"]  # comments after the N, new to every cache
    assert new["n"] == 120 and new["score_per_s"] > 0 and new["floor_per_s"] > 0
    assert new["ratio"] == pytest.approx(new["floor_per_s"] / new["score_per_s"], rel=0.01)
    stages = report["stages"]
    for name in ("prepare", "tokenizer", "features", "predict", "results (remainder)"):
        assert name in stages
    assert all(s["seconds"] >= 0 for s in stages.values())
    assert report["model"]["load_s"] > 0
    assert report["model"]["peak_rss_mb"] > 0
    assert report["model"]["size_mb"] > 0
    assert report["http"] == {"skipped": "--no-http"}
    assert not any(p["available"] for p in report["peers"].values())
    if importlib.util.find_spec("matplotlib") is not None:
        assert png_path.stat().st_size > 0


def test_bench_comments_are_deterministic(tmp_path: Path) -> None:
    # an empty data folder falls back to sentences of the seed thread
    first = load_comments(tmp_path, 50, seed=1)
    assert first.origin == "generated"
    assert first.texts == generate_comments(50, seed=1).texts
    assert len(first.texts) == 50


def test_bench_reads_each_dataset_format(tmp_path: Path) -> None:
    # tiny stand-ins with the real files' columns (the shared data is never copied here)
    files = {
        "hatexplain/hatexplain.jsonl": '{"text": "a b", "label": "offensive"}\n'
        '{"text": "c d", "label": "normal"}\n',
        "gab_hate_corpus_kennedy2022/ghc.csv": "text,hd,cv,vo\ne f,0,0,1\ng h,0,0,0\n",
        "context_toxicity/cat_large.csv": "text,label\ni j,1\nk l,0\n",
        "davidson2017/davidson2017_labeled.csv": "text,label\nm n,hate_speech\no p,neither\n",
    }
    for rel, body in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(body)
    comments = load_comments(tmp_path, 8, seed=3)
    assert comments.origin == "data"
    assert sorted(zip(comments.texts, comments.gold, strict=True)) == [
        ("a b", 1),
        ("c d", 0),
        ("e f", 1),
        ("g h", 0),
        ("i j", 1),
        ("k l", 0),
        ("m n", 1),
        ("o p", 0),
    ]
    assert comments.sources == dict.fromkeys(
        ["hatexplain", "gab_hate_corpus", "context_toxicity", "davidson2017"], 2
    )


def test_bench_agreement_and_gold() -> None:
    assert agreement([True, False, True], [True, False, False])["agreement"] == round(2 / 3, 4)
    gold = against_gold([True, True, False, False], [1, 0, 1, None])
    assert gold["n"] == 3
    assert gold["precision"] == 0.5
    assert gold["recall"] == 0.5
