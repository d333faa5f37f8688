"""Report sections of the CX index, loyalty, key drivers and retention (``cxkit.report``).

Each section is one function registered with :func:`cxkit._report.section`; it runs only when
its inputs were given (``dims``, ``outcome``, ``dims`` + ``outcome``, ``transactions``) and
takes every number from the public cxkit functions (``cx_index``, ``loyalty_lift``,
``loyalty_curve``, ``key_drivers``, ``retention``, ``cohorts``), so the report shows exactly
what the in-memory API returns. Charts are inline SVG (:mod:`cxkit._svg`).
"""

from __future__ import annotations

import math
from typing import Any

from cxkit import _svg
from cxkit._report import (
    Inputs,
    Metric,
    Section,
    _name_list,
    _p_text,
    _records,
    _signed,
    _table_html,
    section,
    segment_reading,
    segment_rows,
)

__all__: list[str] = []

BANDS = _svg.DEFAULT_BANDS


def _ci(level: float) -> str:
    return f"{round(100 * level)}% CI"


def _pts(v: float | None) -> str:
    return "n/a" if v is None or not math.isfinite(v) else f"{v:.1f}"


def _pct(v: float | None, digits: int = 1) -> str:
    return "n/a" if v is None or not math.isfinite(v) else f"{100 * v:.{digits}f}%"


def band_ranges(method: str) -> list[tuple[str, float, float]]:
    """The five quality bands as (label, low, high) over the method's range."""
    return _svg.band_ranges(BANDS, -100.0 if method == "net" else 0.0, 100.0)


def _cx_metric(method: str) -> Metric:
    import cxkit

    return Metric(
        "cx_index",
        "CX index",
        "CX index",
        "agreement",
        f"{method} score, points {_signed(-100, 0) if method == 'net' else '0'} to 100",
        False,
        True,
        ("", "", ""),
        cxkit.cx_index,
        cxkit.cx_index_by,
    )


# ---------------------------------------------------------------------------------------------
# CX index


def cx_index_result(inp: Inputs) -> Any:
    import cxkit

    if "cx_index" not in inp.cache:
        try:
            inp.cache["cx_index"] = cxkit.cx_index(
                inp.data, dims=inp.dims, weights=inp.weights, level=inp.level
            )
        except cxkit.CxError as exc:
            _name_dimension(inp, exc)
            raise
    return inp.cache["cx_index"]


def _name_dimension(inp: Inputs, exc: Exception) -> None:
    """Set ``column`` on an error about one answer: the first dimension holding its value at
    its row (the core names the row and value, not the dimension)."""
    index, value = getattr(exc, "index", None), getattr(exc, "value", None)
    if not isinstance(index, int) or value is None or index >= len(inp.data):
        return
    for col in inp.dims:
        cell = inp.data[col].iloc[index]
        try:
            if float(cell) == float(value):
                exc.column = col  # type: ignore[attr-defined]
                return
        except (TypeError, ValueError):
            continue


