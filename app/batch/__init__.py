"""Batch re-scoring of archived comments: `moderate rescore` and `moderate diff`.

    from app.batch import RescoreOptions, run_rescore
    summary = run_rescore(RescoreOptions(input="archive/", output=Path("scored.parquet")))

Modules: `sources` (find, read and chunk inputs), `threads` (parent texts for context),
`scoring` (score one chunk; shared by both engines), `engines` (local or Dask), `sinks`
(assemble OUTPUT, read results back), `manifest` (hashes, counts), `atomic` (crash-safe
writes), `rescore` (the resumable job), `diff` (compare two outputs), `cli` (the commands).
"""

from __future__ import annotations

from app.batch.diff import diff_outputs
from app.batch.rescore import RescoreError, RescoreOptions, RescoreSummary, run_rescore

__all__ = ["RescoreError", "RescoreOptions", "RescoreSummary", "diff_outputs", "run_rescore"]
