"""Plots of the CX index, loyalty curve, key drivers, cohorts and retention (headless Agg): each
draws the expected marks, with the values, labels and n of the result it was given."""

import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.image import AxesImage

import cxkit
from cxkit import plot as cxplot

RNG = np.random.default_rng(23)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def survey(n=3000):
    quality = RNG.normal(size=n)
    dims = {
        name: np.clip(np.round(3.4 + w * quality + RNG.normal(scale=0.9, size=n)), 1, 5)
        for name, w in (("effectiveness", 1.0), ("ease", 0.7), ("emotion", 0.4))
    }
    nps = np.clip(np.round(7 + 2 * quality + RNG.normal(size=n)), 0, 10)
    p = 1 / (1 + np.exp(-(0.3 + 0.9 * quality)))
    retained = (RNG.random(n) < p).astype(float)
    return pd.DataFrame({**dims, "nps": nps, "retained": retained})


def transactions():
    rows = []
    for c in range(300):
        first = int(RNG.integers(0, 8))
        for m in range(first, 12):
            if m == first or RNG.random() < 0.6:
                rows.append((f"c{c}", f"2025-{m + 1:02d}-{int(RNG.integers(1, 28)):02d}", 10.0))
    return pd.DataFrame(rows, columns=["customer_id", "date", "revenue"])


def bars(ax):
    return [p for p in ax.patches if type(p).__name__ == "Rectangle"]


def test_cx_index_result_by_dimension_with_bands():
    r = cxkit.cx_index(survey(), dims=["effectiveness", "ease", "emotion"])
    ax = r.plot()
    assert cxplot.kind_of(r) == "CxIndex"
    assert len(ax.containers) == 4  # three dimensions and the index, each a dot and whisker
    est = [c[0].get_xdata()[0] for c in ax.containers]
    assert est == pytest.approx([d.estimate for d in r.dimensions] + [r.estimate])
    assert len(ax.patches) == 5  # the five quality bands shaded behind
    assert ax.get_xlim() == (-100.0, 100.0)  # the net method's range
    assert [t.get_text() for t in ax.texts] == list(cxplot._svg.BAND_NAMES)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == f"effectiveness (n={r.dimensions[0].n:,})"
    assert labels[-1] == f"CX index (n={r.n:,})"
    assert f"n = {r.n:,}" in ax.get_title() and r.band in ax.get_title()
    assert "95% CI" in ax.get_xlabel()
    # mean method: 0..100, cut-offs of one's own
    m = cxkit.cx_index(survey(400), method="mean")
    ax = m.plot(bands=[20, 40, 60, 80])
    assert ax.get_xlim() == (0.0, 100.0)
    assert [round(p.get_x(), 6) for p in ax.patches if hasattr(p, "get_x")][:1] == [0.0]


def test_cx_index_segment_table_as_dots():
    df = survey().assign(region=lambda d: np.where(d.index % 3 == 0, "North", "South"))
    table = cxkit.cx_index_by(df, by="region")
    ax = cxplot.segments(table, metric="cx_index")
    assert len(ax.containers) == 2
    assert sorted(c[0].get_xdata()[0] for c in ax.containers) == sorted(table["estimate"])
    assert ax.get_xlabel() == "CX index (index points) with 95% CI"


def test_loyalty_curve_of_the_api_table():
    df = survey()
    curve = cxkit.loyalty_curve(df, score="nps", outcome="retained")
    ax = cxplot.loyalty_curve(curve, outcome="retained")
    assert cxplot.kind_of(curve) == "loyalty_curve"
    assert len(ax.containers) == 1  # one line with interval whiskers
    np.testing.assert_allclose(ax.containers[0][0].get_ydata(), 100 * curve["rate"].to_numpy())
    overall = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert len(overall) == 1  # the overall rate from the table's attrs
    assert overall[0].get_ydata()[0] == pytest.approx(100 * curve.attrs["overall"])
    assert f"n = {int(curve['n'].sum()):,}" in ax.get_title()
    assert ax.get_ylabel() == "retained rate (%)"


def test_key_drivers_of_the_api_table():
    df = survey()
    table = cxkit.key_drivers(
        df, drivers=["effectiveness", "ease", "emotion"], outcome="retained", resamples=100
    )
    assert cxplot.kind_of(table) == "key_drivers"
    ax = cxplot.plot(table)
    assert len(bars(ax)) == 3
    order = table.sort_values("lmg_share")
    assert [t.get_text() for t in ax.get_yticklabels()] == list(order["driver"])  # largest on top
    np.testing.assert_allclose(
        [p.get_width() for p in bars(ax)], 100 * order["lmg_share"].to_numpy()
    )
    assert f"R\u00b2 = {table.attrs['r_squared']:.3f}" in ax.get_title()
    assert f"n = {table.attrs['n']:,}" in ax.get_title()


