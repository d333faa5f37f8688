"""NPS against published worked examples and a brute-force per-respondent oracle."""

import math
import random

import numpy as np
import pytest

import cxkit
from oracle import nps_wald

ROCKS = [0] * 20 + [7] * 30 + [10] * 50  # detractors, passives, promoters = 20, 30, 50


def close(a, b, tol=1e-12):
    return abs(a - b) <= tol * max(1.0, abs(b))


def test_rocks_2016_worked_example():
    # Rocks (2016), The American Statistician 70(4); values as published to 6 decimals.
    wald = cxkit.nps(ROCKS, method="wald")
    assert wald.estimate == pytest.approx(30.0, abs=1e-12)
    assert (wald.interval.lower, wald.interval.upper) == pytest.approx((14.6922, 45.3078), abs=5e-5)
    adj = cxkit.nps(ROCKS)
    assert adj.interval.method == "adjusted-wald"
    assert (adj.interval.lower, adj.interval.upper) == pytest.approx((14.0511, 44.2013), abs=5e-5)
    score = cxkit.nps(ROCKS, method="score")
    assert (score.interval.lower, score.interval.upper) == pytest.approx(
        (13.9551, 44.3393), abs=5e-5
    )


def test_rocks_two_sample_example():
    b = [0] * 30 + [7] * 30 + [10] * 40
    d = cxkit.nps_difference(ROCKS, b)
    assert d.estimate == pytest.approx(20.0, abs=1e-12)
    assert d.std_error == pytest.approx(11.40175, abs=5e-6)
    assert d.z == pytest.approx(1.75412, abs=5e-6)
    assert d.p_value == pytest.approx(0.07941, abs=5e-6)
    # p from scipy's normal survival function, an independent implementation
    stats = pytest.importorskip("scipy.stats")
    assert close(d.p_value, 2 * stats.norm.sf(abs(d.z)), 1e-13)


@pytest.mark.parametrize("seed", range(20))
def test_matches_brute_force_oracle(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 400)
    values = [rng.randint(0, 10) for _ in range(n)]
    weights = [rng.uniform(0.1, 5.0) for _ in range(n)] if seed % 2 else None
    level = rng.choice([0.8, 0.9, 0.95, 0.99])
    expected = nps_wald(values, weights, level)
    got = cxkit.nps(values, weights=weights, level=level, method="wald")
    assert close(got.estimate, expected["estimate"], 1e-11)
    assert close(got.std_error, expected["std_error"], 1e-11)
    assert close(got.interval.lower, expected["lower"], 1e-11)
    assert close(got.interval.upper, expected["upper"], 1e-11)
    assert got.n == expected["n"]
    assert close(got.effective_n, expected["effective_n"], 1e-12)
    assert got.promoters == sum(v >= 9 for v in values)
    assert got.detractors == sum(v <= 6 for v in values)


def test_unweighted_variance_formula():
    # Unweighted Wald SE is sqrt((p + d - (p - d)^2) / n) (Rocks 2016, eq. 2).
    values = np.random.default_rng(1).integers(0, 11, 5000)
    p, d, n = np.mean(values >= 9), np.mean(values <= 6), len(values)
    r = cxkit.nps(values, method="wald")
    assert close(r.std_error, 100 * math.sqrt((p + d - (p - d) ** 2) / n), 1e-12)


def test_weighted_linearised_se_matches_numpy():
    rng = np.random.default_rng(3)
    v = rng.integers(0, 11, 2000)
    w = rng.gamma(2.0, 1.0, 2000)
    y = np.where(v >= 9, 1.0, np.where(v <= 6, -1.0, 0.0))
    ybar = np.average(y, weights=w)
    se = math.sqrt(np.sum(w**2 * (y - ybar) ** 2)) / w.sum()
    r = cxkit.nps(v, weights=w, method="wald")
    assert close(r.estimate, 100 * ybar, 1e-12)
    assert close(r.std_error, 100 * se, 1e-11)
    assert close(r.effective_n, w.sum() ** 2 / np.sum(w**2), 1e-12)


def test_bootstrap_seeded_and_reasonable():
    values = np.random.default_rng(5).integers(0, 11, 3000)
    a = cxkit.nps(values, method="bootstrap", seed=11)
    assert a == cxkit.nps(values, method="bootstrap", seed=11)
    assert a != cxkit.nps(values, method="bootstrap", seed=12)
    w = cxkit.nps(values, method="wald")
    assert abs(a.interval.lower - w.interval.lower) < 0.5
    assert abs(a.interval.upper - w.interval.upper) < 0.5
    assert a.interval.method == "bootstrap"


def test_shares_sum_to_one_and_units():
    r = cxkit.nps([10, 9, 8, 7, 6, 0, None])
    assert r.promoter_share + r.passive_share + r.detractor_share == pytest.approx(1.0)
    assert r.missing == 1
    assert -100 <= r.interval.lower <= r.estimate <= r.interval.upper <= 100


def test_nps_on_other_scale_uses_its_boxes():
    r = cxkit.nps([5, 4, 3, 2, 1], scale="csat")
    assert r.promoters == 2 and r.detractors == 2 and r.estimate == pytest.approx(0.0)
