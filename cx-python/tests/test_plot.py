"""Plots of results and tables: headless (Agg), the expected number of marks, labels and n."""

import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import polars as pl
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_hex
from matplotlib.image import AxesImage

import cxkit
from cxkit import plot as cxplot

RNG = np.random.default_rng(7)
REGIONS = np.array(["North", "South", "East", "West"])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def survey(n=4000):
    region = REGIONS[RNG.integers(0, 4, n)]
    # West is better, South worse: the segment plot has both kinds of significant groups
    shift = np.select([region == "West", region == "South"], [2, -2], 0)
    nps = np.clip(RNG.integers(0, 11, n) + shift, 0, 10).astype(float)
    date = pd.Timestamp("2025-01-01") + pd.to_timedelta(RNG.integers(0, 365, n), unit="D")
    return pd.DataFrame({"nps": nps, "region": region, "date": date})


def bars(ax):
    return [p for p in ax.patches if type(p).__name__ == "Rectangle"]


def test_nps_stacked_bar():
    r = cxkit.nps([10] * 50 + [7] * 30 + [0] * 20)
    ax = r.plot()
    assert len(ax.patches) == 3
    widths = [round(p.get_width(), 6) for p in ax.patches]
    assert widths == [20.0, 30.0, 50.0]  # detractors, passives, promoters in %
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == [
        cxplot.RED,
        cxplot.PASSIVE,
        cxplot.GREEN,
    ]
    assert "n = 100" in ax.get_title() and "+30.0" in ax.get_title()
    assert "%" in ax.get_xlabel()


def test_plot_on_given_axes_returns_it():
    _, axes = plt.subplots(1, 2)
    r = cxkit.nps([9, 10, 3, 7])
    assert r.plot(axes[1]) is axes[1]
    assert r.plot(ax=axes[0], alpha=0.5) is axes[0]  # kwargs reach matplotlib
    assert axes[0].patches[0].get_alpha() == 0.5


def test_distribution_histogram_coloured_by_category():
    d = cxkit.distribution(list(range(11)) * 3 + [10] * 5, scale="nps")
    ax = d.plot()
    assert len(ax.patches) == 11
    colors = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert colors == [cxplot.RED] * 7 + [cxplot.PASSIVE] * 2 + [cxplot.GREEN] * 2
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [100 * s for s in d.shares])
    assert "n = 38" in ax.get_title()
    assert ax.get_ylabel() == "share of answers (%)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "detractors (0-6)",
        "passives (7-8)",
        "promoters (9-10)",
    ]


def test_distribution_stacked_and_other_scales():
    d = cxkit.distribution([1, 2, 3, 4, 5, 5], scale="csat")
    ax = d.plot()
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == [cxplot.RED] * 2 + [
        cxplot.PASSIVE
    ] + [cxplot.GREEN] * 2
    ax = d.plot(kind="stacked")
    assert len(ax.patches) == 3
    np.testing.assert_allclose(
        [p.get_width() for p in ax.patches], [100 * 2 / 6, 100 / 6, 100 * 3 / 6]
    )
    # an agreement scale given explicitly; an unknown range without boxes is one colour
    ax = cxkit.distribution([1, 2, 3, 4], scale=(1, 4)).plot()
    assert {to_hex(p.get_facecolor()) for p in ax.patches} == {cxplot.BLUE}
    with pytest.raises(ValueError, match="kind"):
        d.plot(kind="pie")
    with pytest.raises(ValueError, match="scale="):
        cxkit.distribution([1, 2, 3, 4], scale=(1, 4)).plot(kind="stacked")


