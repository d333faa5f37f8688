"""cxkit on Dask: one summary per partition, merged by a tree reduction.

Each partition of a dask DataFrame becomes one serialised summary (a Tally, or a KeyedTally
when grouping) on the workers; summaries are merged pairwise in a tree (``split_every`` at a
time) and the metric is computed once, so the result equals the in-memory API on the same data.

>>> import cxkit.dask                                                   # doctest: +SKIP
>>> cxkit.dask.nps_by(ddf, "nps", by="region")                          # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from cxkit import _distributed as _d


def summarize(
    ddf: Any,
    score: str,
    by: str | list[str] | None = None,
    *,
    weights: str | None = None,
    scale: Any = "nps",
    split_every: int = 8,
) -> Any:
    """The merged summary of a dask DataFrame: a Tally, or a KeyedTally with ``by``."""
    import dask

    by = [by] if isinstance(by, str) else list(by or [])
    cols = _d.columns(score, by, weights)
    parts = [
        dask.delayed(_d.partial)(part, score, by, weights, scale) for part in ddf[cols].to_delayed()
    ]
    merge = dask.delayed(lambda *blobs: _d.merge_all(list(blobs), by, scale).to_bytes())
    while len(parts) > 1:
        parts = [merge(*parts[i : i + split_every]) for i in range(0, len(parts), split_every)]
    blobs = [dask.compute(parts[0])[0]] if parts else []
    return _d.merge_all(blobs, by, scale)


def _metric(metric: str):
    def run(
        ddf: Any,
        score: str,
        by: Any = None,
        *,
        weights: str | None = None,
        scale: Any = None,
        **options: Any,
    ) -> Any:
        sc = _d.scale_of(metric, scale)
        by_list = [by] if isinstance(by, str) else list(by or [])
        summary = summarize(ddf, score, by_list, weights=weights, scale=sc)
        return _d.result(summary, metric, by_list, options)

    run.__name__ = metric
    run.__doc__ = (
        f"``cxkit.{metric}`` (or ``cxkit.{metric}_by`` with ``by``) over a dask DataFrame: the "
        "same result as the in-memory API on the same rows."
    )
    return run


nps = _metric("nps")
csat = _metric("csat")
ces = _metric("ces")
top_box = _metric("top_box")
bottom_box = _metric("bottom_box")
mean = _metric("mean")


def nps_by(ddf: Any, score: str, by: Any, **options: Any) -> Any:
    """``cxkit.nps_by`` over a dask DataFrame (a pandas DataFrame, as in memory)."""
    return nps(ddf, score, by, **options)


def csat_by(ddf: Any, score: str, by: Any, **options: Any) -> Any:
    """``cxkit.csat_by`` over a dask DataFrame."""
    return csat(ddf, score, by, **options)


def ces_by(ddf: Any, score: str, by: Any, **options: Any) -> Any:
    """``cxkit.ces_by`` over a dask DataFrame."""
    return ces(ddf, score, by, **options)


__all__ = [
    "bottom_box",
    "ces",
    "ces_by",
    "csat",
    "csat_by",
    "mean",
    "nps",
    "nps_by",
    "summarize",
    "top_box",
]
