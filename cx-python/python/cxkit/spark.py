"""cxkit on Spark: summaries built inside the executors, merged on the driver.

Each partition of a PySpark DataFrame becomes one small serialised summary (a Tally, or a
KeyedTally when grouping; a CxSummary, JointTally or Activity for the CX index, loyalty lift and
retention) inside the executors (``mapInPandas``); the driver merges them and computes the
metric once, so the result equals the in-memory API on the same data.

>>> import cxkit.spark                                                  # doctest: +SKIP
>>> cxkit.spark.nps(sdf, "nps")                                         # doctest: +SKIP
>>> cxkit.spark.nps_by(sdf, "nps", by=["region", "channel"])            # doctest: +SKIP
>>> cxkit.spark.cx_index(sdf, dims=["effectiveness", "ease", "emotion"])  # doctest: +SKIP
>>> cxkit.spark.loyalty_lift(sdf, outcome="retained", score="nps")     # doctest: +SKIP
>>> cxkit.spark.retention(tdf, "customer_id", "date", "revenue")      # doctest: +SKIP

The functions are those of every distributed back end (``cxkit._distributed.FrontEnd``). The
executors need ``cxkit`` installed (the same version as the driver).
"""

from __future__ import annotations

from typing import Any

from cxkit import _distributed as _d


def _run(sdf: Any, job: _d.Job) -> Any:
    """Summaries per partition in the executors (``mapInPandas``), merged on the driver."""

    def per_partition(frames):
        import pandas as pd

        merged = job.combine([job.partial(pdf) for pdf in frames])
        yield pd.DataFrame({"slot": list(range(job.slots)), "summary": merged})

    rows = (
        sdf.select(*job.columns)
        .mapInPandas(per_partition, schema="slot int, summary binary")
        .collect()
    )
    partials = [[None] * job.slots for _ in rows]
    for p, r in zip(partials, rows):
        p[r.slot] = None if r.summary is None else bytes(r.summary)
    return job.finish(job.merge_blobs(partials))


_api = _d.FrontEnd(_run, "a PySpark DataFrame")
summarize = _api.summarize
nps = _api.metric("nps")
csat = _api.metric("csat")
ces = _api.metric("ces")
top_box = _api.metric("top_box")
bottom_box = _api.metric("bottom_box")
mean = _api.metric("mean")
nps_by = _api.metric_by("nps")
csat_by = _api.metric_by("csat")
ces_by = _api.metric_by("ces")
cx_index = _api.cx_index
loyalty_lift = _api.loyalty_lift
activity = _api.activity
retention = _api.retention

__all__ = [
    "activity",
    "bottom_box",
    "ces",
    "ces_by",
    "csat",
    "csat_by",
    "cx_index",
    "loyalty_lift",
    "mean",
    "nps",
    "nps_by",
    "retention",
    "summarize",
    "top_box",
]
