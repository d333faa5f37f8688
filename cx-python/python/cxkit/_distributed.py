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


class TallyJob(Job):
    """The merged summary of one score column: a Tally, or a KeyedTally with ``by``. Partials
    are merged left to right onto an empty summary (``merge_all``), so an empty frame gives an
    empty summary."""

    def __init__(self, score: str, by: list[str], weights: str | None, scale: Any) -> None:
        super().__init__(columns(score, by, weights), 1, None, None, None, lambda m: m[0])
        self.score, self.by, self.weights, self.scale = score, by, weights, scale

    def partial(self, pdf: Any) -> list[bytes | None]:
        return [partial(pdf, self.score, self.by, self.weights, self.scale)]

    def merge_blobs(self, partials: list[list[bytes | None]]) -> list[Any]:
        blobs = [p[0] for p in partials if p[0] is not None]
        return [merge_all(blobs, self.by, self.scale)]


def _by_list(by: Any) -> list[str]:
    return [by] if isinstance(by, str) else list(by or [])


class FrontEnd:
    """The public functions of one distributed back end (``cxkit.dask``, ``cxkit.spark``), over
    its ``run(frame, job, **options)``: how the back end maps ``job.partial`` over the frame's
    partitions, combines the partials and hands them to ``job.finish``. Every function takes
    the back end's run options (e.g. Dask's ``split_every``) as keywords."""

    def __init__(self, run: Any, frame: str) -> None:
        self.run = run
        self.frame = frame

    def summarize(
        self,
        frame: Any,
        score: str,
        by: str | list[str] | None = None,
        *,
        weights: str | None = None,
        scale: Any = "nps",
        **run: Any,
    ) -> Any:
        """The merged summary of a distributed DataFrame: a Tally, or a KeyedTally with ``by``."""
        return self.run(frame, TallyJob(score, _by_list(by), weights, scale), **run)

    def metric(self, metric: str) -> Any:
        """``cxkit.<metric>`` (or ``cxkit.<metric>_by`` with ``by``) over a distributed frame."""

        def fn(
            frame: Any,
            score: str,
            by: Any = None,
            *,
            weights: str | None = None,
            scale: Any = None,
            **options: Any,
        ) -> Any:
            sc = scale_of(metric, scale)
            by_list = _by_list(by)
            summary = self.summarize(frame, score, by_list, weights=weights, scale=sc)
            return result(summary, metric, by_list, options)

        fn.__name__ = fn.__qualname__ = metric
        fn.__doc__ = (
            f"``cxkit.{metric}`` (or ``cxkit.{metric}_by`` with ``by``) over {self.frame}: the "
            "same result as the in-memory API on the same rows. Options as in the in-memory API "
            "(level, method, alpha, adjust, min_base, reference, ...)."
        )
        return fn

    def metric_by(self, metric: str) -> Any:
        """``cxkit.<metric>_by`` over a distributed frame (a pandas DataFrame, as in memory)."""
        overall = self.metric(metric)

        def fn(frame: Any, score: str, by: Any, **options: Any) -> Any:
            return overall(frame, score, by, **options)

        fn.__name__ = fn.__qualname__ = f"{metric}_by"
        fn.__doc__ = f"``cxkit.{metric}_by`` over {self.frame} (a pandas DataFrame, as in memory)."
        return fn

    def cx_index(
        self,
        frame: Any,
        dims: Any = None,
        method: str = "net",
        *,
        weights: str | None = None,
        scales: Any = None,
        dim_weights: Any = None,
        require_all: bool = False,
        bands: Any = None,
        level: float = 0.95,
        **run: Any,
    ) -> Any:
        """``cxkit.cx_index`` over a distributed DataFrame (overall): one ``CxSummary`` per
        partition, merged; the same ``CxIndex`` as the in-memory API on the same rows. ``dims``
        and ``weights`` are column names; the other options as in ``cxkit.cx_index``."""
        job = cx_job(
            dims,
            method=method,
            weights=weights,
            scales=scales,
            dim_weights=dim_weights,
            require_all=require_all,
            bands=bands,
            level=level,
        )
        return self.run(frame, job, **run)

    def loyalty_lift(
        self,
        frame: Any,
        outcome: Any = "retained",
        exposure: Any = None,
        reference: Any = None,
        *,
        score: Any = "nps",
        scale: Any = None,
        band: Any = None,
        weights: str | None = None,
        level: float = 0.95,
        **run: Any,
    ) -> Any:
        """``cxkit.loyalty_lift`` over a distributed DataFrame: one ``JointTally`` per outcome and
        partition, merged; a ``Lift`` for one outcome, a pandas DataFrame (one row per outcome)
        for a list, as in memory. Columns are named as in ``cxkit.loyalty_lift`` with a
        DataFrame."""
        job = lift_job(
            outcome,
            exposure,
            reference,
            score=score,
            scale=scale,
            band=band,
            weights=weights,
            level=level,
            available=list(frame.columns),
        )
        return self.run(frame, job, **run)

    def activity(
        self,
        frame: Any,
        customer: str = "customer_id",
        date: str = "date",
        revenue: str = "revenue",
        *,
        freq: str = "M",
        **run: Any,
    ) -> Any:
        """``cxkit.activity`` over a distributed DataFrame: one ``Activity`` per partition, merged
        (customers matched by id); pass it to ``cxkit.retention``, ``cxkit.cohorts`` or
        ``cxkit.acquisition``. Customer ids should have one type in every partition (strings,
        or integers without nulls)."""
        return self.run(frame, activity_job(customer, date, revenue, freq=freq), **run)

    def retention(
        self,
        frame: Any,
        customer: str = "customer_id",
        date: str = "date",
        revenue: str = "revenue",
        *,
        freq: str = "M",
        lag: int = 1,
        acquisition_spend: Any = None,
        retention_spend: Any = None,
        **run: Any,
    ) -> Any:
        """``cxkit.retention`` (by period) over a distributed DataFrame: the merged ``Activity``
        of the partitions, then the same ``Retention`` as the in-memory API on the same rows."""

        def finish(a: Any) -> Any:
            return cxkit.retention(
                a, lag=lag, acquisition_spend=acquisition_spend, retention_spend=retention_spend
            )

        job = activity_job(customer, date, revenue, freq=freq, finish=finish)
        return self.run(frame, job, **run)
