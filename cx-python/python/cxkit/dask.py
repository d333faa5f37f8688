"""cxkit on Dask: one summary per partition, merged by a tree reduction.

Each partition of a dask DataFrame becomes one serialised summary (a Tally, or a KeyedTally
when grouping) on the workers; summaries are merged pairwise in a tree (``split_every`` at a
time) and the metric is computed once, so the result equals the in-memory API on the same data.

>>> import cxkit.dask                                                   # doctest: +SKIP
>>> cxkit.dask.nps_by(ddf, "nps", by="region")                          # doctest: +SKIP
>>> cxkit.dask.cx_index(ddf, dims=["effectiveness", "ease", "emotion"])  # doctest: +SKIP
>>> cxkit.dask.loyalty_lift(ddf, outcome=["retained", "bought_more"])  # doctest: +SKIP
>>> cxkit.dask.retention(tdf, "customer_id", "date", "revenue", freq="Q")  # doctest: +SKIP

The functions are those of every distributed back end (``cxkit._distributed.FrontEnd``); here
they also take ``split_every`` (default 8).
"""

from __future__ import annotations

from typing import Any

from cxkit import _distributed as _d


def _run(ddf: Any, job: _d.Job, split_every: int = 8) -> Any:
    """Summaries per partition on the workers, merged in a tree ``split_every`` at a time."""
    import dask

    parts = [dask.delayed(job.partial)(part) for part in ddf[job.columns].to_delayed()]
    combine = dask.delayed(lambda *ps: job.combine(list(ps)))
    while len(parts) > 1:
        parts = [combine(*parts[i : i + split_every]) for i in range(0, len(parts), split_every)]
    partials = [dask.compute(parts[0])[0]] if parts else []
    return job.finish(job.merge_blobs(partials))


_api = _d.FrontEnd(_run, "a dask DataFrame")
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
