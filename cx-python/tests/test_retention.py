"""retention, cohorts and rfm against brute-force recomputation with pandas, plus bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxkit

DATA = Path(__file__).resolve().parents[2] / "examples" / "data" / "transactions.csv"


def random_log(seed: int, n: int = 600, decimals: int = 2) -> pd.DataFrame:
    """A random log; with decimals=0 every sum is exact in any order."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 420, n)
    return pd.DataFrame(
        {
            "customer_id": rng.choice([f"c{i}" for i in range(40)], n),
            "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(days, unit="D"),
            "revenue": np.round(rng.normal(30, 25, n), decimals),
        }
    )


def brute_force(df: pd.DataFrame, lag: int = 1) -> pd.DataFrame:
    """The period table by definition, from a customer x month pivot."""
    d = df.assign(p=df["date"].dt.to_period("M"), buy=df["revenue"] >= 0)
    cells = d.groupby(["customer_id", "p"]).agg(rev=("revenue", "sum"), buy=("buy", "any"))
    periods = pd.period_range(d["p"].min(), d["p"].max(), freq="M")
    rev = cells["rev"].unstack(fill_value=0.0).reindex(columns=periods, fill_value=0.0)
    act = cells["buy"].unstack(fill_value=False).reindex(columns=periods, fill_value=False)
    act = act.astype(bool)
    first = act.idxmax(axis=1).where(act.any(axis=1))
    out = []
    for t, p in enumerate(periods):
        a = act[p]
        new = a & (first == p)
        prev = act[periods[t - 1]] if t else pd.Series(False, index=a.index)
        ret = a & prev
        react = a & ~new & ~ret
        churn = prev & ~a
        row = {
            "active": a.sum(),
            "new": new.sum(),
            "retained": ret.sum(),
            "reactivated": react.sum(),
            "churned": churn.sum(),
            "revenue": rev[p].sum(),
            "new_revenue": rev[p][new].sum(),
            "retained_revenue": rev[p][ret].sum(),
            "inactive_revenue": rev[p][~a].sum(),
            "retention_rate": ret.sum() / prev.sum() if t and prev.sum() else None,
        }
        if t >= lag:
            b = periods[t - lag]
            base = act[b] & (rev[b] > 0)
            den = rev[b][base].sum()
            row["nrr"] = rev[p][base].sum() / den if den else None
            row["grr"] = np.minimum(rev[p][base], rev[b][base]).sum() / den if den else None
        else:
            row["nrr"] = row["grr"] = None
        out.append(row)
    return pd.DataFrame(out, index=[str(p) for p in periods])


def same(a, b) -> bool:
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return a is None and (b is None or (isinstance(b, float) and math.isnan(b)))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("lag", [1, 3])
def test_retention_matches_brute_force(seed: int, lag: int) -> None:
    df = random_log(seed)
    got = cxkit.retention(df, freq="M", lag=lag).to_pandas().set_index("period")
    want = brute_force(df, lag)
    assert list(got.index) == list(want.index)
    for col in want.columns:
        for p in want.index:
            g, w = got.loc[p, col], want.loc[p, col]
            g = None if g is None or (isinstance(g, float) and math.isnan(g)) else g
            assert same(g, None if w is None else float(w)), (col, p, g, w)


def test_cohorts_match_brute_force() -> None:
    df = random_log(7)
    c = cxkit.cohorts(df, freq="Q")
    d = df.assign(q=df["date"].dt.to_period("Q"))
    buys = d[d["revenue"] >= 0]
    first = buys.groupby("customer_id")["q"].min()
    quarters = pd.period_range(d["q"].min(), d["q"].max(), freq="Q")
    assert c.cohorts == [f"{q.year}-Q{q.quarter}" for q in quarters]
    n = len(quarters)
    for ci, q0 in enumerate(quarters):
        members = first[first == q0].index
        assert c.sizes[ci] == len(members)
        for k in range(n):
            if ci + k >= n:
                assert c.customers[ci][k] is None
                continue
            active = buys[(buys["q"] == quarters[ci + k]) & buys["customer_id"].isin(members)]
            assert c.customers[ci][k] == active["customer_id"].nunique()
            rev = d[(d["q"] == quarters[ci + k]) & d["customer_id"].isin(members)]["revenue"]
            assert math.isclose(c.revenue[ci][k], rev.sum(), abs_tol=1e-9)
    table = c.to_pandas("customers")
    assert list(table.index) == c.cohorts
    assert c.to_polars("customer_rates").columns[0] == "cohort"