@pytest.mark.parametrize(
    ("make", "xlabel"),
    [
        (lambda: cxkit.csat([5, 4, 4, 3, 1, 5]), "share of answers (%)"),
        (lambda: cxkit.ces([7, 6, 5, 2, 4]), "mean answer"),
        (lambda: cxkit.nps_difference([10, 9, 10, 0] * 20, [3, 9, 6, 7] * 20), "NPS difference"),
    ],
)
def test_interval_results(make, xlabel):
    r = make()
    ax = r.plot()
    assert len(ax.containers) == 1  # one errorbar: the estimate and its interval
    line = ax.containers[0][0]
    est = r.estimate * (100 if type(r).__name__ == "Proportion" else 1)
    assert line.get_xdata()[0] == pytest.approx(est)
    assert xlabel in ax.get_xlabel()
    assert "n = " in ax.get_title() and "CI" in ax.get_title()


def test_mean_on_its_scale():
    ax = cxkit.ces([7, 6, 5, 2, 4]).plot(scale="ces")
    assert ax.get_xlim() == (1, 7)
    assert "1-7" in ax.get_xlabel()


def test_segments_dot_plot_sorted_and_marked():
    df = survey()
    table = cxkit.nps_by(df, "nps", "region")
    ax = cxplot.segments(table, overall=cxkit.nps(df["nps"]).estimate)
    assert len(ax.containers) == 4  # one dot + whisker per region
    ests = [c[0].get_xdata()[0] for c in ax.containers]
    assert ests == sorted(ests)  # highest on top (last y)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    top = table.sort_values("estimate").iloc[-1]
    assert labels[-1] == f"{top['region']} (n={top['n']:,})"
    # significant groups are filled: West above (green), South below (red)
    by_label = {lab.split(" (")[0]: c for lab, c in zip(labels, ax.containers)}
    assert to_hex(by_label["West"][0].get_markerfacecolor()) == cxplot.GREEN
    assert to_hex(by_label["South"][0].get_markerfacecolor()) == cxplot.RED
    assert ax.get_xlabel() == "NPS (points) with 95% CI"
    assert f"n = {table['n'].sum():,}" in ax.get_title()
    assert len(ax.lines) >= 1  # the overall reference line


