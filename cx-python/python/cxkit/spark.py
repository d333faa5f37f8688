"""cxkit on Spark: summaries built inside the executors, merged on the driver.

Each partition of a PySpark DataFrame becomes one small serialised summary (a Tally, or a
KeyedTally when grouping) inside the executors (``mapInPandas``); the driver merges them and
computes the metric once, so the result equals the in-memory API on the same data.

>>> import cxkit.spark                                                  # doctest: +SKIP
>>> cxkit.spark.nps(sdf, "nps")                                         # doctest: +SKIP
>>> cxkit.spark.nps_by(sdf, "nps", by=["region", "channel"])            # doctest: +SKIP

The executors need ``cxkit`` installed (the same version as the driver).
"""

from __future__ import annotations

from typing import Any

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