def test_rfm_matches_brute_force_and_lifetimes_conventions() -> None:
    df = random_log(11)
    r = cxkit.rfm(df, unit="W")
    end = df["date"].max()
    got = r.to_pandas().set_index("customer")
    for cid, g in df.groupby("customer_id"):
        buy_days = sorted(set(g.loc[g["revenue"] >= 0, "date"]))
        if not buy_days:
            assert cid not in got.index
            continue
        f0 = buy_days[0]
        row = got.loc[cid]
        x = len(buy_days) - 1
        assert row["frequency"] == x
        assert math.isclose(row["recency"], (buy_days[-1] - f0).days / 7)
        assert math.isclose(row["T"], (end - f0).days / 7)
        after = g.loc[g["date"] > f0, "revenue"].sum()
        assert math.isclose(row["monetary_value"], after / x if x else 0.0, abs_tol=1e-9)


def test_polars_and_integer_ids_give_the_same_tables() -> None:
    df = random_log(5, decimals=0)
    ints = df.assign(customer_id=df["customer_id"].str[1:].astype(int))
    a = cxkit.retention(df)
    b = cxkit.retention(pl.from_pandas(ints))
    assert a.rows == b.rows
    c = cxkit.retention(
        customer=ints["customer_id"].to_numpy(),
        date=ints["date"].to_numpy(),
        revenue=ints["revenue"].tolist(),
    )
    assert c == b
    assert b.to_polars().height == len(b.rows)
    r = cxkit.rfm(pl.from_pandas(ints))
    assert all(isinstance(x, int) for x in r.customers)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_order_does_not_matter(seed: int) -> None:
    df = random_log(seed % 50, 300, decimals=0)
    shuffled = df.sample(frac=1.0, random_state=seed)
    assert cxkit.retention(df).rows == cxkit.retention(shuffled).rows
    a, b = cxkit.rfm(df), cxkit.rfm(shuffled)
    assert np.array_equal(a.frequency, b.frequency)
    assert np.allclose(a.monetary_value, b.monetary_value)


def test_missing_values_are_skipped_and_counted() -> None:
    t = cxkit.retention(
        customer=["a", None, "a", "b"],
        date=["2026-01-05", "2026-01-06", None, "2026-01-07"],
        revenue=[1.0, 2.0, 3.0, float("nan")],
    )
    assert (t.missing, t.customers, t.revenue) == (3, 1, 1.0)


def test_refunds_are_netted_not_purchases() -> None:
    t = cxkit.retention(
        customer=["a", "a", "a"],
        date=["2026-01-05", "2026-02-06", "2026-03-01"],
        revenue=[10.0, -4.0, 5.0],
    )
    _jan, feb, mar = t.rows
    assert (feb["active"], feb["churned"], feb["inactive_revenue"]) == (0, 1, -4.0)
    assert (mar["reactivated"], mar["reactivated_revenue"]) == (1, 5.0)


def test_spend_balance() -> None:
    t = cxkit.retention(
        customer=[1, 2, 1, 3],
        date=["2026-01-03", "2026-01-04", "2026-02-03", "2026-02-04"],
        revenue=[5.0] * 4,
        acquisition_spend=[100.0, 60.0],
        retention_spend=np.array([0.0, 12.0]),
    )
    feb = t.rows[1]
    assert (feb["cost_per_acquired"], feb["cost_per_retained"], feb["balance_ratio"]) == (
        60.0,
        12.0,
        5.0,
    )


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(cxkit.InvalidArgumentError, match="dates"):
        cxkit.retention(customer=["a"], date=["2026-13-45"], revenue=[1.0])
    with pytest.raises(cxkit.LengthMismatchError, match="acquisition_spend has 3"):
        cxkit.retention(
            customer=["a", "a"],
            date=["2026-01-01", "2026-02-01"],
            revenue=[1.0, 1.0],
            acquisition_spend=[1, 2, 3],
        )
    with pytest.raises(cxkit.InvalidArgumentError, match="retention_spend"):
        cxkit.retention(customer=["a"], date=["2026-01-01"], revenue=[1.0], retention_spend=[-1.0])
    with pytest.raises(cxkit.LengthMismatchError):
        cxkit.retention(customer=["a", "b"], date=["2026-01-01"], revenue=[1.0, 2.0])
    with pytest.raises(cxkit.InvalidArgumentError, match="revenue"):
        cxkit.rfm(customer=["a"], date=["2026-01-01"], revenue=[float("inf")])
    with pytest.raises(cxkit.EmptyInputError):
        cxkit.rfm(customer=["a"], date=["2026-01-01"], revenue=[-5.0])
    with pytest.raises(cxkit.InvalidArgumentError, match="freq"):
        cxkit.cohorts(customer=["a"], date=["2026-01-01"], revenue=[1.0], freq="fortnight")
    with pytest.raises(cxkit.InvalidArgumentError, match="values"):
        cxkit.cohorts(customer=["a"], date=["2026-01-01"], revenue=[1.0]).to_pandas("x")
    with pytest.raises(TypeError, match="arrays"):
        cxkit.retention(customer="customer_id")


