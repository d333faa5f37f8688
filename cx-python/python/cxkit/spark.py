"""cxkit on Spark: summaries built inside the executors, merged on the driver.

Each partition of a PySpark DataFrame becomes one small serialised summary (a Tally, or a
KeyedTally when grouping; a CxSummary, JointTally or
Activity for the CX index, loyalty lift and retention) inside the executors (``mapInPandas``); the driver merges them and
computes the metric once, so the result equals the in-memory API on the same data.

>>> import cxkit.spark                                                  # doctest: +SKIP
>>> cxkit.spark.nps(sdf, "nps")                                         # doctest: +SKIP
>>> cxkit.spark.nps_by(sdf, "nps", by=["region", "channel"])            # doctest: +SKIP
>>> cxkit.spark.cx_index(sdf, dims=["effectiveness", "ease", "emotion"])  # doctest: +SKIP
>>> cxkit.spark.loyalty_lift(sdf, outcome="retained", score="nps")     # doctest: +SKIP
>>> cxkit.spark.retention(tdf, "customer_id", "date", "revenue")      # doctest: +SKIP

The executors need ``cxkit`` installed (the same version as the driver).
"""

from __future__ import annotations

from typing import Any

import cxkit
from cxkit import _distributed as _d


def summarize(
    sdf: Any,
    score: str,
    by: str | list[str] | None = None,
    *,
    weights: str | None = None,
    scale: Any = "nps",
) -> Any:
    """The merged summary of a PySpark DataFrame: a Tally, or a KeyedTally with ``by``."""
    by = [by] if isinstance(by, str) else list(by or [])
    cols = _d.columns(score, by, weights)

    def per_partition(frames):
        import pandas as pd

        parts = [_d.partial(pdf, score, by, weights, scale) for pdf in frames]
        merged = _d.merge_all(parts, by, scale)
        yield pd.DataFrame({"summary": [merged.to_bytes()]})

    rows = sdf.select(*cols).mapInPandas(per_partition, schema="summary binary").collect()
    return _d.merge_all([bytes(r.summary) for r in rows], by, scale)


def _metric(metric: str):
    def run(
        sdf: Any,
        score: str,
        by: Any = None,
        *,
        weights: str | None = None,
        scale: Any = None,
        **options: Any,
    ) -> Any:
        sc = _d.scale_of(metric, scale)
        by_list = [by] if isinstance(by, str) else list(by or [])
        summary = summarize(sdf, score, by_list, weights=weights, scale=sc)
        return _d.result(summary, metric, by_list, options)

    run.__name__ = metric
    run.__doc__ = (
        f"``cxkit.{metric}`` (or ``cxkit.{metric}_by`` with ``by``) over a PySpark DataFrame: "
        "the same result as the in-memory API on the same rows. Options as in the in-memory API "
        "(level, method, alpha, adjust, min_base, reference, ...)."
    )
    return run


nps = _metric("nps")
csat = _metric("csat")
ces = _metric("ces")
top_box = _metric("top_box")
bottom_box = _metric("bottom_box")
mean = _metric("mean")


def nps_by(sdf: Any, score: str, by: Any, **options: Any) -> Any:
    """``cxkit.nps_by`` over a PySpark DataFrame (a pandas DataFrame, as in memory)."""
    return nps(sdf, score, by, **options)


def csat_by(sdf: Any, score: str, by: Any, **options: Any) -> Any:
    """``cxkit.csat_by`` over a PySpark DataFrame."""
    return csat(sdf, score, by, **options)


def ces_by(sdf: Any, score: str, by: Any, **options: Any) -> Any:
    """``cxkit.ces_by`` over a PySpark DataFrame."""
    return ces(sdf, score, by, **options)


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


def cx_index(
    sdf: Any,
    dims: Any = None,
    method: str = "net",
    *,
    weights: str | None = None,
    scales: Any = None,
    dim_weights: Any = None,
    require_all: bool = False,
    bands: Any = None,
    level: float = 0.95,
) -> Any:
    """``cxkit.cx_index`` over a PySpark DataFrame (overall): one ``CxSummary`` per partition, merged;
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
    return _run(sdf, job)


def loyalty_lift(
    sdf: Any,
    outcome: Any = "retained",
    exposure: Any = None,
    reference: Any = None,
    *,
    score: Any = "nps",
    scale: Any = None,
    band: Any = None,
    weights: str | None = None,
    level: float = 0.95,
) -> Any:
    """``cxkit.loyalty_lift`` over a PySpark DataFrame: one ``JointTally`` per outcome and partition,
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
        available=list(sdf.columns),
    )
    return _run(sdf, job)


def activity(
    sdf: Any,
    customer: str = "customer_id",
    date: str = "date",
    revenue: str = "revenue",
    *,
    freq: str = "M",
) -> Any:
    """``cxkit.activity`` over a PySpark DataFrame: one ``Activity`` per partition, merged (customers
    matched by id); pass it to ``cxkit.retention``, ``cxkit.cohorts`` or ``cxkit.acquisition``.
    Customer ids should have one type in every partition (strings, or integers without nulls)."""
    return _run(sdf, _d.activity_job(customer, date, revenue, freq=freq))


def retention(
    sdf: Any,
    customer: str = "customer_id",
    date: str = "date",
    revenue: str = "revenue",
    *,
    freq: str = "M",
    lag: int = 1,
    acquisition_spend: Any = None,
    retention_spend: Any = None,
) -> Any:
    """``cxkit.retention`` (by period) over a PySpark DataFrame: the merged ``Activity`` of the
    partitions, then the same ``Retention`` as the in-memory API on the same rows."""

    def finish(a: Any) -> Any:
        return cxkit.retention(
            a, lag=lag, acquisition_spend=acquisition_spend, retention_spend=retention_spend
        )

    job = _d.activity_job(customer, date, revenue, freq=freq, finish=finish)
    return _run(sdf, job)


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
