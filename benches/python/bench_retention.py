"""Transaction logs: RFM summary, cohort matrix and BG/NBD fit, cxkit against lifetimes and polars.

A synthetic log of ``--customers`` customers and about ``--transactions`` purchases over two
years (integer customer ids, dates, revenue with 2 decimals, sorted by date as logs usually
are). Each contender computes the same thing:

- RFM summary (lifetimes' conventions: purchases per day; frequency = repeat purchase days,
  recency and T in days, monetary value = mean revenue of the repeat days): ``cxkit.rfm``,
  ``lifetimes.utils.summary_data_from_transaction_data`` and a polars query.
- Cohort matrix (customers active by month of first purchase x months since): ``cxkit.cohorts``
  and a polars query.
- BG/NBD maximum-likelihood fit on the RFM summary: ``cxkit.fit_bgnbd`` and
  ``lifetimes.BetaGeoFitter().fit``.

Timings are the median of ``--runs`` runs in this process (lifetimes: one run, it is slow);
results are compared before the table is printed. Opt-in, not part of the test run:

    .venv/bin/python benches/python/bench_retention.py [--customers 1000000]
        [--transactions 20000000] [--runs 3] [--no-lifetimes]
"""

from __future__ import annotations

import argparse
import platform
import warnings

import cxkit
import numpy as np
import polars as pl
from _timing import once, timed