@section("cx_index", needs=("dims",))
def _cx_index(inp: Inputs) -> list[Section]:
    import cxkit

    r = cx_index_result(inp)
    ci = _ci(inp.level)
    rows = [
        {
            "label": d.name,
            "estimate": d.estimate,
            "lower": d.interval.lower,
            "upper": d.interval.upper,
            "n": d.n,
            "mark": "plain",
        }
        for d in r.dimensions
    ]
    rows.append(
        {
            "label": "CX index",
            "estimate": r.estimate,
            "lower": r.interval.lower,
            "upper": r.interval.upper,
            "n": r.n,
            "mark": "plain",
        }
    )
    bands = band_ranges(r.method)
    # zoom in on the upper range where the bands are, unless the scores are below it
    lowest = min(x["lower"] for x in rows if x["lower"] is not None and math.isfinite(x["lower"]))
    start = max(bands[0][1], min(BANDS[0] - 10.0, math.floor((lowest - 2.0) / 10.0) * 10.0))
    chart = _svg.dot_whisker(
        rows,
        title=f"CX index by dimension (n = {r.n:,})",
        x_label=f"CX index ({r.method} score, index points) with {ci}; shaded: quality bands",
        bands=[(b[0], max(b[1], start), b[2]) for b in bands],
        domain=(start, bands[-1][2]),
        legend=False,
    )
    weakest = r.dimension(r.weakest)
    reading = (
        f"The CX index was {_pts(r.estimate)} points ({ci} {_pts(r.interval.lower)} to "
        f"{_pts(r.interval.upper)}, {r.band}) from {r.n:,} respondents; {weakest.name} was the "
        f"weakest dimension at {_pts(weakest.estimate)} ({ci} {_pts(weakest.interval.lower)} "
        f"to {_pts(weakest.interval.upper)}, {weakest.band})."
    )
    table = _table_html(
        ["dimension", "score", ci, "band", "top box", "bottom box", "n"],
        [
            [
                d.name,
                _pts(d.estimate),
                f"{_pts(d.interval.lower)} to {_pts(d.interval.upper)}",
                d.band,
                _pct(d.top_share),
                _pct(d.bottom_share),
                f"{d.n:,}",
            ]
            for d in r.dimensions
        ]
        + [
            [
                "CX index",
                _pts(r.estimate),
                f"{_pts(r.interval.lower)} to {_pts(r.interval.upper)}",
                r.band,
                "",
                "",
                f"{r.n:,}",
            ]
        ],
    )
    note = (
        f"Net score per dimension: top-2-box share minus bottom-2-box share of the 1-5 answers "
        f"(Forrester's CX Index), the index their equal-weight average; delta-method intervals. "
        f"Bands: very poor below {BANDS[0]:g}, poor to {BANDS[1]:g}, okay to {BANDS[2]:g}, good "
        f"to {BANDS[3]:g}, excellent above (cxkit's default cut-offs)."
        if r.method == "net"
        else "Mean score per dimension rescaled to 0-100; delta-method intervals."
    )
    out = [Section("cx_index", "CX index", reading, (chart,), table, note=note)]
    metric = _cx_metric(r.method)
    for col in inp.by:
        seg = cxkit.cx_index_by(
            inp.data,
            dims=inp.dims,
            by=col,
            weights=inp.weights,
            level=inp.level,
            alpha=inp.alpha,
            adjust=inp.adjust,
            min_base=inp.min_base,
        )
        srows = segment_rows(seg, [col])
        seg_chart = _svg.dot_whisker(
            srows,
            title=f"CX index by {col}",
            x_label=(
                f"CX index (index points) with {ci}; dashed: all respondents "
                f"({_pts(r.estimate)}, n = {r.n:,})"
            ),
            signed=True,
            ref=r.estimate,
        )
        body = [
            [
                row["label"],
                _pts(row["estimate"]),
                f"{_pts(row['lower'])} to {_pts(row['upper'])}",
                str(row.get("band") or ""),
                str(row.get("weakest") or ""),
                f"{row['n']:,}",
                metric.fmt_diff(row["diff_vs_rest"]) if row["diff_vs_rest"] is not None else "",
                _p_text(row["p_adj_vs_rest"]) if row["p_adj_vs_rest"] is not None else "untested",
            ]
            for row in srows
        ]
        out.append(
            Section(
                f"cx_index-{col}",
                f"CX index by {col}",
                segment_reading(metric, col, srows, inp.adjust, inp.alpha),
                (seg_chart,),
                _table_html(
                    [col, "CX index", ci, "band", "weakest", "n", "vs rest", "adj. p"],
                    body,
                    [f"cx-{row['mark']}" for row in srows],
                ),
                note=(
                    f"Each {col} is compared with all other respondents (z-test on the "
                    f"delta-method standard errors); p-values adjusted across the {col} groups "
                    f"({inp.adjust})."
                ),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Loyalty lift and curve


_GROUPS = {
    "nps": ("promoters", "detractors"),
    "csat": ("satisfied customers", "dissatisfied customers"),
    "ces": ("customers who found it easy", "customers who found it difficult"),
}


def _outcome_word(outcome: str) -> str:
    return outcome.replace("_", " ")


def loyalty_results(inp: Inputs) -> tuple[Any, Any]:
    """The lift (top box vs bottom box of the score) and the curve, as the API returns them."""
    import cxkit

    if "loyalty" not in inp.cache:
        scale = inp.metric.scale
        try:
            lift, curve = _loyalty_results(inp, scale)
        except cxkit.CxError as exc:
            # the score was checked in report(): an off-scale value is the outcome's
            if getattr(exc, "column", None) is None:
                exc.column = inp.outcome  # type: ignore[attr-defined]
            raise
        inp.cache["loyalty"] = (lift, curve)
    return inp.cache["loyalty"]


def _loyalty_results(inp: Inputs, scale: str) -> tuple[Any, Any]:
    import cxkit

    lift = cxkit.loyalty_lift(
        inp.data,
        outcome=inp.outcome,
        exposure="top_box",
        reference="bottom_box",
        score=inp.score,
        scale=scale,
        weights=inp.weights,
        level=inp.level,
    )
    curve = cxkit.loyalty_curve(
        inp.data,
        score=inp.score,
        outcome=inp.outcome,
        scale=scale,
        weights=inp.weights,
        level=inp.level,
    )
    return lift, curve


@section("loyalty", needs=("outcome",))
def _loyalty(inp: Inputs) -> Section:
    lift, curve = loyalty_results(inp)
    outcome = inp.outcome
    assert outcome is not None
    word = _outcome_word(outcome)
    ci = _ci(inp.level)
    top, bottom = _GROUPS.get(inp.metric.key, ("top-box answers", "bottom-box answers"))
    low, _, high = inp.metric.categories
    top_label = f"{top} ({high.split(' (')[1][:-1]})"
    bottom_label = f"{bottom} ({low.split(' (')[1][:-1]})"
    rr, rd = lift.risk_ratio, lift.risk_difference
    lift_chart = _svg.dot_whisker(
        [
            {
                "label": top_label,
                "estimate": lift.exposed.estimate,
                "lower": lift.exposed.interval.lower,
                "upper": lift.exposed.interval.upper,
                "n": lift.exposed.n,
                "mark": "plain",
            },
            {
                "label": bottom_label,
                "estimate": lift.reference.estimate,
                "lower": lift.reference.interval.lower,
                "upper": lift.reference.interval.upper,
                "n": lift.reference.n,
                "mark": "plain",
            },
        ],
        title=f"{word} rate of {top} and {bottom}",
        x_label=f"{word} rate with {ci} (Wilson)",
        percent=True,
        domain=(0.0, 1.0),
        legend=False,
    )
    curve_chart = _svg.loyalty_curve(curve, outcome=word, level=inp.level)
    sig = rr.interval.lower > 1 or rr.interval.upper < 1
    reading = (
        f"{top.capitalize()} were {rr.estimate:.2f}x ({ci} {rr.interval.lower:.2f} to "
        f"{rr.interval.upper:.2f}) as likely to be {word} as {bottom} "
        f"({_pct(lift.exposed.estimate)} vs {_pct(lift.reference.estimate)}, a difference of "
        f"{_signed(100 * rd.estimate, 1)} percentage points, {ci} "
        f"{_signed(100 * rd.interval.lower, 1)} to {_signed(100 * rd.interval.upper, 1)}"
        f"{', ' + _p_text(rd.p_value) if sig else ''})"
        + ("." if sig else "; the difference is not statistically significant.")
    )
    recs = [r for r in _records(curve) if r["rate"] is not None]
    if len(recs) >= 2:
        best = max(recs, key=lambda r: r["rate"])
        worst = min(recs, key=lambda r: r["rate"])
        curve_reading = (
            f" The {word} rate ranges from {_pct(worst['rate'])} of those answering "
            f"{worst['point']} to {_pct(best['rate'])} of those answering {best['point']}."
        )
    else:
        curve_reading = ""
    table = _table_html(
        ["measure", "estimate", ci, "p"],
        [
            [
                f"{word} rate, {top_label}",
                _pct(lift.exposed.estimate),
                f"{_pct(lift.exposed.interval.lower)} to {_pct(lift.exposed.interval.upper)}",
                "",
            ],
            [
                f"{word} rate, {bottom_label}",
                _pct(lift.reference.estimate),
                f"{_pct(lift.reference.interval.lower)} to {_pct(lift.reference.interval.upper)}",
                "",
            ],
            [
                "risk ratio (RR)",
                f"{rr.estimate:.2f}",
                f"{rr.interval.lower:.2f} to {rr.interval.upper:.2f}",
                _p_text(rr.p_value),
            ],
            [
                "risk difference (RD, points)",
                _signed(100 * rd.estimate, 1),
                f"{_signed(100 * rd.interval.lower, 1)} to {_signed(100 * rd.interval.upper, 1)}",
                _p_text(rd.p_value),
            ],
            [
                "odds ratio (OR)",
                f"{lift.odds_ratio.estimate:.2f}",
                f"{lift.odds_ratio.interval.lower:.2f} to {lift.odds_ratio.interval.upper:.2f}",
                _p_text(lift.odds_ratio.p_value),
            ],
        ],
    )
    note = (
        f"{word} is the 0/1 column {outcome!r}. Rates: Wilson intervals; RR: Katz log interval; "
        "RD: Newcombe hybrid score interval; OR: Woolf logit interval. The curve shows the "
        f"{word} rate at every answer of {inp.score} with its {ci}."
    )
    return Section(
        "loyalty",
        f"Loyalty: {word}",
        reading + curve_reading,
        (lift_chart, curve_chart),
        table,
        note=note,
    )


# ---------------------------------------------------------------------------------------------
# Key drivers


def key_driver_table(inp: Inputs) -> Any:
    import cxkit

    if "key_drivers" not in inp.cache:
        inp.cache["key_drivers"] = cxkit.key_drivers(
            inp.data,
            drivers=inp.dims,
            outcome=inp.outcome,
            weights=inp.weights,
            level=inp.level,
            resamples=200,
            seed=0,
        )
    return inp.cache["key_drivers"]


@section("key_drivers", needs=("dims", "outcome"))
def _key_drivers(inp: Inputs) -> Section:
    table = key_driver_table(inp)
    recs = sorted(_records(table), key=lambda r: -(r["lmg_share"] or 0.0))
    word = _outcome_word(inp.outcome or "outcome")
    ci = _ci(inp.level)
    r2 = table.attrs.get("r_squared", math.nan)
    chart = _svg.hbars(
        [r["driver"] for r in recs],
        [r["lmg_share"] for r in recs],
        title=f"Key drivers of {word} (n = {int(table.attrs.get('n', 0)):,})",
        x_label=f"share of the explained variance of {word} (LMG, R\u00b2 = {r2:.3f}) with {ci}",
        lower=[_nan(r["lmg_share_lower"]) for r in recs],
        upper=[_nan(r["lmg_share_upper"]) for r in recs],
        sort=False,
    )
    first = recs[0]
    rest = [f"{r['driver']} ({_pct(r['lmg_share'], 0)})" for r in recs[1:]]
    interval = (
        f", {ci} {_pct(first['lmg_share_lower'], 0)} to {_pct(first['lmg_share_upper'], 0)}"
        if first["lmg_share_lower"] is not None
        else ""
    )
    reading = (
        f"{first['driver'].capitalize()} explains the largest share of the variance in {word} "
        f"({_pct(first['lmg_share'], 0)} of the explained variance{interval})"
        + (f", ahead of {_name_list(rest)}" if rest else "")
        + f"; together the dimensions explain R\u00b2 = {r2:.3f} of its variance."
    )
    body = [
        [
            r["driver"],
            _pct(r["lmg_share"]),
            f"{_pct(r['lmg_share_lower'])} to {_pct(r['lmg_share_upper'])}"
            if r["lmg_share_lower"] is not None
            else "",
            f"{r['correlation']:.3f}",
            f"{r['beta']:.3f}",
            str(r["rank"]),
        ]
        for r in recs
    ]
    return Section(
        "key_drivers",
        f"Key drivers of {word}",
        reading,
        (chart,),
        _table_html(["driver", "LMG share", ci, "correlation", "beta", "rank"], body),
        note=(
            "Shapley / LMG decomposition of the R\u00b2 of a linear model of the outcome on the "
            "dimensions (Lindeman, Merenda and Gold 1980), shares summing to 100%; percentile "
            f"bootstrap intervals ({int(table.attrs.get('resamples', 0))} resamples, seed 0); "
            "rows with a missing answer left out."
        ),
    )


def _nan(v: float | None) -> float:
    return math.nan if v is None else v


# ---------------------------------------------------------------------------------------------
# Retention and the acquisition-versus-retention balance


def retention_results(inp: Inputs) -> tuple[Any, Any, int]:
    """Retention (with the NRR/GRR lag), cohorts and the lag, as the API returns them."""
    import cxkit

    if "retention" not in inp.cache:
        tx = inp.transactions
        args = dict(customer=inp.customer, date=inp.transactions_date, revenue=inp.revenue)
        first = cxkit.retention(tx, **args, freq=inp.freq)
        # a year-on-year NRR/GRR when the log is long enough, else period on period
        year = {"M": 12, "Q": 4, "W": 52, "Y": 1}.get(inp.freq.upper()[:1], 1)
        lag = year if len(first.rows) > year else 1
        ret = first if lag == 1 else cxkit.retention(tx, **args, freq=inp.freq, lag=lag)
        coh = cxkit.cohorts(tx, **args, freq=inp.freq)
        inp.cache["retention"] = (ret, coh, lag)
    return inp.cache["retention"]


def _mean(values: list[float | None]) -> float | None:
    xs = [v for v in values if v is not None and math.isfinite(v)]
    return sum(xs) / len(xs) if xs else None


@section("retention", needs=("transactions",), uses=("customer", "revenue"))
def _retention(inp: Inputs) -> Section | None:
    ret, coh, lag = retention_results(inp)
    rows = ret.rows
    if not rows:
        return None
    periods = [r["period"] for r in rows]
    unit = ret.freq
    new_rev = [r["new_revenue"] for r in rows]
    existing = [r["retained_revenue"] + r["reactivated_revenue"] for r in rows]
    balance = _svg.stacked_columns(
        periods,
        [
            ("revenue from existing customers", existing, _svg.BLUE),
            ("revenue from new customers", new_rev, _svg.AMBER),
        ],
        title=f"Revenue from new and existing customers per {unit}",
        x_label=f"{unit}, {ret.customers:,} customers",
        y_label="net revenue (input units)",
    )
    lag_word = f"{lag} {unit}s earlier" if lag > 1 else f"the previous {unit}"
    series = [
        {
            "name": "customer retention",
            "values": [r["retention_rate"] for r in rows],
            "color": _svg.BLUE,
        },
        {
            "name": f"NRR ({lag} {unit}s)" if lag > 1 else "NRR",
            "values": [r["nrr"] for r in rows],
            "color": _svg.GREEN,
        },
        {
            "name": f"GRR ({lag} {unit}s)" if lag > 1 else "GRR",
            "values": [r["grr"] for r in rows],
            "color": _svg.AMBER,
            "dashed": True,
        },
    ]
    rates = _svg.line_band(
        periods,
        series,
        title=f"Retention and revenue retention per {unit}",
        y_label="rate (%)",
        x_label=(
            f"{unit}, n = {ret.customers:,} customers; retention: of the previous {unit}'s "
            f"customers; NRR/GRR: vs {lag_word}"
        ),
        percent=True,
    )
    heat = _svg.heatmap(
        [f"{c} ({n:,})" for c, n in zip(coh.cohorts, coh.sizes)],
        [str(k) for k in range(len(coh.cohorts))],
        coh.customer_rates,
        title=f"Share of each cohort active k {unit}s after its first purchase",
        x_label=f"{unit}s since the first purchase (cohort size in brackets)",
        y_label="cohort (first purchase)",
        domain=(0.0, 1.0),
    )
    # the last year (or the whole log, when shorter) for the reading
    k = min(len(rows), {"M": 12, "Q": 4, "W": 52}.get(inp.freq.upper()[:1], len(rows)))
    last = rows[-k:]
    total = sum(r["revenue"] for r in last)
    new_total = sum(r["new_revenue"] for r in last)
    share_new = new_total / total if total else None
    nrr, grr = rows[-1]["nrr"], rows[-1]["grr"]
    retention_avg = _mean([r["retention_rate"] for r in last])
    span = last[0]["period"] if k == 1 else f"{last[0]['period']} to {last[-1]['period']}"
    reading = (
        f"From {span}, existing customers brought {_pct(None if share_new is None else 1 - share_new)}"
        f" of revenue and new customers {_pct(share_new)}"
        + (
            f"; in {rows[-1]['period']} net revenue retention was {_pct(nrr)} "
            f"(gross {_pct(grr)}) against {lag_word}"
            if nrr is not None
            else ""
        )
        + (
            f", and {_pct(retention_avg)} of each {unit}'s customers bought again the next "
            f"{unit} on average"
            if retention_avg is not None
            else ""
        )
        + "."
    )
    body = [
        [
            r["period"],
            f"{r['active']:,}",
            f"{r['new']:,}",
            _pct(r["retention_rate"]),
            f"{r['revenue']:,.2f}",
            _pct(r["new_revenue_share"]),
            _pct(r["nrr"]),
            _pct(r["grr"]),
        ]
        for r in rows
    ]
    table = _table_html(
        [unit, "active", "new", "retention", "revenue", "from new", "NRR", "GRR"], body
    )
    return Section(
        "retention",
        "Retention and the acquisition-versus-retention balance",
        reading,
        (balance, rates, heat),
        table,
        note=(
            f"From the transaction log ({len(inp.transactions):,} rows, {ret.customers:,} customers): a customer is new in the {unit} of their "
            f"first purchase; retention = customers active in both this and the previous "
            f"{unit} / active in the previous one; NRR and GRR compare the revenue of the "
            f"customers active {lag_word} (NRR with expansion, GRR without)."
        ),
    )