def test_results_round_trip() -> None:
    import pickle

    df = random_log(3)
    for r in (cxkit.retention(df), cxkit.cohorts(df), cxkit.rfm(df)):
        assert pickle.loads(pickle.dumps(r)) == r
        assert type(r).from_json(r.to_json()) == r
        assert r._repr_html_().startswith("<div")
        assert repr(r)


def test_demo_log() -> None:
    df = pd.read_csv(DATA)
    t = cxkit.retention(df)
    assert len(t.rows) == 24 and t.customers == 12_000
    assert math.isclose(t.revenue, df["revenue"].sum(), rel_tol=1e-12)


def test_acquisition_by_channel_matches_brute_force() -> None:
    df = random_log(13).assign(
        channel=lambda d: np.random.default_rng(1).choice(["ads", "store", "web"], len(d))
    )
    t = cxkit.acquisition(df, freq="M")
    got = t.to_pandas().set_index(["period", "channel"])
    d = df.assign(p=df["date"].dt.to_period("M").astype(str))
    buys = d[d["revenue"] >= 0].sort_values(["customer_id", "date", "channel"])
    first = buys.groupby("customer_id").first()  # earliest day, then first channel
    periods = sorted(d["p"].unique())
    for cid_p, group in first.groupby(["p", "channel"]):
        p, ch = cid_p
        members = group.index
        row = got.loc[(p, ch)]
        assert row["new"] == len(members)
        in_p = d[(d["p"] == p) & d["customer_id"].isin(members)]["revenue"].sum()
        assert math.isclose(row["new_revenue"], in_p, abs_tol=1e-9)
        later = d[(d["p"] >= p) & d["customer_id"].isin(members)]["revenue"].sum()
        assert math.isclose(row["revenue_to_date"], later, abs_tol=1e-9)
        i = periods.index(p)
        if i + 1 < len(periods):
            nxt = buys[(buys["p"] == periods[i + 1]) & buys["customer_id"].isin(members)]
            assert row["retained_next"] == nxt["customer_id"].nunique()
    assert got["new"].sum() == first.shape[0]
    with pytest.raises(TypeError, match="channel"):
        cxkit.acquisition(customer=[1], date=["2026-01-01"], revenue=[1.0])


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 299))
def test_activity_merge_equals_whole(seed: int, split: int) -> None:
    df = random_log(seed % 40, 300, decimals=0).assign(
        channel=lambda d: np.where(d.index % 3 == 0, "ads", "web")
    )
    whole = cxkit.activity(df, channel="channel")
    parts = cxkit.activity(df.iloc[:split], channel="channel").merge(
        cxkit.activity(df.iloc[split:], channel="channel")
    )
    assert cxkit.retention(parts).rows == cxkit.retention(df).rows
    assert cxkit.retention(parts, lag=2) == cxkit.retention(whole, lag=2)
    assert cxkit.cohorts(parts) == cxkit.cohorts(whole)
    assert cxkit.acquisition(parts) == cxkit.acquisition(df)


def test_activity_round_trips_and_errors() -> None:
    import pickle

    a = cxkit.activity(random_log(2), freq="Q")
    assert pickle.loads(pickle.dumps(a)) == a
    assert cxkit.Activity.from_json(a.to_json()) == a
    assert (a.freq, a.n_customers) == ("quarter", 40)
    b = cxkit.activity(random_log(3), freq="M")
    with pytest.raises(cxkit.InvalidArgumentError, match="freq"):
        a.merge(b)
    with pytest.raises(cxkit.InvalidArgumentError, match="channels"):
        cxkit.acquisition(a)
