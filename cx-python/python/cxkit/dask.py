"""cxkit on Dask: one summary per partition, merged by a tree reduction.

Each partition of a dask DataFrame becomes one serialised summary (a Tally, or a KeyedTally
when grouping) on the workers; summaries are merged pairwise in a tree (``split_every`` at a
time) and the metric is computed once, so the result equals the in-memory API on the same data.

>>> import cxkit.dask                                                   # doctest: +SKIP
>>> cxkit.dask.nps_by(ddf, "nps", by="region")                          # doctest: +SKIP
>>> cxkit.dask.cx_index(ddf, dims=["effectiveness", "ease", "emotion"])  # doctest: +SKIP
>>> cxkit.dask.loyalty_lift(ddf, outcome=["retained", "bought_more"])  # doctest: +SKIP
>>> cxkit.dask.retention(tdf, "customer_id", "date", "revenue", freq="Q")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import cxkit
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


def _run(ddf: Any, job: _d.Job, split_every: int = 8) -> Any:
    """Summaries per partition on the workers, merged in a tree ``split_every`` at a time."""
    import dask

    parts = [dask.delayed(job.partial)(part) for part in ddf[job.columns].to_delayed()]
    combine = dask.delayed(lambda *ps: job.combine(list(ps)))
    while len(parts) > 1:
        parts = [combine(*parts[i : i + split_every]) for i in range(0, len(parts), split_every)]
    partials = [dask.compute(parts[0])[0]] if parts else []
    return job.finish(job.merge_blobs(partials))


def cx_index(
    ddf: Any,
    dims: Any = None,
    method: str = "net",
    *,
    weights: str | None = None,
    scales: Any = None,
    dim_weights: Any = None,
    require_all: bool = False,
    bands: Any = None,
    level: float = 0.95,
    split_every: int = 8,
) -> Any:
    """``cxkit.cx_index`` over a dask DataFrame (overall): one ``CxSummary`` per partition, merged;
    the same ``CxIndex`` as the in-memory API on the same rows. ``dims`` and ``weights`` are
    column names; the other options as in ``cxkit.cx_index``."""
    job = _d.cx_job(
        dims,
        method=method,
        weights=weights,
        scales=scales,
        dim_weights=dim_weights,
        require_all=require_all,
        bands=bands,
        level=level,
    )
    return _run(ddf, job, split_every)


def loyalty_lift(
    ddf: Any,
    outcome: Any = "retained",
    exposure: Any = None,
    reference: Any = None,
    *,
    score: Any = "nps",
    scale: Any = None,
    band: Any = None,
    weights: str | None = None,
    level: float = 0.95,
    split_every: int = 8,
) -> Any:
    """``cxkit.loyalty_lift`` over a dask DataFrame: one ``JointTally`` per outcome and partition,
    merged; a ``Lift`` for one outcome, a pandas DataFrame (one row per outcome) for a list,
    as in memory. Columns are named as in ``cxkit.loyalty_lift`` with a DataFrame."""
    job = _d.lift_job(
        outcome,
        exposure,
        reference,
        score=score,
        scale=scale,
        band=band,
        weights=weights,
        level=level,
        available=list(ddf.columns),
    )
    return _run(ddf, job, split_every)


def activity(
    ddf: Any,
    customer: str = "customer_id",
    date: str = "date",
    revenue: str = "revenue",
    *,
    freq: str = "M",
    split_every: int = 8,
) -> Any:
    """``cxkit.activity`` over a dask DataFrame: one ``Activity`` per partition, merged (customers
    matched by id); pass it to ``cxkit.retention``, ``cxkit.cohorts`` or ``cxkit.acquisition``.
    Customer ids should have one type in every partition (strings, or integers without nulls)."""
    return _run(ddf, _d.activity_job(customer, date, revenue, freq=freq), split_every)


def retention(
    ddf: Any,
    customer: str = "customer_id",
    date: str = "date",
    revenue: str = "revenue",
    *,
    freq: str = "M",
    lag: int = 1,
    acquisition_spend: Any = None,
    retention_spend: Any = None,
    split_every: int = 8,
) -> Any:
    """``cxkit.retention`` (by period) over a dask DataFrame: the merged ``Activity`` of the
    partitions, then the same ``Retention`` as the in-memory API on the same rows."""

    def finish(a: Any) -> Any:
        return cxkit.retention(
            a, lag=lag, acquisition_spend=acquisition_spend, retention_spend=retention_spend
        )

    job = _d.activity_job(customer, date, revenue, freq=freq, finish=finish)
    return _run(ddf, job, split_every)


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
