"""customer_equity (Blattberg & Deighton 1996) against the formula written out here and a grid."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cxkit


def ce(m: float, d: float, acq: cxkit.ResponseCurve, ret: cxkit.ResponseCurve, a_s, r_s):
    a = acq.ceiling * (1 - np.exp(-acq.k * a_s))
    r = ret.ceiling * (1 - np.exp(-ret.k * r_s))
    rp = r / (1 + d)
    g = rp / (1 - rp)
    per = np.where(r_s == 0, 0.0, r_s / np.where(r == 0, 1.0, r))
    return a * m - a_s + a * (m - per) * g, a_s + a * per * g


def test_customer_equity_matches_formula_and_grid() -> None:
    acq = cxkit.response_curve(0.4, 50.0, 0.2)
    ret = cxkit.response_curve(0.9, 20.0, 0.6)
    assert math.isclose(acq.k, math.log(2) / 50)
    res = cxkit.customer_equity(
        margin=100.0,
        discount=0.1,
        acquisition=acq,
        retention=ret,
        acquisition_spend=30.0,
        retention_spend=10.0,
        budget=30.0,
    )
    want, _ = ce(100.0, 0.1, acq, ret, np.array(30.0), np.array(10.0))
    assert math.isclose(res.current.customer_equity, float(want))
    a_grid, r_grid = np.meshgrid(np.linspace(0, 300, 601), np.linspace(0, 100, 401))
    equity, spend = ce(100.0, 0.1, acq, ret, a_grid, r_grid)
    assert res.optimum.customer_equity >= equity.max() - 1e-9
    assert res.optimum.customer_equity - equity.max() < 0.05
    affordable = np.where(spend <= 30.0, equity, -np.inf)
    b = res.budget_optimum
    assert b.spend_per_prospect <= 30.0 + 1e-6
    assert b.customer_equity >= affordable.max() - 1e-6
    assert math.isclose(b.gain, b.customer_equity - res.current.customer_equity)


def test_response_curve_fit_and_errors() -> None:
    spends = [5.0, 10.0, 20.0, 40.0]
    rates = [0.6 * (1 - math.exp(-0.03 * s)) for s in spends]
    assert math.isclose(cxkit.response_curve(0.6, spends, rates).k, 0.03, rel_tol=1e-7)
    with pytest.raises(cxkit.InvalidArgumentError, match="rate"):
        cxkit.response_curve(0.4, 50.0, 0.5)
    with pytest.raises(cxkit.LengthMismatchError):
        cxkit.response_curve(0.4, [1.0, 2.0], [0.1])
    with pytest.raises(cxkit.InvalidArgumentError, match="margin"):
        cxkit.customer_equity(
            margin=-1.0,
            discount=0.1,
            acquisition=cxkit.response_curve(0.4, 50.0, 0.2),
            retention=cxkit.response_curve(0.9, 20.0, 0.6),
            acquisition_spend=30.0,
            retention_spend=10.0,
        )
