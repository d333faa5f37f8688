"""The CX index (net, three 1-5 dimensions, ~3% missing answers) with its delta-method standard
error: cxkit against numpy, pandas and polars, overall and per group.

Every contender computes the same numbers: per dimension the net score (top-2-box share minus
bottom-2-box share, points) over the respondents who answered it, the index (their average) and
its standard error from the per-respondent influence values (which carry the correlation of the
dimensions); per group, the same for every group. cxkit also computes per-dimension intervals,
bands and the weakest dimension, and, per group, the test of each group against the rest with
Holm-adjusted p-values, which the peers do not. Timings are the median of several runs in this
process, reported in ns per respondent and as a ratio to cxkit; the results are checked equal.

    .venv/bin/python benches/python/bench_cx_index.py [--rows 10000000] [--groups 1000] [--runs 5]
"""

from __future__ import annotations

import platform

import cxkit
import numpy as np
from _timing import arguments, timed

DIMS = ["effectiveness", "ease", "emotion"]


def numpy_overall(x):
    answered = ~np.isnan(x)
    y = np.where(x >= 4, 100.0, np.where(x <= 2, -100.0, 0.0))
    n_k = answered.sum(axis=0)
    ybar = np.where(answered, y, 0.0).sum(axis=0) / n_k
    z = (np.where(answered, y - ybar, 0.0) / n_k).sum(axis=1) / x.shape[1]
    return ybar.mean(), float(np.sqrt((z**2).sum()))


def numpy_grouped(x, codes, g):
    answered = ~np.isnan(x)
    y = np.where(x >= 4, 100.0, np.where(x <= 2, -100.0, 0.0))
    k = x.shape[1]
    n_k = np.stack([np.bincount(codes, answered[:, j], g) for j in range(k)], axis=1)
    s_k = np.stack(
        [
            np.bincount(codes, np.where(answered[:, j], y[:, j], 0.0), g)
            for j in range(k)
        ],
        axis=1,
    )
    ybar = s_k / n_k
    z = (np.where(answered, y - ybar[codes], 0.0) / n_k[codes]).sum(axis=1) / k
    return ybar.mean(axis=1), np.sqrt(np.bincount(codes, z**2, g))


def pandas_grouped(df):
    y = df[DIMS].apply(
        lambda c: np.where(
            c >= 4, 100.0, np.where(c <= 2, -100.0, np.where(c.isna(), np.nan, 0.0))
        )
    )
    y["g"] = df["g"]
    grouped = y.groupby("g")
    ybar = grouped[DIMS].mean()
    n_k = grouped[DIMS].count()
    dev = (y[DIMS] - ybar.loc[y["g"]].to_numpy()) / n_k.loc[y["g"]].to_numpy()
    z = dev.fillna(0.0).sum(axis=1) / len(DIMS)
    se = np.sqrt((z**2).groupby(y["g"]).sum())
    return ybar.mean(axis=1).to_numpy(), se.to_numpy()


def polars_grouped(pl, frame):
    net = [
        pl.when(pl.col(d) >= 4)
        .then(100.0)
        .when(pl.col(d) <= 2)
        .then(-100.0)
        .when(pl.col(d).is_not_null())
        .then(0.0)
        .alias(d)
        for d in DIMS
    ]
    y = frame.select([*net, pl.col("g")])
    stats = y.group_by("g").agg(
        [pl.col(d).mean().alias(f"m_{d}") for d in DIMS]
        + [pl.col(d).count().alias(f"n_{d}") for d in DIMS]
    )
    joined = y.join(stats, on="g")
    z = sum(
        ((pl.col(d) - pl.col(f"m_{d}")) / pl.col(f"n_{d}")).fill_null(0.0) for d in DIMS
    ) / len(DIMS)
    out = (
        joined.with_columns(z.alias("z"))
        .group_by("g")
        .agg(
            [
                (pl.col("z") ** 2).sum().sqrt().alias("se"),
                *[pl.col(f"m_{d}").first() for d in DIMS],
            ]
        )
        .sort("g")
    )
    est = (
        out.select(sum(pl.col(f"m_{d}") for d in DIMS) / len(DIMS))
        .to_series()
        .to_numpy()
    )
    return est, out["se"].to_numpy()


def report(title, n, rows):
    best = rows[0][1]
    print(f"\n{title}")
    print(f"  {'':<28}{'ns/respondent':>14}{'ratio':>8}")
    for name, t in rows:
        print(f"  {name:<28}{t / n * 1e9:>14.2f}{t / best:>8.1f}")


def main():
    args = arguments(rows=10_000_000, groups=1000).parse_args()
    n, g = args.rows, args.groups
    rng = np.random.default_rng(0)
    propensity = rng.normal(0, 1, n)
    x = np.clip(np.round(3.6 + propensity[:, None] + rng.normal(0, 0.8, (n, 3))), 1, 5)
    x[rng.random((n, 3)) < 0.03] = np.nan
    cols = {d: np.ascontiguousarray(x[:, j]) for j, d in enumerate(DIMS)}
    codes = rng.integers(0, g, n, dtype=np.uint32)
    x8 = np.nan_to_num(x, nan=3).astype(np.uint8)
    print(
        f"{n:,} respondents x 3 dimensions, {g} groups; {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )

    t_cx, r = timed(lambda: cxkit.cx_index(cols), args.runs)
    t_cx8, _ = timed(lambda: cxkit.cx_index(x8), args.runs)
    t_np, (est, se) = timed(lambda: numpy_overall(x), args.runs)
    assert abs(r.estimate - est) < 1e-9 and abs(r.std_error - se) < 1e-9
    report(
        "Overall CX index with its standard error",
        n,
        [
            ("cxkit (float64 columns)", t_cx),
            ("cxkit (uint8 2-D, no NaN)", t_cx8),
            ("numpy", t_np),
        ],
    )

    rows = [
        (
            "cxkit (+ tests vs rest, Holm)",
            timed(lambda: cxkit.cx_index_by(cols, by=codes), args.runs)[0],
        )
    ]
    table = cxkit.cx_index_by(cols, by=codes)
    t_np, (est, se) = timed(
        lambda: numpy_grouped(x, codes.astype(np.int64), g), args.runs
    )
    assert np.allclose(table["estimate"].to_numpy(), est, rtol=1e-9)
    assert np.allclose(table["std_error"].to_numpy(), se, rtol=1e-9)
    rows.append(("numpy (bincount)", t_np))
    try:
        import pandas as pd

        df = pd.DataFrame({**cols, "g": codes})
        t_pd, (est, se) = timed(lambda: pandas_grouped(df), args.runs)
        assert np.allclose(table["estimate"].to_numpy(), est, rtol=1e-9)
        assert np.allclose(table["std_error"].to_numpy(), se, rtol=1e-9)
        rows.append((f"pandas {pd.__version__} groupby", t_pd))
    except ImportError:
        pass
    try:
        import polars as pl

        frame = pl.DataFrame({**cols, "g": codes}).with_columns(
            [pl.col(d).fill_nan(None) for d in DIMS]
        )
        t_pl, (est, se) = timed(lambda: polars_grouped(pl, frame), args.runs)
        assert np.allclose(table["estimate"].to_numpy(), est, rtol=1e-9)
        assert np.allclose(table["std_error"].to_numpy(), se, rtol=1e-9)
        rows.append((f"polars {pl.__version__} group_by", t_pl))
    except ImportError:
        pass
    report(f"CX index per group ({g} groups)", n, rows)


if __name__ == "__main__":
    main()
