"""The one-call HTML customer-experience report: ``cxkit.report(df, ...) -> Report``.

Every number comes from the cxkit functions (``nps``, ``csat``, ``ces``, ``distribution``,
``nps_by`` and friends); this module only lays them out: inline SVG charts (:mod:`cxkit._svg`),
inline CSS, a one-sentence plain-English reading per section, no script, font or URL.

Sections are registered in order with :func:`section`; each declares which inputs it needs
(``by``, ``date``, ``dims``, ``outcome``, ``customer``, ``revenue``) and runs only when they were
given. A new capability (CX index, loyalty, key drivers, retention) plugs in with one function
in its own module, imported by ``cxkit/__init__.py``::

    from cxkit._report import Inputs, Section, section
    from cxkit import _svg

    @section("cx_index", needs=("dims",), before="segments")
    def _cx_index(inp: Inputs) -> Section | None:
        table = ...  # a table with columns dimension, estimate, lower, upper (n)
        chart = _svg.cx_index(table, bands=[("poor", 0, 60), ("okay", 60, 70), ...])
        reading = "Ease (66.1, 95% CI 65.2-67.0) is the weakest dimension, ..."
        return Section("cx_index", "CX index", reading, (chart,))

The CX index, loyalty, key-driver and retention sections are registered this way in
:mod:`cxkit._report_sections`. The charts take plain tables (pandas, polars, a dict of
columns or a list of row dicts): ``_svg.cx_index`` (dimension, estimate, lower, upper, with
quality bands), ``_svg.loyalty_curve`` (point, rate, lower, upper), ``_svg.key_drivers``
(driver, share) and ``_svg.cohort_heatmap`` (cohort, period, rate); their matplotlib twins are
in :mod:`cxkit.plot`. ``inp.cache`` holds the checked tallies (``"tally:<column>"``) and the
dates as days (``"days"``); ``_table_html`` and the ``Metric`` formatters keep numbers
consistent across sections.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from cxkit import _by, _cxkit, _svg

__all__ = ["ColumnNotFoundError", "Inputs", "Report", "Section", "report", "section"]


class ColumnNotFoundError(KeyError):
    """A column named in the arguments is not in the data."""

    def __init__(self, column: str, role: str, available: Sequence[str], where: str = "the data"):
        self.column, self.role, self.available = column, role, list(available)
        shown = ", ".join(self.available[:20]) + (", ..." if len(self.available) > 20 else "")
        super().__init__(f"no column {column!r} ({role}=) in {where}; its columns are: {shown}")

    def __str__(self) -> str:
        return str(self.args[0])


# ---------------------------------------------------------------------------------------------
# Metrics: how each rating metric is computed, named and formatted.


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    long_name: str
    scale: str
    unit: str
    percent: bool
    signed: bool
    categories: tuple[str, str, str]  # bottom box, middle, top box (with their points)
    compute: Callable[..., Any]
    by: Callable[..., Any]

    def fmt(self, v: float | None) -> str:
        if v is None or not math.isfinite(v):
            return "n/a"
        if self.percent:
            return f"{100 * v:.1f}%"
        if self.signed:
            return _signed(v, 1)
        return f"{v:.2f}"

    def fmt_diff(self, v: float) -> str:
        if self.percent:
            return f"{_signed(100 * v, 1)} percentage points"
        if self.signed:
            return f"{_signed(v, 1)} points"
        return _signed(v, 2)

    def fmt_interval(self, lo: float, hi: float) -> str:
        if self.percent:
            return f"{100 * lo:.1f}% to {100 * hi:.1f}%"
        if self.signed:
            return f"{_signed(lo, 1)} to {_signed(hi, 1)}"
        return f"{lo:.2f} to {hi:.2f}"

    def fmt_diff_interval(self, lo: float, hi: float) -> str:
        if self.percent:
            return f"{_signed(100 * lo, 1)} to {_signed(100 * hi, 1)}"
        return f"{_signed(lo, 1 if self.signed else 2)} to {_signed(hi, 1 if self.signed else 2)}"


def _signed(v: float, digits: int) -> str:
    text = f"{v:+.{digits}f}"
    return text.replace("-", "\u2212")


def _metrics() -> dict[str, Metric]:
    import cxkit

    return {
        "nps": Metric(
            "nps",
            "NPS",
            "Net Promoter Score",
            "nps",
            "points, \u2212100 to 100",
            False,
            True,
            ("detractors (0-6)", "passives (7-8)", "promoters (9-10)"),
            cxkit.nps,
            cxkit.nps_by,
        ),
        "csat": Metric(
            "csat",
            "CSAT",
            "customer satisfaction (top-2-box share)",
            "csat",
            "% satisfied, 4-5 of 5",
            True,
            False,
            ("dissatisfied (1-2)", "neutral (3)", "satisfied (4-5)"),
            cxkit.csat,
            cxkit.csat_by,
        ),
        "ces": Metric(
            "ces",
            "CES",
            "customer effort score (mean, 7 = easiest)",
            "ces",
            "mean of 1-7, higher is easier",
            False,
            False,
            ("difficult (1-3)", "neutral (4)", "easy (5-7)"),
            cxkit.ces,
            cxkit.ces_by,
        ),
    }


# ---------------------------------------------------------------------------------------------
# Sections and their registry.


@dataclass(frozen=True)
class Section:
    """One block of the report: a title, a one-sentence reading, charts, a table, a note."""

    key: str
    title: str
    reading: str
    charts: tuple[str, ...] = ()
    table: str = ""
    note: str = ""
    tiles: tuple[tuple[str, str, str, str], ...] = ()  # (name, value, interval, base) headlines


@dataclass
class Inputs:
    """What a section gets: the data (pandas) and every argument of :func:`report`."""

    data: Any
    score: str
    metric: Metric
    by: list[str]
    date: str | None
    dims: list[str]
    outcome: str | None
    customer: str | None
    revenue: str | None
    csat: str | None
    ces: str | None
    weights: str | None
    freq: str
    window: int
    level: float
    alpha: float
    adjust: str
    min_base: int
    metrics: dict[str, Metric]
    #: a transaction log (pandas) for the retention section, and its date column
    transactions: Any = None
    transactions_date: str | None = None
    #: persona feature columns (a list), True for the default features, or None
    personas: Any = None
    #: results shared between sections (e.g. the headline estimate used as a reference line)
    cache: dict[str, Any] = field(default_factory=dict)

    def column(self, name: str) -> Any:
        return self.data[name]

    @property
    def weight_values(self) -> Any:
        return None if self.weights is None else self.data[self.weights]


SectionFn = Callable[[Inputs], "Section | Sequence[Section] | None"]
#: (key, inputs needed, inputs used when given, function)
_REGISTRY: list[tuple[str, tuple[str, ...], tuple[str, ...], SectionFn]] = []
#: inputs a section can need; given but unused ones are listed in the report's footer
OPTIONAL_INPUTS = (
    "by",
    "date",
    "dims",
    "outcome",
    "customer",
    "revenue",
    "transactions",
    "personas",
)


def given(inp: Inputs, name: str) -> bool:
    """Whether an optional input was given (a column name, a non-empty list, a table)."""
    value = getattr(inp, name)
    if value is None:
        return False
    if isinstance(value, (str, list, tuple)):
        return len(value) > 0
    return True


def section(
    key: str, *, needs: Sequence[str] = (), uses: Sequence[str] = (), before: str | None = None
):
    """Register a report section (a function ``Inputs -> Section | [Section] | None``).

    ``needs`` names the inputs it requires (it runs only when all were given); ``uses`` names
    optional inputs it reads when given (so they are not reported unused); ``before`` puts it
    ahead of an already registered section, else it goes last. Registering a key again
    replaces the earlier function in place.
    """

    def deco(fn: SectionFn) -> SectionFn:
        entry = (key, tuple(needs), tuple(uses), fn)
        for i, (k, *_) in enumerate(_REGISTRY):
            if k == key:
                _REGISTRY[i] = entry
                return fn
        pos = next((i for i, (k, *_) in enumerate(_REGISTRY) if k == before), None)
        if pos is None:
            _REGISTRY.append(entry)
        else:
            _REGISTRY.insert(pos, entry)
        return fn

    return deco


def sections() -> list[str]:
    """The keys of the registered sections, in report order."""
    return [k for k, *_ in _REGISTRY]


# ---------------------------------------------------------------------------------------------
# Built-in sections.


def _headline_result(inp: Inputs, metric: Metric, column: str) -> Any:
    key = f"result:{column}"
    if key not in inp.cache:
        inp.cache[key] = metric.compute(
            inp.cache[f"tally:{column}"], level=inp.level
        )  # tallies are built and checked once, in report()
    return inp.cache[key]


def _ci_text(metric: Metric, r: Any, level: float) -> str:
    return f"{round(100 * level)}% CI {metric.fmt_interval(r.interval.lower, r.interval.upper)}"


@section("headline")
def _headline(inp: Inputs) -> Section:
    items = [(inp.metric, inp.score)]
    for key, col in (("csat", inp.csat), ("ces", inp.ces)):
        if col is not None and col != inp.score:
            items.append((inp.metrics[key], col))
    tiles = []
    phrases = []
    for metric, col in items:
        r = _headline_result(inp, metric, col)
        tiles.append(
            (
                metric.name,
                metric.fmt(r.estimate),
                _ci_text(metric, r, inp.level),
                f"n = {r.n:,} ({metric.unit})",
            )
        )
        phrases.append((metric, r))
    metric, r = phrases[0]
    lead = (
        f"{metric.name} was {metric.fmt(r.estimate)}"
        + (" points" if metric.signed else "")
        + f" ({_ci_text(metric, r, inp.level)}) from {r.n:,} answers"
    )
    if metric.key == "nps":
        lead += (
            f": {100 * r.promoter_share:.1f}% promoters, {100 * r.passive_share:.1f}% passives"
            f" and {100 * r.detractor_share:.1f}% detractors"
        )
    rest = [
        f"{m.name} {m.fmt(x.estimate)} ({m.fmt_interval(x.interval.lower, x.interval.upper)})"
        for m, x in phrases[1:]
    ]
    reading = lead + ("; " + " and ".join(rest) if rest else "") + "."
    return Section("headline", "Headline", reading, tiles=tuple(tiles))


@section("distribution")
def _distribution(inp: Inputs) -> Section:
    import cxkit

    metric = inp.metric
    tally = inp.cache[f"tally:{inp.score}"]
    dist = cxkit.distribution(tally)
    scale = tally.scale
    top = cxkit.top_box(tally).estimate
    bottom = cxkit.bottom_box(tally).estimate
    colors = [
        _svg.RED
        if p.point <= scale.bottom_box_max
        else _svg.GREEN
        if p.point >= scale.top_box_min
        else _svg.CATEGORY_COLORS["passive"]
        for p in dist.points
    ]
    low, mid, high = metric.categories
    legend = [
        (low, _svg.RED),
        (mid, _svg.CATEGORY_COLORS["passive"]),
        (high, _svg.GREEN),
    ]
    hist = _svg.columns(
        [p.point for p in dist.points],
        [p.share for p in dist.points],
        colors,
        title=f"Distribution of {inp.score} answers (n = {dist.n:,})",
        x_label=f"answer ({scale.lowest}-{scale.highest}), n = {dist.n:,}",
        y_label="share of answers (%)",
        legend=legend,
    )
    middle = max(0.0, 1.0 - top - bottom)
    bar = _svg.stacked_bar(
        [
            (low.split(" (")[0], bottom, _svg.RED),
            (mid.split(" (")[0], middle, _svg.CATEGORY_COLORS["passive"]),
            (high.split(" (")[0], top, _svg.GREEN),
        ],
        title=f"{metric.name} categories (n = {dist.n:,})",
        caption=f"share of answers, n = {dist.n:,}",
    )
    mode = max(dist.points, key=lambda p: p.share)
    reading = (
        f"The most common answer was {mode.point} ({100 * mode.share:.1f}% of answers); "
        f"{100 * bottom:.1f}% answered {low.split(' (')[1][:-1]} ({low.split(' (')[0]}) and "
        f"{100 * top:.1f}% answered {high.split(' (')[1][:-1]} ({high.split(' (')[0]})."
    )
    note = f"{dist.missing:,} missing answers were left out." if dist.missing else ""
    return Section("distribution", "Distribution", reading, (bar, hist), note=note)


def _plain(v: Any) -> Any:
    """A table cell as a plain Python value (None for missing)."""
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    return v


def _records(table: Any) -> list[dict[str, Any]]:
    cols = {c: list(table[c]) for c in table.columns}
    n = len(next(iter(cols.values()), []))
    return [{c: _plain(v[i]) for c, v in cols.items()} for i in range(n)]


def _p_text(p: float | None) -> str:
    if p is None:
        return "n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _mark(row: dict[str, Any]) -> str:
    if row.get("too_small"):
        return "small"
    if row.get("significant"):
        return "above" if (row.get("diff_vs_rest") or 0) > 0 else "below"
    return "ns"


def segment_rows(table: Any, key_columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of a segment table as dicts with ``label`` and ``mark``, highest estimate first."""
    rows = []
    for r in _records(table):
        label = " / ".join(str(r[k]) for k in key_columns)
        rows.append({**r, "label": label, "mark": _mark(r)})
    rows.sort(key=lambda r: -(r["estimate"] if r["estimate"] is not None else -math.inf))
    return rows