def make_log(customers: int, transactions: int, seed: int = 0):
    """A BG/NBD-like log: each customer is born with a purchase on a day of the first 500, buys
    at a Poisson rate lambda ~ Gamma(2, mean m) per day and drops out after each repeat
    purchase with probability p ~ Beta(1, 29); m is set so that the log has about
    ``transactions`` rows. Rows sorted by date."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-11-01")
    days = 731
    birth = rng.integers(0, 500, customers)
    window = days - birth
    drop = rng.beta(1.0, 29.0, customers)
    shape = rng.gamma(2.0, 0.5, customers)  # mean 1
    # dropout after the k-th repeat purchase: K ~ Geometric(p)
    k = rng.geometric(drop)
    scale = (
        (transactions / customers - 1)
        / np.minimum(shape * window * 0.05, k).mean()
        * 0.05
    )
    n = rng.poisson(shape * scale * window)
    m = np.minimum(n, k)
    owner = np.repeat(np.arange(customers), n)
    times = rng.random(owner.size) * np.repeat(window, n)
    order = np.lexsort((times, owner))
    owner, times = owner[order], times[order]
    rank = np.arange(owner.size) - np.repeat(np.cumsum(n) - n, n)
    keep = rank < np.repeat(m, n)
    owner = np.concatenate([np.arange(customers), owner[keep]])
    day = np.concatenate(
        [birth, birth[owner[customers:]] + times[keep].astype(np.int64)]
    )
    ids = owner.astype(np.int64) * 7 + 1000
    revenue = np.round(rng.lognormal(3.5, 0.6, ids.size), 2)
    order = np.argsort(day, kind="stable")
    return ids[order], (start + day[order]).astype("datetime64[D]"), revenue[order]


def polars_rfm(df: pl.DataFrame) -> pl.DataFrame:
    end = df["date"].max()
    daily = df.group_by("customer_id", "date").agg(pl.col("revenue").sum())
    return (
        daily.group_by("customer_id")
        .agg(
            first=pl.col("date").min(),
            last=pl.col("date").max(),
            n=pl.len(),
            total=pl.col("revenue").sum(),
            first_revenue=pl.col("revenue").sort_by("date").first(),
        )
        .with_columns(
            frequency=(pl.col("n") - 1).cast(pl.Float64),
            recency=(pl.col("last") - pl.col("first")).dt.total_days().cast(pl.Float64),
            T=(pl.lit(end) - pl.col("first")).dt.total_days().cast(pl.Float64),
        )
        .with_columns(
            monetary_value=pl.when(pl.col("frequency") > 0)
            .then((pl.col("total") - pl.col("first_revenue")) / pl.col("frequency"))
            .otherwise(0.0)
        )
        .select("customer_id", "frequency", "recency", "T", "monetary_value")
        .sort("customer_id")
    )


def polars_cohorts(df: pl.DataFrame) -> pl.DataFrame:
    monthly = df.select(
        "customer_id",
        month=pl.col("date").dt.year() * 12 + pl.col("date").dt.month() - 1,
    ).unique()
    first = monthly.group_by("customer_id").agg(cohort=pl.col("month").min())
    return (
        monthly.join(first, on="customer_id")
        .group_by("cohort", age=pl.col("month") - pl.col("cohort"))
        .agg(customers=pl.len())
        .sort("cohort", "age")
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--transactions", type=int, default=20_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-lifetimes", action="store_true")
    args = ap.parse_args()
    ids, dates, revenue = make_log(args.customers, args.transactions)
    print(
        f"{ids.size:,} transactions of {args.customers:,} customers; {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, polars {pl.__version__}, cxkit {cxkit.__version__}"
    )
    rows = []

    # --- RFM -------------------------------------------------------------------------------
    t_ours, ours = timed(
        lambda: cxkit.rfm(customer=ids, date=dates, revenue=revenue), args.runs
    )
    df = pl.DataFrame({"customer_id": ids, "date": dates, "revenue": revenue})
    t_pl, theirs = timed(lambda: polars_rfm(df), args.runs)
    assert np.array_equal(ours.frequency, theirs["frequency"].to_numpy())
    assert np.array_equal(ours.recency, theirs["recency"].to_numpy())
    assert np.array_equal(ours.T, theirs["T"].to_numpy())
    assert np.allclose(
        ours.monetary_value, theirs["monetary_value"].to_numpy(), rtol=1e-9
    )
    rows.append(("RFM summary", "cxkit.rfm", t_ours, 1.0))
    rows.append(("RFM summary", "polars group_by", t_pl, t_pl / t_ours))

    # --- cohorts ---------------------------------------------------------------------------
    t_c, c = timed(
        lambda: cxkit.cohorts(customer=ids, date=dates, revenue=revenue), args.runs
    )
    t_pc, pc = timed(lambda: polars_cohorts(df), args.runs)
    n_months = len(c.cohorts)
    cells = {(r["cohort"], r["age"]): r["customers"] for r in pc.iter_rows(named=True)}
    first_month = min(cells)[0]
    for (cohort, age), count in cells.items():
        assert c.customers[cohort - first_month][age] == count
    assert sum(1 for row in c.customers for x in row if x) == len(cells)
    rows.append(("cohort matrix", "cxkit.cohorts", t_c, 1.0))
    rows.append(("cohort matrix", "polars join + group_by", t_pc, t_pc / t_c))
    print(f"  ({n_months} monthly cohorts)")

    # --- BG/NBD ------------------------------------------------------------------------------
    t_fit, fit = timed(lambda: cxkit.fit_bgnbd(ours), args.runs)
    rows.append(("BG/NBD fit", "cxkit.fit_bgnbd", t_fit, 1.0))

    if not args.no_lifetimes:
        import pandas as pd
        from lifetimes import BetaGeoFitter
        from lifetimes.utils import summary_data_from_transaction_data

        pdf = pd.DataFrame({"customer_id": ids, "date": dates, "revenue": revenue})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_lt, lt = once(
                lambda: summary_data_from_transaction_data(
                    pdf, "customer_id", "date", monetary_value_col="revenue"
                )
            )
        assert np.array_equal(lt["frequency"].to_numpy(), ours.frequency)
        assert np.allclose(
            lt["monetary_value"].to_numpy(), ours.monetary_value, rtol=1e-9
        )
        rows.insert(
            2,
            (
                "RFM summary",
                "lifetimes summary_data_from_transaction_data",
                t_lt,
                t_lt / t_ours,
            ),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_bg, bg = once(
                lambda: BetaGeoFitter().fit(ours.frequency, ours.recency, ours.T)
            )
        for name in ("r", "alpha", "a", "b"):
            assert abs(bg.params_[name] - fit.params[name]) <= 1e-3 * abs(
                bg.params_[name]
            ), name
        rows.append(("BG/NBD fit", "lifetimes BetaGeoFitter.fit", t_bg, t_bg / t_fit))
    print(f"  cxkit BG/NBD: {fit}")

    print(f"\n{'task':<15} {'contender':<48} {'seconds':>9} {'x cxkit':>8}")
    for task, who, t, ratio in rows:
        print(f"{task:<15} {who:<48} {t:>9.3f} {ratio:>8.1f}")


if __name__ == "__main__":
    main()
