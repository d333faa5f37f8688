"""Box shares, means and distributions against statsmodels / scipy and brute-force oracles."""

import math

import numpy as np
import pytest

import cxkit
from oracle import share, weighted_mean_se, wilson

sm_prop = pytest.importorskip("statsmodels.stats.proportion")
stats = pytest.importorskip("scipy.stats")

# statsmodels names for our methods
SM = {
    "wilson": "wilson",
    "wald": "normal",
    "agresti-coull": "agresti_coull",
    "clopper-pearson": "beta",
    "jeffreys": "jeffreys",
}


@pytest.mark.parametrize("method", list(SM))
@pytest.mark.parametrize(("count", "n"), [(0, 10), (1, 29), (15, 148), (81, 263), (10, 10), (5, 8)])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_intervals_match_statsmodels(method, count, n, level):
    values = [5] * count + [1] * (n - count)
    r = cxkit.top_box(values, scale="csat", method=method, level=level)
    lo, hi = sm_prop.proportion_confint(count, n, alpha=1 - level, method=SM[method])
    lo, hi = max(0.0, lo), min(1.0, hi)  # statsmodels leaves Wald unclipped
    assert r.interval.lower == pytest.approx(lo, abs=1e-12)
    assert r.interval.upper == pytest.approx(hi, abs=1e-12)
    assert r.estimate == pytest.approx(count / n, abs=1e-15)
    assert r.interval.method == method


def test_newcombe_1998_table_wilson():
    # Newcombe (1998), Statistics in Medicine 17, Table I, method 3 (Wilson score): 81/263.
    r = cxkit.top_box([1] * 81 + [0] * 182, scale=(0, 1))
    assert (r.interval.lower, r.interval.upper) == pytest.approx((0.2553, 0.3662), abs=5e-5)


def test_weighted_top_box_uses_kish_n():
    rng = np.random.default_rng(9)
    v = rng.integers(1, 6, 500)
    w = rng.uniform(0.2, 3.0, 500)
    r = cxkit.csat(v, weights=w)
    p = share(v.tolist(), w.tolist(), lambda x: x >= 4)
    n_eff = w.sum() ** 2 / np.sum(w**2)
    lo, hi = wilson(p, n_eff)
    assert r.estimate == pytest.approx(p, rel=1e-12)
    assert r.effective_n == pytest.approx(n_eff, rel=1e-12)
    assert (r.interval.lower, r.interval.upper) == pytest.approx((lo, hi), rel=1e-11)
    y = (v >= 4).astype(float)
    se = math.sqrt(np.sum(w**2 * (y - p) ** 2)) / w.sum()
    assert r.std_error == pytest.approx(se, rel=1e-11)


def test_bottom_box_and_csat_default_scale():
    assert cxkit.bottom_box([1, 2, 3, 4, 5], scale="csat").count == 2
    assert cxkit.csat([1, 2, 3, 4, 5]).count == 2
    assert cxkit.csat([1, 2, 3, 4, 5], scale=cxkit.Scale(1, 5, top_box_min=5)).count == 1


def test_mean_matches_scipy_t_interval():
    rng = np.random.default_rng(2)
    v = rng.integers(1, 8, 137)
    m = cxkit.ces(v, level=0.9)
    lo, hi = stats.t.interval(0.9, len(v) - 1, loc=v.mean(), scale=stats.sem(v))
    assert m.estimate == pytest.approx(v.mean(), rel=1e-14)
    assert m.std_dev == pytest.approx(v.std(ddof=1), rel=1e-12)
    assert m.std_error == pytest.approx(stats.sem(v), rel=1e-12)
    assert (m.interval.lower, m.interval.upper) == pytest.approx((lo, hi), rel=1e-12)


def test_weighted_mean_linearised():
    rng = np.random.default_rng(4)
    v = rng.integers(1, 8, 300)
    w = rng.exponential(1.0, 300)
    m = cxkit.mean(v, scale="ces", weights=w)
    xbar, se = weighted_mean_se(v.tolist(), w.tolist())
    assert m.estimate == pytest.approx(xbar, rel=1e-13)
    assert m.std_error == pytest.approx(se, rel=1e-11)


def test_distribution_counts_and_shares():
    v = [1, 1, 2, 5, None, 5, 5]
    d = cxkit.distribution(v, scale="csat")
    assert [p.count for p in d.points] == [2, 1, 0, 0, 3]
    assert d.shares == pytest.approx([2 / 6, 1 / 6, 0, 0, 3 / 6])
    assert d.missing == 1 and d.n == 6
    frame = d.to_pandas()
    assert list(frame.columns) == ["point", "count", "weight", "share"]
    assert frame["count"].sum() == 6
    pl = pytest.importorskip("polars")
    assert isinstance(d.to_polars(), pl.DataFrame)
