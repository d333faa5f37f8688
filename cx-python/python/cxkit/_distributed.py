"""What the Spark and Dask helpers share: building partial summaries from one pandas partition
and turning merged summaries into the same results as the in-memory API."""

from __future__ import annotations

from functools import reduce
from typing import Any

import cxkit

# Default scale and method of each metric, as in the in-memory API.
METRICS = {
    "nps": ("nps", "nps", "adjusted-wald"),
    "csat": ("top_box", "csat", "wilson"),
    "ces": ("mean", "ces", "student-t"),
    "top_box": ("top_box", None, "wilson"),
    "bottom_box": ("bottom_box", None, "wilson"),
    "mean": ("mean", None, "student-t"),
}


def columns(score: str, by: list[str], weights: str | None) -> list[str]:
    return [score, *by, *([weights] if weights else [])]


def partial(pdf: Any, score: str, by: list[str], weights: str | None, scale: Any) -> bytes:
    """The serialised summary of one pandas partition: a Tally, or a KeyedTally with ``by``."""
    w = None if weights is None else pdf[weights]
    if by:
        keyed = cxkit.KeyedTally.from_values(
            pdf[score], by=[pdf[b] for b in by], names=by, weights=w, scale=scale
        )
        return keyed.to_bytes()
    return cxkit.Tally.from_values(pdf[score], weights=w, scale=scale).to_bytes()


def merge_all(blobs: list[bytes], by: list[str], scale: Any) -> Any:
    """Merge serialised partials (an empty list gives an empty summary)."""
    if by:
        parts = [cxkit.KeyedTally.from_bytes(b) for b in blobs]
        return reduce(lambda a, b: a + b, parts, cxkit.KeyedTally(scale, names=by))
    parts = [cxkit.Tally.from_bytes(b) for b in blobs]
    return reduce(lambda a, b: a + b, parts, cxkit.Tally(scale))


def scale_of(metric: str, scale: Any) -> Any:
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {sorted(METRICS)}, not {metric!r}")
    default = METRICS[metric][1]
    if scale is None and default is None:
        cxkit._cxkit._invalid_argument(
            "scale", "None", "a scale for raw values, e.g. scale='csat' or scale=(1, 7)"
        )
    return scale if scale is not None else default


def result(summary: Any, metric: str, by: list[str], options: dict[str, Any]) -> Any:
    """The in-memory API's result for a merged summary."""
    kind, _, default_method = METRICS[metric]
    method = options.pop("method", None) or default_method
    if by:
        return summary.segments(kind, method=method, **options)
    level = options.get("level", 0.95)
    if kind == "nps":
        return cxkit.nps(
            summary,
            level=level,
            method=method,
            resamples=options.get("resamples", 2000),
            seed=options.get("seed", 0),
        )
    if kind in ("top_box", "bottom_box"):
        return getattr(cxkit, kind)(summary, level=level, method=method)
    return cxkit.mean(summary, level=level)