def _name_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def segment_reading(
    metric: Metric, column: str, rows: list[dict[str, Any]], adjust: str, alpha: float
) -> str:
    """One sentence on which groups differ significantly from the rest."""
    adj = {"holm": "Holm-adjusted", "bh": "Benjamini-Hochberg-adjusted", "none": "unadjusted"}
    adj_word = adj.get(adjust, adjust)

    def describe(r: dict[str, Any]) -> str:
        return (
            f"{r['label']} ({metric.fmt(r['estimate'])}, {metric.fmt_diff(r['diff_vs_rest'])} "
            f"vs the rest, {_p_text(r['p_adj_vs_rest'])})"
        )

    above = [r for r in rows if r["mark"] == "above"]
    below = sorted((r for r in rows if r["mark"] == "below"), key=lambda r: r["estimate"])
    tested = [r for r in rows if r["mark"] != "small"]
    small = len(rows) - len(tested)
    parts = []
    if above:
        shown = [describe(r) for r in above[:3]] + (
            [f"{len(above) - 3} more"] if len(above) > 3 else []
        )
        verb = "is" if len(above) == 1 else "are"
        parts.append(f"{_name_list(shown)} {verb} significantly above the rest")
    if below:
        shown = [describe(r) for r in below[:3]] + (
            [f"{len(below) - 3} more"] if len(below) > 3 else []
        )
        verb = "is" if len(below) == 1 else "are"
        parts.append(f"{_name_list(shown)} {verb} significantly below")
    others = len(tested) - len(above) - len(below)
    if parts:
        text = f"By {column}, " + "; ".join(parts)
        if others:
            text += (
                f"; the other {others} "
                + ("does" if others == 1 else "do")
                + " not differ significantly"
            )
    else:
        est = [r for r in rows if r["estimate"] is not None]
        text = (
            f"By {column}, no group differs significantly from the rest"
            if tested
            else f"By {column}, no group has enough answers to be tested"
        )
        if len(est) >= 2:
            text += (
                f"; {metric.name} ranges from {metric.fmt(est[-1]['estimate'])} "
                f"({est[-1]['label']}) to {metric.fmt(est[0]['estimate'])} ({est[0]['label']})"
            )
    if tested:
        text += f" ({adj_word} tests at the {100 * alpha:g}% level)"
    if small and tested:
        text += (
            f"; {small} group{'s' if small > 1 else ''} with fewer answers than the minimum "
            "base " + ("was" if small == 1 else "were") + " not tested"
        )
    return text + "."