def test_cohorts_result_heatmap():
    c = cxkit.cohorts(transactions())
    ax = c.plot()
    assert cxplot.kind_of(c) == "Cohorts"
    images = [i for i in ax.get_images() if isinstance(i, AxesImage)]
    assert len(images) == 1
    cells = sum(v is not None for row in c.customer_rates for v in row)
    assert len(ax.texts) == cells  # one label per cell of the triangle
    grid = np.asarray(images[0].get_array(), dtype=float)
    expected = np.array(
        [[np.nan if v is None else 100 * v for v in row] for row in c.customer_rates]
    )
    np.testing.assert_allclose(grid, expected)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{k} ({n:,})" for k, n in zip(c.cohorts, c.sizes)]
    assert f"n = {sum(c.sizes):,} customers" in ax.get_title()
    ax = c.plot(value="revenue_rate")
    assert "revenue retention" in ax.get_title()
    with pytest.raises(ValueError, match="value"):
        c.plot(value="customers")


def test_retention_result_rates_line():
    log = transactions()
    r = cxkit.retention(log)
    ax = r.plot()
    assert cxplot.kind_of(r) == "Retention"
    assert len(ax.lines) == 3  # customer retention, NRR, GRR
    rates = np.array(
        [np.nan if x["retention_rate"] is None else x["retention_rate"] for x in r.rows]
    )
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 100 * rates)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "customer retention",
        "net revenue retention (NRR)",
        "gross revenue retention (GRR)",
    ]
    assert f"n = {r.customers:,} customers" in ax.get_title()
    assert "%" in ax.get_ylabel()
    # the table form draws the same, and a rate that is never defined is left out
    table = r.to_pandas()
    assert cxplot.kind_of(table) == "retention"
    ax = cxplot.plot(table, rates=["retention_rate", "churn_rate"])
    assert len(ax.lines) == 2
    lagged = cxkit.retention(log, lag=20)  # longer than the log: no NRR or GRR at all
    assert len(lagged.plot().lines) == 1
    with pytest.raises(ValueError, match="no column"):
        r.plot(rates=["nope"])


def _errorbar_points(ax):
    """(x of the dot, lower end, upper end) of each errorbar container, top row first."""
    out = []
    for c in ax.containers:
        x = float(c.lines[0].get_xdata()[0])
        seg = c.lines[2][0].get_segments()[0]
        out.append((x, float(min(seg[:, 0])), float(max(seg[:, 0]))))
    return out


def test_lift_result_two_rates_with_intervals():
    df = survey()
    lift = cxkit.loyalty_lift(df, outcome="retained")
    ax = lift.plot(outcome="retention")
    dots = _errorbar_points(ax)
    assert len(dots) == 2
    for (x, lo, hi), g in zip(dots, (lift.exposed, lift.reference), strict=True):
        assert x == pytest.approx(100 * g.estimate)
        assert lo == pytest.approx(100 * g.interval.lower)
        assert hi == pytest.approx(100 * g.interval.upper)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("exposed") and f"n = {lift.exposed.n:,}" in labels[0]
    assert f"n = {lift.reference.n:,}" in labels[1]
    assert f"Risk ratio {lift.risk_ratio.estimate:.2f}" in ax.get_title()
    assert ax.get_xlabel() == "retention rate (%)"
    assert ax is cxplot.plot(lift, ax=ax)  # the generic entry point knows the result too


def test_mean_lift_result_two_means():
    df = survey()
    df["revenue"] = 100 + 20 * df["nps"] + RNG.normal(scale=15, size=len(df))
    ml = cxkit.mean_lift(df, outcome="revenue")
    ax = ml.plot(outcome="revenue", unit="EUR")
    dots = _errorbar_points(ax)
    assert len(dots) == 2
    z = 1.959963984540054  # the 97.5% normal quantile (scipy.stats.norm.ppf(0.975))
    for (x, lo, hi), g in zip(dots, (ml.exposed, ml.reference), strict=True):
        assert x == pytest.approx(g.estimate)
        assert hi - x == pytest.approx(z * g.std_error)
        assert x - lo == pytest.approx(z * g.std_error)
    assert ax.get_xlabel() == "mean revenue (EUR)"
    assert f"p = {ml.difference.p_value:.3g}" in ax.get_title()


def test_missing_matplotlib_names_the_extra_for_new_results(monkeypatch):
    results = [
        cxkit.cx_index(survey(200)),
        cxkit.cohorts(transactions()),
        cxkit.retention(transactions()),
        cxkit.loyalty_lift(survey(200), outcome="retained"),
    ]
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    for r in results:
        with pytest.raises(cxplot.MissingDependencyError, match=r"pip install cxkit\[plot\]"):
            r.plot()
