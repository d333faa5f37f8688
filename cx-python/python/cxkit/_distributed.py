"""What the Spark and Dask helpers share: building partial summaries from one pandas partition
and turning merged summaries into the same results as the in-memory API."""

from __future__ import annotations

from collections.abc import Sequence
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


# Multi-column summaries (CX index, loyalty lift, retention): a job says which columns it
# reads, how one pandas partition becomes one summary per slot (one slot per outcome for the
# loyalty lift, one otherwise), how summaries are read back and merged, and how the merged
# summaries become the in-memory API's result.


class Job:
    """One distributed computation over pandas partitions (see the comment above)."""

    def __init__(
        self,
        columns: list[str],
        slots: int,
        build: Any,
        read: Any,
        merge: Any,
        finish: Any,
    ) -> None:
        self.columns = list(dict.fromkeys(columns))  # in order, without repeats
        self.slots = slots
        self.build = build
        self.read = read
        self.merge = merge
        self.finish = finish

    def partial(self, pdf: Any) -> list[bytes | None]:
        """The serialised summaries of one pandas partition (None: nothing to summarise)."""
        if len(pdf) == 0:
            return [None] * self.slots
        return [None if s is None else s.to_bytes() for s in self.build(pdf)]

    def merge_blobs(self, partials: list[list[bytes | None]]) -> list[Any]:
        """Per slot, the merge of the partials' summaries (a balanced tree of pairwise merges)."""
        out = []
        for k in range(self.slots):
            parts = [self.read(p[k]) for p in partials if p[k] is not None]
            while len(parts) > 1:
                parts = [
                    self.merge(parts[i], parts[i + 1]) if i + 1 < len(parts) else parts[i]
                    for i in range(0, len(parts), 2)
                ]
            out.append(parts[0] if parts else None)
        return out

    def combine(self, partials: list[list[bytes | None]]) -> list[bytes | None]:
        """Partials merged into one partial (for a reduction step on an executor or worker)."""
        return [None if s is None else s.to_bytes() for s in self.merge_blobs(partials)]


def _frame_columns(*items: Any) -> list[str]:
    return [x for x in items if isinstance(x, str)]


def cx_job(
    dims: Any,
    *,
    method: str,
    weights: str | None,
    scales: Any,
    dim_weights: Any,
    require_all: bool,
    bands: Any,
    level: float,
) -> Job:
    """``cxkit.cx_index`` over partitions: one ``CxSummary`` per partition."""
    names = [str(d) for d in dims] if dims is not None else cxkit.CxSummary().dims

    def empty() -> Any:
        return cxkit.CxSummary(names, scales=scales, require_all=require_all)

    def build(pdf: Any) -> list[Any]:
        s = empty()
        s.extend({d: pdf[d] for d in names}, weights=None if weights is None else pdf[weights])
        return [s]

    def finish(merged: list[Any]) -> Any:
        summary = merged[0] if merged[0] is not None else empty()
        return cxkit.cx_index(
            summary,
            method=method,
            dim_weights=dim_weights,
            bands=bands,
            level=level,
        )

    empty()  # bad dimensions or scales fail on the driver, before any job runs
    return Job(
        [*names, *_frame_columns(weights)],
        1,
        build,
        cxkit.CxSummary.from_bytes,
        lambda a, b: a + b,
        finish,
    )


def lift_job(
    outcome: Any,
    exposure: Any,
    reference: Any,
    *,
    score: Any,
    scale: Any,
    band: Any,
    weights: str | None,
    level: float,
    available: Sequence[str],
) -> Job:
    """``cxkit.loyalty_lift`` over partitions: one ``JointTally`` per outcome and partition.
    ``available`` are the DataFrame's columns: a group given as text reads the column of that
    name if there is one, else it is a side name or a label (as ``cxkit.loyalty_lift`` reads
    it)."""
    multi = isinstance(outcome, (list, tuple)) and len(outcome) > 0
    outcomes = [str(o) for o in outcome] if multi else [str(outcome)]
    groups = [x for x in (exposure, reference, score, band) if isinstance(x, str)]
    group_columns = [x for x in groups if x in set(available)]

    def build(pdf: Any) -> list[Any]:
        return [
            cxkit.joint_tally(
                pdf,
                outcome=o,
                exposure=exposure,
                reference=reference,
                score=score,
                scale=scale,
                band=band,
                weights=weights,
            )
            for o in outcomes
        ]

    def finish(merged: list[Any]) -> Any:
        joints = [j if j is not None else cxkit.JointTally.empty() for j in merged]
        if not multi:
            return cxkit.loyalty_lift(joints[0], level=level)
        return cxkit.loyalty_lift(dict(zip(outcomes, joints)), level=level)

    return Job(
        [*outcomes, *group_columns, *_frame_columns(weights)],
        len(outcomes),
        build,
        cxkit.JointTally.from_bytes,
        lambda a, b: a.merged(b),
        finish,
    )


def activity_job(
    customer: str,
    date: str,
    revenue: str,
    *,
    freq: str,
    finish: Any = None,
) -> Job:
    """``cxkit.activity`` over partitions (customers matched by id when merging); ``finish``
    turns the merged ``Activity`` into the result (default: the summary itself)."""

    def build(pdf: Any) -> list[Any]:
        try:
            return [cxkit.activity(pdf, customer, date, revenue, freq=freq)]
        except cxkit.EmptyInputError:
            return [None]  # no complete row in this partition

    def done(merged: list[Any]) -> Any:
        a = merged[0]
        if a is None:  # no complete row anywhere: the in-memory API's error
            a = cxkit.activity(customer=[], date=[], revenue=[], freq=freq)
        return a if finish is None else finish(a)

    return Job(
        [customer, date, revenue],
        1,
        build,
        cxkit.Activity.from_bytes,
        lambda a, b: a.merge(b),
        done,
    )
