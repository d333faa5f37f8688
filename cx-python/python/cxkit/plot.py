"""Matplotlib charts of cxkit results and tables.

matplotlib is an optional extra (``pip install cxkit[plot]``); without it every function here
raises :class:`MissingDependencyError`, an ``ImportError`` naming that command. Each function
draws on ``ax`` (a new figure when ``None``), returns the Axes, and labels what it shows: a
title with the estimate, its interval and the base ``n``, axis labels with units.

Results (``cxkit.nps(...).plot()`` calls these):

- :func:`nps` - a stacked detractor / passive / promoter bar;
- :func:`distribution` - an histogram of every scale point coloured by category (``kind=
  "stacked"`` for the three-part bar);
- :func:`proportion`, :func:`mean`, :func:`nps_difference` - the estimate with its interval.

Tables (DataFrames of ``nps_by`` & co, or any table with the documented columns; pandas,
polars, a dict of columns or a list of row dicts):

- :func:`segments` - a segment table (``nps_by(df, "nps", "region")``): a sorted dot plot with
  interval whiskers, groups significantly above / below the rest filled green / red;
- :func:`trend` - a trend table (``nps_by(df, "nps", period="date")``): a line per group with
  its interval band, and the rolling window dashed;
- :func:`loyalty_curve` - columns ``point``, ``rate``, ``lower``, ``upper`` (``n``): the outcome
  rate per scale point with intervals;
- :func:`key_drivers` - columns ``driver``, ``share`` (``lower``, ``upper``): sorted bars;
- :func:`cohort_heatmap` - columns ``cohort``, ``period``, ``rate`` (long form): the retention
  triangle as a heatmap;
- :func:`cx_index` - columns ``dimension``, ``estimate``, ``lower``, ``upper`` (``n``), with
  quality ``bands`` shaded behind.

:func:`plot` picks the right one for any result or table (see :func:`kind_of`); new result
types and table kinds join with :func:`register`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from cxkit import _svg

__all__ = [
    "MissingDependencyError",
    "band_ranges",
    "cohort_heatmap",
    "cx_index",
    "distribution",
    "key_drivers",
    "kind_of",
    "lift",
    "loyalty_curve",
    "mean",
    "mean_lift",
    "nps",
    "nps_difference",
    "plot",
    "proportion",
    "register",
    "retention",
    "segments",
    "trend",
]

GREEN, RED, BLUE, GREY, PASSIVE = _svg.GREEN, _svg.RED, _svg.BLUE, _svg.GREY, "#b8bec7"


class MissingDependencyError(ImportError):
    """matplotlib (the ``plot`` extra) is not installed."""


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingDependencyError(
            "cxkit plotting needs matplotlib, an optional extra: pip install cxkit[plot]"
        ) from exc
    return plt


def _axes(ax: Any, figsize: tuple[float, float]) -> Any:
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _patch(color: str, label: str, **kw: Any) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=color, label=label, **kw)


def _pct_level(level: float | None) -> str:
    return f"{round(100 * level)}% CI" if level else "CI"


# ---------------------------------------------------------------------------------------------
# Results.


def nps(result: Any, ax: Any = None, *, title: str | None = None, **kwargs: Any) -> Any:
    """The NPS split as one stacked bar: detractors (0-6), passives (7-8), promoters (9-10).

    Draws three bars (patches). ``kwargs`` go to ``Axes.barh``.
    """
    ax = _axes(ax, (7, 1.9))
    parts = [
        ("detractors (0-6)", result.detractor_share, RED),
        ("passives (7-8)", result.passive_share, PASSIVE),
        ("promoters (9-10)", result.promoter_share, GREEN),
    ]
    left = 0.0
    for label, share, color in parts:
        ax.barh([0], [100 * share], left=[left], height=0.6, color=color, label=label, **kwargs)
        if share >= 0.06:
            ax.text(
                left + 50 * share,
                0,
                f"{100 * share:.1f}%",
                ha="center",
                va="center",
                color="white" if color != PASSIVE else "black",
                fontweight="bold",
            )
        left += 100 * share
    i = result.interval
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.5, 0.5)
    ax.set_yticks([])
    ax.set_xlabel("share of answers (%)")
    ax.set_title(
        title
        or f"NPS {result.estimate:+.1f} points ({_pct_level(i.level)} {i.lower:+.1f} to "
        f"{i.upper:+.1f}), n = {result.n:,}"
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=3, frameon=False)
    return ax


_PRESETS = {(0, 10): (9, 6), (1, 5): (4, 2), (1, 7): (5, 3)}


def _boxes(points: Sequence[int], scale: Any) -> tuple[int, int] | None:
    """(top_box_min, bottom_box_max) from a scale argument or the preset of the point range."""
    if scale is not None:
        import cxkit

        if isinstance(scale, str):
            scale = getattr(cxkit.Scale, scale)()
        if isinstance(scale, tuple):
            scale = cxkit.Scale(*scale)
        return scale.top_box_min, scale.bottom_box_max
    return _PRESETS.get((min(points), max(points))) if points else None


def distribution(
    result: Any,
    ax: Any = None,
    *,
    kind: str = "histogram",
    scale: Any = None,
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """The share of every scale point as bars coloured by category (bottom / middle / top box).

    The boxes come from ``scale`` (a preset name, a ``cxkit.Scale`` or a tuple), or from the
    preset with the same points (0-10: NPS detractors 0-6 and promoters 9-10; 1-5: CSAT 1-2 and
    4-5; 1-7: CES 1-3 and 5-7). ``kind="stacked"`` draws the three categories as one bar.
    Draws one bar per point (or three). ``kwargs`` go to ``Axes.bar``.
    """
    points = [p.point for p in result.points]
    shares = [p.share for p in result.points]
    boxes = _boxes(points, scale)
    nps_like = (min(points), max(points)) == (0, 10) and boxes == (9, 6)
    names = (
        ("detractors", "passives", "promoters") if nps_like else ("bottom box", "middle", "top box")
    )
    if boxes is None:
        colors = [BLUE] * len(points)
    else:
        top, bottom = boxes
        colors = [RED if p <= bottom else GREEN if p >= top else PASSIVE for p in points]
    if kind == "stacked":
        if boxes is None:
            raise ValueError("kind='stacked' needs the scale's boxes: pass scale=")
        top, bottom = boxes
        ax = _axes(ax, (7, 1.9))
        split = [
            (names[0], sum(s for p, s in zip(points, shares) if p <= bottom), RED),
            (names[1], sum(s for p, s in zip(points, shares) if bottom < p < top), PASSIVE),
            (names[2], sum(s for p, s in zip(points, shares) if p >= top), GREEN),
        ]
        left = 0.0
        for label, share, color in split:
            ax.barh([0], [100 * share], left=[left], height=0.6, color=color, label=label)
            if share >= 0.06:
                ax.text(left + 50 * share, 0, f"{100 * share:.1f}%", ha="center", va="center")
            left += 100 * share
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([])
        ax.set_xlabel("share of answers (%)")
        ax.set_title(title or f"Answers by category, n = {result.n:,}")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=3, frameon=False)
        return ax
    if kind != "histogram":
        raise ValueError(f"kind must be 'histogram' or 'stacked', not {kind!r}")
    ax = _axes(ax, (7, 3.6))
    ax.bar(points, [100 * s for s in shares], color=colors, width=0.8, **kwargs)
    for p, s in zip(points, shares):
        ax.annotate(
            f"{100 * s:.0f}%",
            (p, 100 * s),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )
    ax.set_xticks(points)
    ax.set_xlabel(f"answer ({min(points)}-{max(points)})")
    ax.set_ylabel("share of answers (%)")
    ax.set_title(title or f"Distribution of answers, n = {result.n:,}")
    if boxes is not None:
        top, bottom = boxes
        mid = f"{bottom + 1}-{top - 1}" if top - bottom > 2 else f"{bottom + 1}"
        ax.legend(
            handles=[
                _patch(RED, f"{names[0]} ({min(points)}-{bottom})"),
                _patch(PASSIVE, f"{names[1]} ({mid})"),
                _patch(GREEN, f"{names[2]} ({top}-{max(points)})"),
            ],
            frameon=False,
            loc="upper left",
        )
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _interval_plot(
    ax: Any, est: float, lo: float, hi: float, label: str, color: str, **kwargs: Any
) -> None:
    ax.errorbar(
        [est],
        [0],
        xerr=[[est - lo], [hi - est]],
        fmt="o",
        color=color,
        capsize=6,
        markersize=8,
        **kwargs,
    )
    ax.set_yticks([0], [label])
    ax.set_ylim(-1, 1)
    ax.spines[["top", "right", "left"]].set_visible(False)


def proportion(
    result: Any, ax: Any = None, *, label: str = "share", title: str | None = None, **kwargs: Any
) -> Any:
    """A share (CSAT, top box) as a dot with its interval on a 0-100% axis (one errorbar)."""
    ax = _axes(ax, (7, 1.8))
    i = result.interval
    _interval_plot(ax, 100 * result.estimate, 100 * i.lower, 100 * i.upper, label, BLUE, **kwargs)
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of answers (%)")
    ax.set_title(
        title
        or f"{100 * result.estimate:.1f}% ({_pct_level(i.level)} {100 * i.lower:.1f}% to "
        f"{100 * i.upper:.1f}%), n = {result.n:,}"
    )
    return ax


def mean(
    result: Any,
    ax: Any = None,
    *,
    scale: Any = None,
    label: str = "mean",
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """A mean rating (CES) as a dot with its interval; the axis spans ``scale`` when given."""
    ax = _axes(ax, (7, 1.8))
    i = result.interval
    _interval_plot(ax, result.estimate, i.lower, i.upper, label, BLUE, **kwargs)
    if scale is not None:
        import cxkit

        s = getattr(cxkit.Scale, scale)() if isinstance(scale, str) else scale
        if isinstance(s, tuple):
            s = cxkit.Scale(*s)
        ax.set_xlim(s.lowest, s.highest)
        ax.set_xlabel(f"mean answer (scale {s.lowest}-{s.highest})")
    else:
        ax.set_xlabel("mean answer (scale units)")
    ax.set_title(
        title
        or f"Mean {result.estimate:.2f} ({_pct_level(i.level)} {i.lower:.2f} to "
        f"{i.upper:.2f}), n = {result.n:,}"
    )
    return ax


def nps_difference(
    result: Any,
    ax: Any = None,
    *,
    label: str = "a \u2212 b",
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """The NPS difference a - b as a dot with its interval, and a line at zero."""
    ax = _axes(ax, (7, 1.8))
    i = result.interval
    sig = i.lower > 0 or i.upper < 0
    _interval_plot(ax, result.estimate, i.lower, i.upper, label, GREEN if sig else BLUE, **kwargs)
    ax.axvline(0, color=GREY, linestyle="--", linewidth=1)
    span = max(abs(i.lower), abs(i.upper), 1.0) * 1.15
    ax.set_xlim(-span, span)
    ax.set_xlabel("NPS difference (points)")
    ax.set_title(
        title
        or f"NPS a \u2212 b: {result.estimate:+.1f} points ({_pct_level(i.level)} "
        f"{i.lower:+.1f} to {i.upper:+.1f}), p = {result.p_value:.3g}, "
        f"n = {result.n_a:,} vs {result.n_b:,}"
    )
    return ax


def _rate_rows(
    ax: Any, rows: Sequence[tuple[str, float, float, float, str]], **kwargs: Any
) -> None:
    """One dot with its interval whiskers per row, top to bottom."""
    for y, (_, est, lo, hi, color) in enumerate(rows):
        ax.errorbar(
            [est],
            [y],
            xerr=[[est - lo], [hi - est]],
            fmt="o",
            color=color,
            capsize=6,
            markersize=8,
            **kwargs,
        )
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.spines[["top", "right", "left"]].set_visible(False)


def lift(
    result: Any,
    ax: Any = None,
    *,
    labels: tuple[str, str] = ("exposed", "reference"),
    outcome: str = "outcome",
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """Loyalty lift: the outcome rate of the exposed and reference groups, each a dot with its
    Wilson interval on a 0-100% axis (two errorbars); the title gives the risk ratio and the
    risk difference with their intervals. ``kwargs`` go to ``Axes.errorbar``.
    """
    ax = _axes(ax, (7, 2.2))
    e, r = result.exposed, result.reference
    rows = [
        (
            f"{labels[0]}\n(n = {e.n:,})",
            100 * e.estimate,
            100 * e.interval.lower,
            100 * e.interval.upper,
            GREEN,
        ),
        (
            f"{labels[1]}\n(n = {r.n:,})",
            100 * r.estimate,
            100 * r.interval.lower,
            100 * r.interval.upper,
            RED,
        ),
    ]
    _rate_rows(ax, rows, **kwargs)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"{outcome} rate (%)")
    rr, rd = result.risk_ratio, result.risk_difference
    ax.set_title(
        title
        or f"Risk ratio {rr.estimate:.2f} ({_pct_level(rr.interval.level)} "
        f"{rr.interval.lower:.2f} to {rr.interval.upper:.2f}); difference "
        f"{100 * rd.estimate:+.1f} points ({100 * rd.interval.lower:+.1f} to "
        f"{100 * rd.interval.upper:+.1f})"
    )
    return ax


def mean_lift(
    result: Any,
    ax: Any = None,
    *,
    labels: tuple[str, str] = ("exposed", "reference"),
    outcome: str = "outcome",
    unit: str = "outcome units",
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """Lift of a continuous outcome: each group's mean as a dot with a normal interval
    (mean +/- z * SE at the level of the Welch difference's interval); the title gives the
    difference of means with its Welch interval and p-value. ``kwargs`` go to ``Axes.errorbar``.
    """
    from statistics import NormalDist

    ax = _axes(ax, (7, 2.2))
    d = result.difference
    z = NormalDist().inv_cdf(0.5 + d.interval.level / 2)
    rows = []
    for label, g, color in ((labels[0], result.exposed, GREEN), (labels[1], result.reference, RED)):
        half = z * g.std_error
        rows.append(
            (f"{label}\n(n = {g.n:,})", g.estimate, g.estimate - half, g.estimate + half, color)
        )
    _rate_rows(ax, rows, **kwargs)
    ax.set_xlabel(f"mean {outcome} ({unit})")
    ax.set_title(
        title
        or f"Difference {d.estimate:+.4g} ({_pct_level(d.interval.level)} "
        f"{d.interval.lower:+.4g} to {d.interval.upper:+.4g}), p = {d.p_value:.3g}"
    )
    return ax


# ---------------------------------------------------------------------------------------------
# Tables.

columns_of = _svg.columns_of
_num = _svg.num

_METRIC_UNITS = {
    "nps": ("NPS", "points", 1.0, True),
    "csat": ("CSAT", "% satisfied", 100.0, False),
    "top_box": ("top-box share", "%", 100.0, False),
    "bottom_box": ("bottom-box share", "%", 100.0, False),
    "ces": ("CES", "mean answer", 1.0, False),
    "mean": ("mean", "mean answer", 1.0, False),
    "cx_index": ("CX index", "index points", 1.0, True),
}


def _metric_of(table: Any, cols: dict[str, list[Any]], metric: str | None) -> tuple:
    """(name, unit, factor, signed) of a table's metric: argument, pandas attrs, or guessed."""
    if metric is None and hasattr(table, "attrs"):
        metric = table.attrs.get("metric")
    if metric is not None:
        return _METRIC_UNITS.get(metric, (metric, "", 1.0, False))
    est = [x for x in map(_num, cols.get("estimate", [])) if math.isfinite(x)]
    if est and all(0 <= x <= 1 for x in est):
        return ("share", "%", 100.0, False)
    if est and min(est) >= 0 and max(est) <= 10:
        return ("mean", "mean answer", 1.0, False)
    return ("estimate", "", 1.0, False)


def _key_columns(cols: dict[str, list[Any]], skip: Sequence[str] = ()) -> list[str]:
    """The key columns of a grouped table: those before ``n``."""
    names = list(cols)
    end = names.index("n") if "n" in names else 0
    return [c for c in names[:end] if c not in skip]


def segments(
    table: Any,
    ax: Any = None,
    *,
    metric: str | None = None,
    overall: float | None = None,
    sort: bool = True,
    level: float | None = 0.95,
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """A segment table as a dot plot: each group's estimate and interval, highest on top.

    Groups significantly above the rest are filled green, below filled red, not significant
    hollow blue, below the minimum base grey. ``overall`` draws a dashed reference line.
    Draws one errorbar per group with an estimate. ``metric`` ('nps', 'csat', 'ces', 'top_box',
    'mean', ...) sets the unit; by default it is read from the table (pandas ``attrs``).
    """
    cols = columns_of(table)
    name, unit, factor, _ = _metric_of(table, cols, metric)
    keys = _key_columns(cols)
    n_rows = len(cols.get("estimate", []))
    rows = []
    for i in range(n_rows):
        est = _num(cols["estimate"][i])
        label = " / ".join(str(cols[k][i]) for k in keys) or "all"
        small = bool(cols.get("too_small", [False] * n_rows)[i])
        sig = cols.get("significant", [None] * n_rows)[i]
        diff = _num(cols.get("diff_vs_rest", [None] * n_rows)[i])
        mark = "small" if small else ("above" if diff > 0 else "below") if sig else "ns"
        rows.append(
            (est, label, _num(cols["lower"][i]), _num(cols["upper"][i]), cols["n"][i], mark)
        )
    if sort:
        rows.sort(key=lambda r: -math.inf if math.isnan(r[0]) else r[0])
    ax = _axes(ax, (7, 0.9 + 0.42 * max(len(rows), 1)))
    style = {
        "above": dict(color=GREEN, mfc=GREEN),
        "below": dict(color=RED, mfc=RED),
        "ns": dict(color=BLUE, mfc="white"),
        "small": dict(color=GREY, mfc="white"),
    }
    for y, (est, _label, lo, hi, _n, mark) in enumerate(rows):
        if math.isnan(est):
            continue
        xerr = [[max(est - lo, 0) * factor], [max(hi - est, 0) * factor]]
        if math.isnan(lo) or math.isnan(hi):
            xerr = None
        ax.errorbar(
            [est * factor],
            [y],
            xerr=xerr,
            fmt="o",
            capsize=4,
            markersize=7,
            mew=2,
            **style[mark],
            **kwargs,
        )
    ax.set_yticks(range(len(rows)), [f"{r[1]} (n={int(r[4]):,})" for r in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    if overall is not None:
        ax.axvline(overall * factor, color=GREY, linestyle="--", linewidth=1)
    ci = _pct_level(level) if level else "interval"
    ax.set_xlabel(f"{name} ({unit}) with {ci}")
    total = sum(int(r[4]) for r in rows)
    by = " \u00d7 ".join(keys) or "group"
    ax.set_title(title or f"{name} by {by}, n = {total:,}")
    marks = {r[5] for r in rows}
    handles = []
    from matplotlib.lines import Line2D

    for mark, text in (
        ("above", "significantly above the rest"),
        ("below", "significantly below the rest"),
        ("ns", "not significant"),
        ("small", "too few answers (untested)"),
    ):
        if mark in marks:
            s = style[mark]
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    color=s["color"],
                    mfc=s["mfc"],
                    mew=2,
                    label=text,
                )
            )
    ax.legend(handles=handles, frameon=False, fontsize=8, loc="lower right")
    ax.grid(axis="x", color="#e3e7ec")
    ax.set_axisbelow(True)
    return ax


def _period_column(cols: dict[str, list[Any]]) -> str:
    for c in cols:
        if f"{c}_start" in cols:
            return c
    raise ValueError("not a trend table: no period column with a matching '<period>_start'")


def trend(
    table: Any,
    ax: Any = None,
    *,
    metric: str | None = None,
    rolling: bool = True,
    level: float | None = 0.95,
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """A trend table as lines over the periods, each with its interval band.

    One line and one band per group; with a ``window`` table and ``rolling=True`` the rolling
    estimate is drawn dashed too. Missing periods break the line.
    """
    cols = columns_of(table)
    name, unit, factor, _ = _metric_of(table, cols, metric)
    period = _period_column(cols)
    keys = _key_columns(cols, skip=(period, f"{period}_start"))
    starts = np.array(cols[f"{period}_start"], dtype="datetime64[D]")
    groups: dict[str, list[int]] = {}
    for i in range(len(starts)):
        label = " / ".join(str(cols[k][i]) for k in keys)
        groups.setdefault(label, []).append(i)
    ax = _axes(ax, (8, 3.8))
    total = 0
    for label, idx in groups.items():
        x = starts[idx]
        y = np.array([_num(cols["estimate"][i]) for i in idx]) * factor
        lo = np.array([_num(cols["lower"][i]) for i in idx]) * factor
        hi = np.array([_num(cols["upper"][i]) for i in idx]) * factor
        total += sum(int(cols["n"][i]) for i in idx)
        (line,) = ax.plot(x, y, marker="o", markersize=3, label=label or name, **kwargs)
        ok = np.isfinite(lo) & np.isfinite(hi)
        ax.fill_between(
            x,
            np.where(ok, lo, 0),
            np.where(ok, hi, 0),
            where=ok,
            color=line.get_color(),
            alpha=0.18,
            linewidth=0,
        )
        if rolling and "rolling_estimate" in cols:
            r = np.array([_num(cols["rolling_estimate"][i]) for i in idx]) * factor
            ax.plot(
                x,
                r,
                linestyle="--",
                color=line.get_color(),
                linewidth=1.2,
                label=f"{label + ': ' if label else ''}rolling",
            )
    ax.set_ylabel(f"{name} ({unit})")
    ax.set_xlabel(f"{period} (band: {_pct_level(level) if level else 'interval'})")
    ax.set_title(title or f"{name} by {period}, n = {total:,}")
    if len(groups) > 1 or (rolling and "rolling_estimate" in cols):
        ax.legend(frameon=False, fontsize=8)
    ax.grid(axis="y", color="#e3e7ec")
    ax.set_axisbelow(True)
    return ax


def loyalty_curve(
    table: Any,
    ax: Any = None,
    *,
    outcome: str = "outcome",
    level: float | None = 0.95,
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """The loyalty curve: an outcome rate (0..1) per scale point with intervals.

    Columns ``point``, ``rate``, ``lower``, ``upper`` and optionally ``n``. Draws one errorbar
    line (markers at every point).
    """
    cols = columns_of(table)
    points = [_num(p) for p in cols["point"]]
    rate = np.array([_num(v) for v in cols["rate"]]) * 100
    lo = np.array([_num(v) for v in cols["lower"]]) * 100
    hi = np.array([_num(v) for v in cols["upper"]]) * 100
    ax = _axes(ax, (7, 3.6))
    ax.errorbar(
        points, rate, yerr=[rate - lo, hi - rate], fmt="-o", color=BLUE, capsize=4, **kwargs
    )
    attrs = getattr(table, "attrs", None) or {}
    if "overall" in attrs and math.isfinite(_num(attrs["overall"])):
        ax.axhline(
            100 * _num(attrs["overall"]),
            color=GREY,
            linestyle="--",
            linewidth=1,
            label=f"all respondents ({100 * _num(attrs['overall']):.1f}%)",
        )
        ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_xticks(points)
    ax.set_ylim(0, 100)
    ax.set_xlabel("answer (scale point)")
    ax.set_ylabel(f"{outcome} rate (%)")
    n = f", n = {sum(int(v) for v in cols['n']):,}" if "n" in cols else ""
    ci = _pct_level(level) if level else "interval"
    ax.set_title(title or f"{outcome} rate by answer, with {ci}{n}")
    ax.grid(axis="y", color="#e3e7ec")
    return ax


def _share_columns(cols: dict[str, list[Any]]) -> tuple[str, str, str]:
    """The share column of a key-driver table and its interval columns: ``share`` (plain
    tables) or ``lmg_share`` (``cxkit.key_drivers``)."""
    if "share" in cols:
        return "share", "lower", "upper"
    if "lmg_share" in cols:
        return "lmg_share", "lmg_share_lower", "lmg_share_upper"
    raise ValueError("not a key-driver table: no 'share' or 'lmg_share' column")


def key_drivers(
    table: Any,
    ax: Any = None,
    *,
    x_label: str = "share of importance (%)",
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """Key-driver shares (0..1) as horizontal bars, largest on top.

    Columns ``driver``, ``share`` and optionally ``lower``, ``upper``. One bar per driver.
    """
    cols = columns_of(table)
    share_col, lower_col, upper_col = _share_columns(cols)
    rows = sorted(range(len(cols["driver"])), key=lambda i: _num(cols[share_col][i]))
    share = np.array([_num(cols[share_col][i]) for i in rows]) * 100
    xerr = None
    if lower_col in cols and upper_col in cols:
        lo = np.array([_num(cols[lower_col][i]) for i in rows]) * 100
        hi = np.array([_num(cols[upper_col][i]) for i in rows]) * 100
        ok = np.isfinite(lo) & np.isfinite(hi)
        if ok.any():
            xerr = [np.where(ok, share - lo, 0), np.where(ok, hi - share, 0)]
    ax = _axes(ax, (7, 0.9 + 0.42 * len(rows)))
    ax.barh(range(len(rows)), share, xerr=xerr, color=BLUE, capsize=3, **kwargs)
    ax.set_yticks(range(len(rows)), [str(cols["driver"][i]) for i in rows])
    for y, v in enumerate(share):
        ax.annotate(
            f"{v:.1f}%", (v, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8
        )
    ax.set_xlabel(x_label)
    attrs = getattr(table, "attrs", None) or {}
    parts = []
    if "r_squared" in attrs:
        parts.append(f"R\u00b2 = {attrs['r_squared']:.3f}")
    if "n" in attrs:
        parts.append(f"n = {int(attrs['n']):,}")
    ax.set_title(title or "Key drivers" + (f", {', '.join(parts)}" if parts else ""))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def cohort_heatmap(
    table: Any, ax: Any = None, *, value: str = "rate", title: str | None = None, **kwargs: Any
) -> Any:
    """A cohort table (long form: ``cohort``, ``period``, ``rate``) as a heatmap triangle.

    Rows are cohorts, columns periods since acquisition; rates 0..1 print as percentages in
    their cells. Draws one image and a label per non-missing cell.
    """
    base = ""
    if hasattr(table, "customer_rates"):  # a cxkit.Cohorts result
        field = {"rate": "customer_rates", "revenue_rate": "revenue_rates"}.get(value, value)
        if field not in ("customer_rates", "revenue_rates"):
            raise ValueError(f"value must be 'rate' or 'revenue_rate' for Cohorts, not {value!r}")
        rates = getattr(table, field)
        cohorts = [f"{c} ({n:,})" for c, n in zip(table.cohorts, table.sizes)]
        periods: list[Any] = list(range(max((len(r) for r in rates), default=0)))
        grid = np.array(
            [
                [np.nan if v is None else v for v in r] + [np.nan] * (len(periods) - len(r))
                for r in rates
            ],
            dtype=float,
        ).reshape(len(cohorts), len(periods))
        value = "retention rate" if field == "customer_rates" else "revenue retention"
        base = f", n = {sum(table.sizes):,} customers, per {table.freq}"
    else:
        cols = columns_of(table)
        cohorts = list(dict.fromkeys(cols["cohort"]))
        periods = sorted(set(cols["period"]), key=lambda p: (_num(p), str(p)))
        grid = np.full((len(cohorts), len(periods)), np.nan)
        for c, p, v in zip(cols["cohort"], cols["period"], cols[value]):
            grid[cohorts.index(c), periods.index(p)] = _num(v)
    ax = _axes(ax, (8, 0.8 + 0.38 * len(cohorts)))
    image = ax.imshow(grid * 100, cmap="Blues", vmin=0, vmax=100, aspect="auto", **kwargs)
    for i in range(len(cohorts)):
        for j in range(len(periods)):
            if np.isfinite(grid[i, j]):
                ax.text(
                    j,
                    i,
                    f"{100 * grid[i, j]:.0f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if grid[i, j] > 0.6 else "black",
                )
    ax.set_xticks(range(len(periods)), [str(p) for p in periods])
    ax.set_yticks(range(len(cohorts)), [str(c) for c in cohorts])
    ax.set_xlabel("periods since acquisition")
    ax.set_ylabel("cohort")
    ax.figure.colorbar(image, ax=ax, label=f"{value} (%)")
    ax.set_title(title or f"{value} by cohort (%){base}")
    return ax


def retention(
    result: Any,
    ax: Any = None,
    *,
    rates: Sequence[str] = ("retention_rate", "nrr", "grr"),
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """A ``cxkit.Retention`` result (or its table, ``to_pandas()``) as lines over the periods:
    the customer retention rate and net / gross revenue retention (0..1, drawn in %).

    One line per rate in ``rates`` that has a value in some period; periods without one (the
    first, or fewer than ``lag`` periods in) break the line.
    """
    if hasattr(result, "rows") and not hasattr(result, "columns"):
        rows = list(result.rows)
        cols = {k: [r.get(k) for r in rows] for k in (rows[0] if rows else {})}
        base = f", n = {result.customers:,} customers"
        lag = result.lag
        freq = result.freq
    else:
        cols = columns_of(result)
        base, lag, freq = "", None, "period"
    periods = [str(p) for p in cols.get("period", [])]
    names = {
        "retention_rate": "customer retention",
        "churn_rate": "churn",
        "nrr": "net revenue retention (NRR)",
        "grr": "gross revenue retention (GRR)",
        "new_revenue_share": "revenue from new customers",
        "existing_revenue_share": "revenue from existing customers",
    }
    ax = _axes(ax, (8, 3.8))
    x = np.arange(len(periods))
    for rate in rates:
        if rate not in cols:
            raise ValueError(f"no column {rate!r} in the retention table")
        y = np.array([_num(v) for v in cols[rate]]) * 100
        if not np.isfinite(y).any():
            continue
        label = names.get(rate, rate)
        if rate in ("nrr", "grr") and lag and lag != 1:
            label += f", {lag} periods"
        ax.plot(x, y, marker="o", markersize=3, label=label, **kwargs)
    every = max(1, math.ceil(len(periods) / 12))
    ax.set_xticks(x[::every], periods[::every], rotation=45, ha="right")
    ax.set_xlabel(freq)
    ax.set_ylabel("rate (% of the previous period)")
    ax.set_title(title or f"Retention by {freq}{base}")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(axis="y", color="#e3e7ec")
    ax.set_axisbelow(True)
    return ax


def cx_index(
    table: Any,
    ax: Any = None,
    *,
    bands: Sequence[Any] = (),
    unit: str = "index points",
    level: float | None = 0.95,
    title: str | None = None,
    **kwargs: Any,
) -> Any:
    """A CX index by dimension: a dot and interval per row over shaded quality ``bands``.

    ``table`` is a ``cxkit.CxIndex`` result (its dimensions and the index itself as the last
    row, bands from the default cut-offs 55 / 65 / 75 / 85 over the method's range) or a table
    with columns ``dimension``, ``estimate``, ``lower``, ``upper`` and optionally ``n``.
    ``bands`` are (label, low, high) ranges in the index's unit, or four cut-offs. Draws one
    shaded span per band and one errorbar per row.
    """
    default_title = "CX index by dimension"
    if hasattr(table, "dimensions") and hasattr(table, "weakest"):  # a cxkit.CxIndex result
        r = table
        dims = list(r.dimensions)
        cols = {
            "dimension": [d.name for d in dims] + ["CX index"],
            "estimate": [d.estimate for d in dims] + [r.estimate],
            "lower": [d.interval.lower for d in dims] + [r.interval.lower],
            "upper": [d.interval.upper for d in dims] + [r.interval.upper],
            "n": [d.n for d in dims] + [r.n],
        }
        if level == 0.95:
            level = r.interval.level
        low = -100.0 if r.method == "net" else 0.0
        if not bands or all(isinstance(b, (int, float)) for b in bands):
            bands = band_ranges(bands or DEFAULT_BANDS, low, 100.0)
        unit = f"{r.method} score, points {low:g} to 100"
        default_title = (
            f"CX index {r.estimate:.1f} ({r.band}, {_pct_level(r.interval.level)} "
            f"{r.interval.lower:.1f} to {r.interval.upper:.1f}), weakest: {r.weakest}, "
            f"n = {r.n:,}"
        )
    else:
        cols = columns_of(table)
        if bands and all(isinstance(b, (int, float)) for b in bands):
            bands = band_ranges(bands, -100.0, 100.0)
    k = len(cols["dimension"])
    ax = _axes(ax, (7, 1.2 + 0.45 * k))
    shades = ["#fbe3e1", "#fdf0dd", "#f2f4f7", "#e3f1e6", "#cfe8d6"]  # red, amber, grey, greens
    for j, (label, lo, hi) in enumerate(bands):
        # worst band red ... best band green, whatever the number of bands
        shade = shades[round(j * (len(shades) - 1) / max(len(bands) - 1, 1))]
        ax.axvspan(lo, hi, color=shade, zorder=0)
        ax.annotate(
            label,
            ((lo + hi) / 2, 1.0),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            fontsize=8,
            color="#6b7785",
        )
    for y in range(k):
        est, lo, hi = (_num(cols[c][y]) for c in ("estimate", "lower", "upper"))
        ax.errorbar(
            [est],
            [y],
            xerr=[[est - lo], [hi - est]],
            fmt="o",
            color=BLUE,
            capsize=4,
            markersize=7,
            **kwargs,
        )
    labels = [str(d) for d in cols["dimension"]]
    if "n" in cols:
        labels = [f"{d} (n={int(n):,})" for d, n in zip(labels, cols["n"])]
    ax.set_yticks(range(k), labels)
    ax.set_ylim(k - 0.5, -0.5)
    if bands:
        ax.set_xlim(min(b[1] for b in bands), max(b[2] for b in bands))
    ci = _pct_level(level) if level else "interval"
    ax.set_xlabel(f"CX index ({unit}) with {ci}")
    ax.set_title(title or default_title, pad=16 if bands else None)
    return ax


DEFAULT_BANDS = _svg.DEFAULT_BANDS
band_ranges = _svg.band_ranges


# ---------------------------------------------------------------------------------------------
# Dispatch.

_RESULTS: dict[str, Callable[..., Any]] = {
    "Nps": nps,
    "NpsDifference": nps_difference,
    "Proportion": proportion,
    "Mean": mean,
    "Distribution": distribution,
    "CxIndex": cx_index,
    "Cohorts": cohort_heatmap,
    "Retention": retention,
    "Lift": lift,
    "MeanLift": mean_lift,
}

#: table kinds: (columns that identify the kind, plotting function), tried in order
_TABLES: list[tuple[str, frozenset[str], Callable[..., Any]]] = [
    ("trend", frozenset({"estimate", "lower", "upper", "change"}), trend),
    ("segments", frozenset({"estimate", "lower", "upper", "diff_vs_rest"}), segments),
    ("loyalty_curve", frozenset({"point", "rate", "lower", "upper"}), loyalty_curve),
    ("key_drivers", frozenset({"driver", "share"}), key_drivers),
    ("key_drivers", frozenset({"driver", "lmg_share"}), key_drivers),
    ("retention", frozenset({"period", "retention_rate", "nrr"}), retention),
    ("cohort_heatmap", frozenset({"cohort", "period", "rate"}), cohort_heatmap),
    ("cx_index", frozenset({"dimension", "estimate", "lower", "upper"}), cx_index),
]


def register(kind: str, fn: Callable[..., Any], *, columns: Sequence[str] | None = None) -> None:
    """Add a plot: for a result class named ``kind``, or (with ``columns``) a table kind."""
    if columns is None:
        _RESULTS[kind] = fn
    else:
        _TABLES[:] = [t for t in _TABLES if t[0] != kind]
        _TABLES.insert(0, (kind, frozenset(columns), fn))


def kind_of(obj: Any) -> str:
    """The plot kind of a result (its class name) or a table (by its columns)."""
    name = type(obj).__name__
    if name in _RESULTS:
        return name
    try:
        cols = set(columns_of(obj))
    except TypeError:
        raise TypeError(f"cxkit.plot cannot draw a {name}") from None
    for kind, needed, _ in _TABLES:
        if needed <= cols:
            return kind
    raise TypeError(f"cxkit.plot does not know a table with columns {sorted(cols)}")


def plot(obj: Any, ax: Any = None, **kwargs: Any) -> Any:
    """Draw any cxkit result or table with the function that fits it; returns the Axes."""
    kind = kind_of(obj)
    if kind in _RESULTS:
        return _RESULTS[kind](obj, ax, **kwargs)
    fn = next(f for k, _, f in _TABLES if k == kind)
    return fn(obj, ax, **kwargs)
