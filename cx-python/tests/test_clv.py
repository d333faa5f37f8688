"""Lifetime-value models against published values, the lifetimes package (0.11.3, whose CDNOW
sample is loaded from the installed package), and data generated from known parameters."""

from __future__ import annotations

import importlib.util
import math
import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxkit

lifetimes = pytest.importorskip("lifetimes")


def cdnow() -> pd.DataFrame:
    """The CDNOW summary (2,357 customers, weeks) shipped inside the installed lifetimes."""
    spec = importlib.util.find_spec("lifetimes")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(spec.submodule_search_locations[0]) / "datasets"
    df = pd.read_csv(folder / "cdnow_customers_summary_with_transactions.csv")
    return df.rename(
        columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"}
    ).set_index("ID")


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return cdnow()


def test_sbg_fader_hardie_2007() -> None:
    # "How to project customer retention" (2007), high-end segment.
    f = cxkit.fit_sbg([1, 0.869, 0.743, 0.653, 0.593, 0.551, 0.517, 0.491])
    assert round(f.alpha, 3) == 0.668 and round(f.beta, 3) == 3.806
    projected = f.survival([8, 9, 10, 11, 12])
    assert np.allclose(projected, [0.460, 0.436, 0.414, 0.395, 0.378], atol=1.5e-3)
    # retention rates and churn probabilities written out from the parameters
    a, b = f.alpha, f.beta
    assert math.isclose(f.retention_rate(3), (b + 2) / (a + b + 2))
    assert math.isclose(f.churn_probability(1), a / (a + b))
    del_brute = sum(f.survival(t) / 1.1**t for t in range(3000))
    assert math.isclose(f.expected_lifetime_value(1.0, 0.1), del_brute, rel_tol=1e-9)


def test_bgnbd_cdnow_published_and_lifetimes(data: pd.DataFrame) -> None:
    f = cxkit.fit_bgnbd(data)
    # Fader, Hardie & Lee (2005); lifetimes documentation.
    assert (round(f.r, 3), round(f.alpha, 3), round(f.a, 3), round(f.b, 3)) == (
        0.243,
        4.414,
        0.793,
        2.426,
    )
    assert round(f.log_likelihood, 2) == -9582.43
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = lifetimes.BetaGeoFitter().fit(data["frequency"], data["recency"], data["T"])
    for name in ("r", "alpha", "a", "b"):
        assert math.isclose(f.params[name], ref.params_[name], rel_tol=1e-4), name
    x, tx, t = data["frequency"], data["recency"], data["T"]
    ours = f.expected_purchases(39, x, tx, t)
    theirs = ref.conditional_expected_number_of_purchases_up_to_time(39, x, tx, t)
    assert np.allclose(ours, np.asarray(theirs), rtol=5e-4)
    assert np.allclose(f.p_alive(x, tx, t), ref.conditional_probability_alive(x, tx, t), rtol=5e-4)
    assert math.isclose(
        f.expected_purchases_new(39), ref.expected_number_of_purchases_up_to_time(39), rel_tol=5e-4
    )


def test_gamma_gamma_cdnow_published_and_clv(data: pd.DataFrame) -> None:
    repeat = data[data["frequency"] > 0]
    g = cxkit.fit_gamma_gamma(repeat)
    assert (round(g.p, 2), round(g.q, 2), round(g.v, 2)) == (6.25, 3.74, 15.45)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = lifetimes.GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
        bg_ref = lifetimes.BetaGeoFitter().fit(data["frequency"], data["recency"], data["T"])
        spend_ref = ref.conditional_expected_average_profit(
            data["frequency"], data["monetary_value"]
        )
        clv_ref = ref.customer_lifetime_value(
            bg_ref,
            data["frequency"],
            data["recency"],
            data["T"],
            data["monetary_value"],
            time=12,
            discount_rate=0.01,
            freq="W",
        )
    spend = g.expected_spend(data["frequency"], data["monetary_value"])
    assert np.allclose(spend, spend_ref, rtol=2e-4)
    f = cxkit.fit_bgnbd(data)
    # lifetimes passes the customers' mean spends through the Gamma-Gamma expectation.
    clv = f.clv(
        data["frequency"],
        data["recency"],
        data["T"],
        spend,
        months=12,
        discount=0.01,
        period_length=4.345,
    )
    assert np.allclose(clv, np.asarray(clv_ref), rtol=2e-3)