def test_segments_polars_small_groups_and_two_keys():
    df = survey(600)
    table = cxkit.csat_by(
        pl.DataFrame({"csat": (df["nps"] // 2).clip(1, 5), "region": df["region"]}),
        "csat",
        "region",
        min_base=10_000,
    )
    ax = cxplot.segments(table, metric="csat")
    assert len(ax.containers) == 4
    assert all(to_hex(c[0].get_color()) == cxplot.GREY for c in ax.containers)  # untested
    assert "%" in ax.get_xlabel()
    df = survey(800).assign(channel=lambda d: np.where(d.index % 2 == 0, "web", "app"))
    two = cxkit.nps_by(df, "nps", ["region", "channel"], min_base=1)
    ax = cxplot.segments(two)
    assert len(ax.containers) == 8
    assert all(" / " in t.get_text() for t in ax.get_yticklabels())
    assert " \u00d7 " in ax.get_title()


def test_trend_lines_and_bands():
    df = survey()
    table = cxkit.nps_by(df, "nps", period="date", freq="Q", window=2)
    ax = cxplot.trend(table)
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    assert len(ax.lines) == 2  # the quarterly line and the rolling one
    assert len(ax.lines[0].get_xdata()) == len(table)
    assert ax.get_ylabel() == "NPS (points)"
    assert f"n = {table['n'].sum():,}" in ax.get_title()
    grouped = cxkit.nps_by(df, "nps", "region", period="date", freq="Q")
    ax = cxplot.trend(grouped)
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 4
    assert len(ax.lines) == 4
    assert {t.get_text() for t in ax.get_legend().get_texts()} == set(REGIONS)


def test_loyalty_curve_from_plain_table():
    pts = np.arange(11)
    rate = 0.4 + 0.05 * pts
    table = {"point": pts, "rate": rate, "lower": rate - 0.03, "upper": rate + 0.03, "n": [50] * 11}
    ax = cxplot.loyalty_curve(table, outcome="retained")
    assert len(ax.containers) == 1
    np.testing.assert_allclose(ax.containers[0][0].get_ydata(), 100 * rate)
    assert ax.get_ylabel() == "retained rate (%)"
    assert "n = 550" in ax.get_title()
    assert cxplot.kind_of(table) == "loyalty_curve"


def test_key_drivers_sorted_bars():
    table = pd.DataFrame({"driver": ["ease", "effectiveness", "emotion"], "share": [0.3, 0.5, 0.2]})
    ax = cxplot.key_drivers(table)
    assert len(bars(ax)) == 3
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["emotion", "ease", "effectiveness"]  # largest on top
    with_ci = table.assign(lower=table.share - 0.05, upper=table.share + 0.05)
    assert len(bars(cxplot.plot(with_ci))) == 3


def test_cohort_heatmap_triangle():
    rows = [
        {"cohort": f"2025-0{c + 1}", "period": p, "rate": 1.0 - 0.1 * p}
        for c in range(4)
        for p in range(4 - c)
    ]
    ax = cxplot.cohort_heatmap(rows)
    images = [i for i in ax.get_images() if isinstance(i, AxesImage)]
    assert len(images) == 1
    assert len(ax.texts) == 10  # one label per non-missing cell of the triangle
    data = images[0].get_array()
    assert np.isnan(np.asarray(data, dtype=float)[3, 3])
    assert cxplot.kind_of(rows) == "cohort_heatmap"


def test_cx_index_with_bands():
    table = {
        "dimension": ["effectiveness", "ease", "emotion", "CX index"],
        "estimate": [72.0, 70.0, 65.0, 69.0],
        "lower": [70.0, 68.0, 63.0, 68.0],
        "upper": [74.0, 72.0, 67.0, 70.0],
    }
    bands = [("very poor", 0, 50), ("poor", 50, 60), ("okay", 60, 70), ("good", 70, 80)]
    ax = cxplot.cx_index(table, bands=bands)
    assert len(ax.patches) == 4
    assert len(ax.containers) == 4
    assert ax.get_xlim() == (0, 80)
    assert cxplot.kind_of(table) == "cx_index"


def test_dispatch_and_register():
    df = survey(500)
    assert cxplot.kind_of(cxkit.nps(df["nps"])) == "Nps"
    assert cxplot.kind_of(cxkit.nps_by(df, "nps", "region")) == "segments"
    assert cxplot.kind_of(cxkit.nps_by(df, "nps", period="date")) == "trend"
    assert len(cxplot.plot(cxkit.nps_by(df, "nps", "region")).containers) == 4
    with pytest.raises(TypeError, match="cannot draw"):
        cxplot.plot(42)
    with pytest.raises(TypeError, match="does not know"):
        cxplot.plot({"x": [1]})
    seen = []
    cxplot.register("custom", lambda t, ax=None, **kw: seen.append(t) or "drawn", columns=["zz"])
    try:
        assert cxplot.plot({"zz": [1]}) == "drawn"
    finally:
        cxplot._TABLES[:] = [t for t in cxplot._TABLES if t[0] != "custom"]


def test_missing_matplotlib_names_the_extra(monkeypatch):
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    r = cxkit.nps([9, 10, 0])
    with pytest.raises(cxplot.MissingDependencyError, match=r"pip install cxkit\[plot\]"):
        r.plot()
    with pytest.raises(ImportError, match="matplotlib"):
        cxplot.segments({"estimate": [1.0], "lower": [0.0], "upper": [2.0], "n": [3]})


def test_repr_html_of_every_result():
    results = [
        cxkit.nps([9, 10, 0, 7]),
        cxkit.nps_difference([9, 10, 0], [7, 0, 10]),
        cxkit.csat([5, 4, 1]),
        cxkit.ces([7, 6, 2]),
        cxkit.distribution([1, 5], scale="csat"),
    ]
    for r in results:
        html = r._repr_html_()
        assert html.startswith("<div") and "<table" in html and "<script" not in html
        assert "CI" in html or type(r).__name__ == "Distribution"
        assert ">n<" in html or "n = " in html or "(3)" in html
    point = cxkit.distribution([1, 5], scale="csat").points[0]
    assert "count" in point._repr_html_()
    assert "[" in cxkit.nps([9, 0]).interval._repr_html_()