def _table_html(
    headers: Sequence[str], rows: Sequence[Sequence[str]], classes: Sequence[str] = ()
) -> str:
    h = ["<table class='cx-table'><thead><tr>"]
    h += [f"<th>{escape(x)}</th>" for x in headers]
    h.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        cls = f" class='{classes[i]}'" if i < len(classes) and classes[i] else ""
        h.append(f"<tr{cls}>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
    h.append("</tbody></table>")
    return "".join(h)


@section("segments", needs=("by",))
def _segments(inp: Inputs) -> list[Section]:
    metric = inp.metric
    overall = _headline_result(inp, metric, inp.score)
    out = []
    for col in inp.by:
        table = metric.by(
            inp.data,
            inp.score,
            col,
            weights=inp.weights,
            level=inp.level,
            alpha=inp.alpha,
            adjust=inp.adjust,
            min_base=inp.min_base,
        )
        rows = segment_rows(table, [col])
        chart = _svg.dot_whisker(
            rows,
            title=f"{metric.name} by {col}",
            x_label=(
                f"{metric.name} ({metric.unit}) with {round(100 * inp.level)}% CI; "
                f"dashed: all answers ({metric.fmt(overall.estimate)}, n = {overall.n:,})"
            ),
            percent=metric.percent,
            signed=metric.signed,
            ref=overall.estimate,
        )
        body = [
            [
                r["label"],
                metric.fmt(r["estimate"]),
                metric.fmt_interval(r["lower"], r["upper"]) if r["lower"] is not None else "",
                f"{r['n']:,}",
                metric.fmt_diff(r["diff_vs_rest"]) if r["diff_vs_rest"] is not None else "",
                _p_text(r["p_adj_vs_rest"]) if r["p_adj_vs_rest"] is not None else "untested",
            ]
            for r in rows
        ]
        table_html = _table_html(
            [col, metric.name, f"{round(100 * inp.level)}% CI", "n", "vs rest", "adj. p"],
            body,
            [f"cx-{r['mark']}" for r in rows],
        )
        out.append(
            Section(
                f"segments-{col}",
                f"{metric.name} by {col}",
                segment_reading(metric, col, rows, inp.adjust, inp.alpha),
                (chart,),
                table_html,
                note=(
                    f"Each {col} is compared with all other answers (Wald z-test"
                    + (", Welch's t" if metric.key == "ces" else "")
                    + f"); p-values adjusted across the {col} groups ({inp.adjust}); groups "
                    f"under {inp.min_base} answers are shown but not tested."
                ),
            )
        )
    return out


def _window_comparison(
    inp: Inputs, codes: np.ndarray, n_periods: int, labels: list[str], k: int
) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """The metric in the last k periods against the first k (the later group vs the rest)."""
    # 0 = the first k periods, 1 = the last k, -1 = neither (or no date); integer keys go
    # straight to the core, with no pass over the rows in Python
    which = np.full(len(codes), -1, dtype=np.int8)
    which[codes < k] = 0
    which[(codes >= n_periods - k) & (codes < n_periods)] = 1
    keep = which >= 0
    if not keep.any():
        return None
    values = inp.column(inp.score).to_numpy()[keep]
    weights = None if inp.weights is None else inp.data[inp.weights].to_numpy()[keep]
    table = inp.metric.by(
        values, by=which[keep], weights=weights, level=inp.level, min_base=inp.min_base
    )
    recs = {r["group"]: r for r in _records(table)}
    if 0 not in recs or 1 not in recs:
        return None
    span = (
        (labels[0], labels[k - 1], labels[n_periods - k], labels[n_periods - 1])
        if k > 1
        else (labels[0], labels[0], labels[-1], labels[-1])
    )
    first = span[0] if k == 1 else f"{span[0]} to {span[1]}"
    last = span[2] if k == 1 else f"{span[2]} to {span[3]}"
    return f"{first}|{last}", recs[0], recs[1]


_FREQ_WORD = {"D": "daily", "W": "weekly", "M": "monthly", "Q": "quarterly", "Y": "yearly"}


@section("trend", needs=("date",))
def _trend(inp: Inputs) -> Section | None:
    metric = inp.metric
    date = inp.date
    assert date is not None
    days = inp.cache["days"]
    codes, n_periods, labels, _, missing_dates = _cxkit._periods(days, inp.freq)
    if n_periods == 0:
        return None  # no row has a date
    window = inp.window if n_periods >= 2 * inp.window else None
    table = metric.by(
        inp.data,
        inp.score,
        period=date,
        freq=inp.freq,
        window=window,
        weights=inp.weights,
        level=inp.level,
        alpha=inp.alpha,
        adjust=inp.adjust,
        min_base=inp.min_base,
    )
    recs = _records(table)
    x = [r[date] for r in recs]
    series = [
        {
            "name": f"{_FREQ_WORD.get(inp.freq.upper()[:1], 'per period')} {metric.name} "
            f"with {round(100 * inp.level)}% CI",
            "values": [r["estimate"] for r in recs],
            "lower": [r["lower"] for r in recs],
            "upper": [r["upper"] for r in recs],
        }
    ]
    if window:
        series.append(
            {
                "name": f"rolling {window} periods",
                "values": [r.get("rolling_estimate") for r in recs],
                "color": _svg.INK,
                "dashed": True,
            }
        )
    n_total = sum(r["n"] for r in recs)
    chart = _svg.line_band(
        x,
        series,
        title=f"{metric.name} by {date} ({inp.freq})",
        y_label=f"{metric.name} ({metric.unit})",
        x_label=f"{date}, n = {n_total:,} answers",
        percent=metric.percent,
        signed=metric.signed,
    )
    k = inp.window if n_periods >= 2 * inp.window else 1
    reading = (
        f"{metric.name} was {metric.fmt(recs[0]['estimate'])} in {labels[0]}, the only period "
        "in the data."
    )
    if n_periods >= 2:
        cmp = _window_comparison(inp, np.asarray(codes), n_periods, labels, k)
        if cmp is not None:
            spans, early, late = cmp
            first, last = spans.split("|")
            diff = late["diff_vs_rest"]
            if diff is None:
                reading = (
                    f"{metric.name} was {metric.fmt(early['estimate'])} in {first} and "
                    f"{metric.fmt(late['estimate'])} in {last}; too few answers to test the "
                    "change."
                )
            else:
                sig = (late["p_vs_rest"] or 1.0) < inp.alpha
                verb = "rose" if diff > 0 else "fell"
                reading = (
                    f"{metric.name} {verb if sig else 'moved'} from "
                    f"{metric.fmt(early['estimate'])} in {first} to "
                    f"{metric.fmt(late['estimate'])} in {last}, a change of "
                    f"{metric.fmt_diff(diff)} ({round(100 * inp.level)}% CI "
                    f"{metric.fmt_diff_interval(late['lower_vs_rest'], late['upper_vs_rest'])}"
                    f", {_p_text(late['p_vs_rest'])})"
                    + (
                        " that is statistically significant."
                        if sig
                        else " that is within the noise (not significant)."
                    )
                )
    note = (
        f"Periods: {inp.freq} (calendar). The change compares the first and last "
        f"{k} period{'s' if k > 1 else ''} with a two-sample test."
        + (f" {missing_dates:,} rows without a date were left out." if missing_dates else "")
    )
    return Section("trend", f"{metric.name} over time", reading, (chart,), note=note)


# ---------------------------------------------------------------------------------------------
# The report object and the page.


CSS = (
    """
.cxkit-report{font-family:FONT;color:#1f2933;max-width:860px;margin:0 auto;padding:8px 20px 32px;
 line-height:1.45;background:#fff}
.cxkit-report h1{font-size:1.7em;margin:0.4em 0 0.1em}
.cxkit-report .cx-sub{color:#6b7785;margin:0 0 1.2em}
.cxkit-report h2{font-size:1.2em;margin:1.6em 0 0.3em;padding-top:0.6em;border-top:1px solid #e3e7ec}
.cxkit-report .cx-reading{font-size:1.05em;margin:0.2em 0 0.8em}
.cxkit-report figure{margin:0.4em 0 0.8em}
.cxkit-report .cx-tiles{display:flex;flex-wrap:wrap;gap:12px;margin:0.6em 0}
.cxkit-report .cx-tile{flex:1 1 200px;border:1px solid #e3e7ec;border-radius:8px;padding:10px 14px}
.cxkit-report .cx-tile .cx-name{color:#6b7785;font-size:0.9em}
.cxkit-report .cx-tile .cx-value{font-size:2em;font-weight:650;line-height:1.2}
.cxkit-report .cx-tile .cx-ci,.cxkit-report .cx-tile .cx-base{color:#6b7785;font-size:0.85em}
.cxkit-report .cx-table{border-collapse:collapse;font-size:0.88em;margin:0.4em 0}
.cxkit-report .cx-table th,.cxkit-report .cx-table td{padding:3px 10px;text-align:right;
 border-bottom:1px solid #eef1f4}
.cxkit-report .cx-table th:first-child,.cxkit-report .cx-table td:first-child{text-align:left}
.cxkit-report .cx-table tr.cx-above td:first-child{border-left:3px solid #1a9850}
.cxkit-report .cx-table tr.cx-below td:first-child{border-left:3px solid #d73027}
.cxkit-report .cx-table tr.cx-small td{color:#9aa5b1}
.cxkit-report .cx-note{color:#6b7785;font-size:0.85em;margin:0.2em 0}
.cxkit-report details summary{cursor:pointer;color:#2f6db5;font-size:0.9em}
.cxkit-report footer{margin-top:2em;color:#6b7785;font-size:0.82em;border-top:1px solid #e3e7ec;
 padding-top:0.6em}
"""
).replace("FONT", _svg.FONT)


class Report:
    """A customer-experience report: sections with readings and charts, rendered as HTML.

    ``to_html(path)`` writes one self-contained file (inline SVG and CSS; no script, font or
    network request) and returns its text; in Jupyter the report shows itself inline.
    """

    def __init__(self, title: str, subtitle: str, sections: list[Section], footer: str):
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
        self.footer = footer

    def __repr__(self) -> str:
        keys = ", ".join(s.key for s in self.sections)
        return f"Report({self.title!r}, sections=[{keys}])"

    def __getitem__(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    @property
    def readings(self) -> dict[str, str]:
        """The one-sentence reading of each section, by section key."""
        return {s.key: s.reading for s in self.sections}

    def _body(self) -> str:
        h = [
            "<div class='cxkit-report'>",
            f"<h1>{escape(self.title)}</h1>",
            f"<p class='cx-sub'>{escape(self.subtitle)}</p>",
        ]
        for s in self.sections:
            h.append(f"<section id='cx-{escape(s.key)}'>")
            if s.key != "headline":
                h.append(f"<h2>{escape(s.title)}</h2>")
            if s.tiles:
                h.append("<div class='cx-tiles'>")
                for name, value, ci, base in s.tiles:
                    h.append(
                        f"<div class='cx-tile'><div class='cx-name'>{escape(name)}</div>"
                        f"<div class='cx-value'>{escape(value)}</div>"
                        f"<div class='cx-ci'>{escape(ci)}</div>"
                        f"<div class='cx-base'>{escape(base)}</div></div>"
                    )
                h.append("</div>")
            h.append(f"<p class='cx-reading'>{escape(s.reading)}</p>")
            for chart in s.charts:
                h.append(f"<figure>{chart}</figure>")
            if s.table:
                h.append(f"<details><summary>Table</summary>{s.table}</details>")
            if s.note:
                h.append(f"<p class='cx-note'>{escape(s.note)}</p>")
            h.append("</section>")
        h.append(f"<footer>{escape(self.footer)}</footer></div>")
        return "".join(h)

    def _repr_html_(self) -> str:
        return f"<style>{CSS}</style>{self._body()}"

    def to_html(self, path: str | Path | None = None) -> str:
        """The report as one self-contained HTML document; written to ``path`` when given."""
        doc = (
            "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(self.title)}</title><style>{CSS}"
            "body{margin:0;background:#fff}</style></head>"
            f"<body>{self._body()}</body></html>\n"
        )
        if path is not None:
            Path(path).write_text(doc, encoding="utf-8")
        return doc


def _not_numeric(df: Any, column: str) -> ValueError | None:
    """An error naming the first cell of ``column`` that is neither a number nor missing."""
    import pandas as pd

    values = df[column]
    if values.dtype.kind in "biuf":
        return None
    numbers = pd.to_numeric(values, errors="coerce")
    bad = np.flatnonzero(numbers.isna().to_numpy() & values.notna().to_numpy())
    if not len(bad):
        return None
    i = int(bad[0])
    exc = ValueError(f"value {values.iloc[i]!r} at index {i} is not a number")
    exc.column, exc.index, exc.value = column, i, values.iloc[i]  # type: ignore[attr-defined]
    return exc


def rating_tally(df: Any, column: str, scale: Any, weights: Any = None) -> Any:
    """The tally of a rating column of a pandas DataFrame; errors name the column.

    A value off the scale raises the cxkit error with ``column`` set on it; a cell that is not
    a number raises ``ValueError`` with ``column``, ``index`` and ``value``.
    """
    bad = _not_numeric(df, column)
    if bad is not None:
        raise bad
    try:
        return _cxkit.Tally.from_values(df[column], scale=scale, weights=weights)
    except _cxkit.CxError as exc:
        exc.column = column
        raise


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _to_pandas(data: Any) -> Any:
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    if type(data).__module__.split(".")[0] == "polars":
        return data.to_pandas()
    if isinstance(data, dict):
        return pd.DataFrame(data)
    raise TypeError(f"report() takes a pandas or polars DataFrame, not {type(data).__name__}")


def report(
    data: Any,
    score: str = "nps",
    by: str | Sequence[str] | None = None,
    date: str | None = None,
    dims: str | Sequence[str] | None = None,
    outcome: str | None = None,
    customer: str | None = None,
    revenue: str | None = None,
    *,
    transactions: Any = None,
    transactions_date: str | None = None,
    personas: bool | str | Sequence[str] | None = None,
    metric: str = "nps",
    csat: str | None = "auto",
    ces: str | None = "auto",
    weights: str | None = None,
    freq: str = "M",
    window: int = 3,
    level: float = 0.95,
    alpha: float = 0.05,
    adjust: str = "holm",
    min_base: int = 30,
    title: str | None = None,
    source: str | None = None,
) -> Report:
    """A customer-experience report with the sections the inputs allow.

    Parameters
    ----------
    data : a pandas or polars DataFrame, one row per response.
    score : the main rating column (``metric`` says what it is: 'nps' 0-10, 'csat' 1-5 or
        'ces' 1-7).
    by : key columns (a list, or one comma-separated string): one segment section each, every
        group tested against the rest.
    date : a date column: a trend section by ``freq`` ('D', 'W', 'M', 'Q', 'Y') with a rolling
        ``window``, and the change from the first to the last ``window`` periods.
    dims : CX dimension columns (1-5 ratings, e.g. effectiveness, ease, emotion): the CX index
        by dimension with its quality bands (and by each ``by`` column).
    outcome : a 0/1 loyalty outcome column (retained, bought more): the loyalty lift of top-box
        over bottom-box answers of ``score`` (promoters vs detractors) and the loyalty curve;
        with ``dims`` too, the key drivers of the outcome (LMG shares of R²).
    transactions : a transaction log (pandas or polars DataFrame, one row per purchase) with
        the columns ``customer`` (default 'customer_id'), ``transactions_date`` (default: the
        ``date`` argument when the log has that column, else 'date') and ``revenue`` (default
        'revenue'): retention per period, NRR/GRR, new-vs-existing revenue and the cohort
        retention triangle.
    customer, revenue : the customer id and revenue columns of ``transactions``.
    personas : feature columns for a personas section (a list, or one comma-separated string),
        or True for the defaults. With ``transactions`` (and the ``customer`` column in both
        tables) the personas are found among customers, on ``cxkit.customer_view`` of the
        survey and the log: a feature names a customer-view column or a survey rating (its
        per-customer mean); the defaults are the latest ``score``, the mean of each ``dims``
        column, ``recency_days``, ``frequency`` and ``revenue``. Without a log they are found
        among responses, on the named columns (default ``score`` and ``dims``). k from 2 to 6
        by silhouette, seed 0: the same numbers as ``cxkit.personas`` on that table.
    csat, ces : extra rating columns for the headline; 'auto' takes a column named 'csat' /
        'ces' when there is one, None leaves it out.
    weights : a respondent weight column.
    level, alpha, adjust, min_base : confidence level, significance level, p-value adjustment
        across groups ('holm', 'bh', 'none') and the minimum base for a test.

    Raises
    ------
    ColumnNotFoundError (a KeyError) for a column that is not in the data; the cxkit errors
    for values that are not on the scale, with ``column`` set on the exception to the column.

    >>> import pandas as pd, cxkit
    >>> df = pd.DataFrame({"nps": [10, 9, 7, 3, 10, 6] * 10, "region": ["a", "b"] * 30})
    >>> r = cxkit.report(df, score="nps", by="region")
    >>> [s.key for s in r.sections]
    ['headline', 'distribution', 'segments-region']
    >>> r.readings["headline"][:20]
    'NPS was +16.7 points'
    >>> html = r.to_html()  # or r.to_html("report.html") to write the file
    """
    metrics = _metrics()
    if metric not in metrics:
        _cxkit._invalid_argument("argument", repr(metric), "'nps', 'csat' or 'ces'")
    df = _to_pandas(data)
    columns = [str(c) for c in df.columns]

    def need(name: str | None, role: str) -> None:
        if name is not None and name not in df.columns:
            raise ColumnNotFoundError(name, role, columns)

    by_cols = _as_list(by)
    dim_cols = _as_list(dims)
    need(score, "score")
    for c in by_cols:
        need(c, "by")
    for c in dim_cols:
        need(c, "dims")
    for name, role in (
        (date, "date"),
        (outcome, "outcome"),
        (weights, "weights"),
    ):
        need(name, role)
    tx = None
    if transactions is not None:
        tx = _to_pandas(transactions)
        tx_columns = [str(c) for c in tx.columns]
        if transactions_date is None:
            transactions_date = date if date is not None and date in tx.columns else "date"
        customer = customer or "customer_id"
        revenue = revenue or "revenue"
        for name, role in (
            (customer, "customer"),
            (transactions_date, "transactions_date"),
            (revenue, "revenue"),
        ):
            if name not in tx.columns:
                raise ColumnNotFoundError(name, role, tx_columns, where="the transactions")
    else:
        for name, role in ((customer, "customer"), (revenue, "revenue")):
            need(name, role)
    extra = {}
    for key, col in (("csat", csat), ("ces", ces)):
        if col == "auto":
            col = key if key in df.columns and key != score else None
        need(col, key)
        extra[key] = col

    inp = Inputs(
        data=df,
        score=score,
        metric=metrics[metric],
        by=by_cols,
        date=date,
        dims=dim_cols,
        outcome=outcome,
        customer=customer,
        revenue=revenue,
        csat=extra["csat"],
        ces=extra["ces"],
        weights=weights,
        freq=freq,
        window=window,
        level=level,
        alpha=alpha,
        adjust=adjust,
        min_base=min_base,
        metrics=metrics,
        transactions=tx,
        transactions_date=transactions_date if tx is not None else None,
        personas=True if personas is True else (_as_list(personas or None) or None),
    )
    # Check every rating column once (an out-of-scale value names its column and row) and keep
    # its tally for the sections.
    rating_columns = [(score, metrics[metric].scale)]
    rating_columns += [(c, k) for k, c in extra.items() if c is not None]
    w = None if weights is None else df[weights]
    for col, scale in rating_columns:
        inp.cache[f"tally:{col}"] = rating_tally(df, col, scale, w)
    for col in [*dim_cols, *([outcome] if outcome is not None else [])]:
        bad = _not_numeric(df, col)
        if bad is not None:
            raise bad
    if date is not None:
        try:
            inp.cache["days"] = _by._days(df[date])
        except TypeError as exc:
            first = str(exc).strip().splitlines()[0].split(" You might want")[0]
            raise ValueError(f"column {date!r} (date=): {first}") from None

    produced: list[Section] = []
    used: set[str] = set()
    for _key, needs, uses, fn in _REGISTRY:
        if not all(given(inp, n) for n in needs):
            continue
        result = fn(inp)
        if result is None:
            continue
        items = [result] if isinstance(result, Section) else list(result)
        if items:
            used.update(needs)
            used.update(uses)
            produced.extend(items)

    unused = [n for n in OPTIONAL_INPUTS if given(inp, n) and n not in used]
    import cxkit

    rows = len(df)
    subtitle = f"{source or 'DataFrame'}: {rows:,} responses"
    if date is not None and rows:
        d = inp.cache["days"]
        d = d[d != _by._NAT]
        if len(d):
            lo = datetime.date(1970, 1, 1) + datetime.timedelta(days=int(d.min()))
            hi = datetime.date(1970, 1, 1) + datetime.timedelta(days=int(d.max()))
            subtitle += f", {lo.isoformat()} to {hi.isoformat()}"
    if weights:
        subtitle += f", weighted by {weights}"
    footer = (
        f"Made with cxkit {cxkit.__version__}. Intervals: adjusted Wald for NPS (Rocks 2016), "
        "Wilson for shares (Wilson 1927), Student t for means; group tests against the rest "
        f"with {adjust} adjustment. Missing answers are left out and counted."
    )
    if unused:
        footer += (
            " Inputs given but not used (no section of this version uses them, or the data "
            "did not allow one): " + ", ".join(f"{n}=" for n in unused) + "."
        )
    return Report(title or f"Customer experience report: {score}", subtitle, produced, footer)