def simulate_bgnbd(n: int, r: float, alpha: float, a: float, b: float, seed: int):
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    big_t = 52.0 - rng.uniform(0, 17, n)
    x = np.zeros(n)
    tx = np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / lam[i])
            if t > big_t[i]:
                break
            x[i] += 1
            tx[i] = t
            if rng.random() < p[i]:
                break
    return x, tx, big_t


def test_bgnbd_recovers_generated_parameters() -> None:
    truth = {"r": 0.5, "alpha": 3.0, "a": 0.8, "b": 2.5}
    x, tx, t = simulate_bgnbd(20_000, **truth, seed=1)
    f = cxkit.fit_bgnbd(frequency=x, recency=tx, T=t)
    for name, want in truth.items():
        assert abs(f.params[name] - want) / want < 0.15, (name, f.params[name])


def test_gamma_gamma_recovers_generated_parameters() -> None:
    rng = np.random.default_rng(2)
    p, q, v = 5.0, 3.0, 20.0
    nu = rng.gamma(q, 1 / v, 20_000)
    x = rng.integers(1, 8, 20_000)
    m = np.array([rng.gamma(p, 1 / s, k).mean() for s, k in zip(nu, x)])
    g = cxkit.fit_gamma_gamma(frequency=x, monetary_value=m)
    for got, want in ((g.p, p), (g.q, q), (g.v, v)):
        assert abs(got - want) / want < 0.1


def test_demo_log_end_to_end() -> None:
    df = pd.read_csv(Path(__file__).resolve().parents[2] / "examples/data/transactions.csv")
    r = cxkit.rfm(df, unit="W")
    f = cxkit.fit_bgnbd(r)
    g = cxkit.fit_gamma_gamma(r)
    spend = g.expected_spend(r.frequency, r.monetary_value)
    clv = f.clv(r.frequency, r.recency, r.T, spend, period_length=4.345)
    assert f.converged and g.converged and len(clv) == len(r) == 12_000
    assert (clv > 0).all()


def test_not_converged_is_an_error_with_the_last_state(data: pd.DataFrame) -> None:
    with pytest.raises(cxkit.NotConvergedError) as info:
        cxkit.fit_bgnbd(data, max_iterations=2)
    err = info.value
    assert err.code == "not_converged" and err.model == "BG/NBD" and err.iterations == 2
    assert "r=" in err.state and err.log_likelihood < 0
    f = cxkit.fit_bgnbd(data, max_iterations=2, strict=False)
    assert not f.converged
    with pytest.raises(cxkit.NotConvergedError, match="sBG"):
        cxkit.fit_sbg([1, 0.8, 0.7, 0.6], max_iterations=1)


def test_bad_model_input() -> None:
    with pytest.raises(cxkit.InvalidArgumentError, match="non-increasing"):
        cxkit.fit_sbg([1, 0.8, 0.9])
    with pytest.raises(cxkit.InsufficientDataError):
        cxkit.fit_sbg([1])
    with pytest.raises(cxkit.LengthMismatchError):
        cxkit.fit_bgnbd(frequency=[1, 2], recency=[1], T=[3, 3])
    with pytest.raises(cxkit.InvalidArgumentError, match="recency"):
        cxkit.fit_bgnbd(frequency=[1], recency=[5], T=[3])
    with pytest.raises(cxkit.InsufficientDataError):
        cxkit.fit_gamma_gamma(frequency=[0, 0], monetary_value=[1, 2])
    with pytest.raises(cxkit.InvalidArgumentError, match="initial"):
        cxkit.fit_sbg([1, 0.5], initial=[1.0])
    with pytest.raises(cxkit.InvalidArgumentError, match="retention"):
        cxkit.margin_multiplier(100, 1.5, 0.1)
    with pytest.raises(TypeError, match="frequency"):
        cxkit.fit_bgnbd()
    f = cxkit.fit_sbg([1, 0.5, 0.3])
    with pytest.raises(cxkit.InvalidArgumentError, match="t"):
        f.survival([1.5])


def test_fits_are_immutable_values(data: pd.DataFrame) -> None:
    f = cxkit.fit_bgnbd(data)
    assert pickle.loads(pickle.dumps(f)) == f
    assert cxkit.BgNbdFit.from_json(f.to_json()) == f
    assert set(f.to_dict()) >= {"r", "alpha", "a", "b", "log_likelihood", "converged"}
    with pytest.raises(AttributeError):
        f.r = 1.0  # type: ignore[misc]
    assert "BgNbdFit(r=0.2426" in repr(f)
