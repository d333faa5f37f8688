"""cxkit against numpy, pandas, polars (and duckdb when installed) on the same data, same run.

Four tasks, each timed for every contender on the same arrays in the same process:

- ``overall``: NPS with its standard error over all rows (u8 scores 0..10);
- ``groups``: NPS with SE per group, 1,000 groups (u32 group codes);
- ``weighted``: weighted NPS with the linearised SE (f64 weights);
- ``f64_nan``: NPS with SE from float64 scores with 2% NaN (missing, skipped and counted).

Reference points measured in the same run: the memory floor (numpy summing the same bytes, read
as 64-bit words; on
two threads, two numpy sums of the halves in two Python threads, as numpy releases the GIL).
Each thread setting (1 and 2 by default) runs in its own subprocess, because rayon (cxkit),
polars and duckdb read their thread caps when they start: RAYON_NUM_THREADS, POLARS_MAX_THREADS
and duckdb's ``SET threads``. numpy and pandas run on one thread either way.

Times are the median of ``--runs`` runs after a warm-up; the table reports ns per row (per
element for ``f64_nan``) and the ratio to cxkit measured in the same subprocess. The ``extra
MiB`` column is the peak memory one call adds (the larger of the resident-set peak, which sees
Rust's allocations, and tracemalloc's peak, which sees numpy's): cxkit reads numpy buffers in
place, so it adds ~0 (a copy of the input would show as its size).

    .venv/bin/python benches/python/bench_compare.py [--rows 50000000] [--runs 5] [--threads 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import tracemalloc

import numpy as np
from _timing import nps_from_counts, timed

GROUPS = 1000


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def extra_peak_mib(fn) -> float:
    """Peak memory added by one call of ``fn``, in MiB: the larger of the resident-set peak
    above what was resident before (Linux: VmHWM after a reset through /proc/self/clear_refs;
    sees Rust allocations, but not memory the allocator recycles) and tracemalloc's peak
    (sees numpy's and Python's allocations, recycled or not, but not Rust's)."""
    rss = 0.0
    if _reset_peak():
        before = _status_kib("VmRSS") or 0
        fn()
        rss = max(0, (_status_kib("VmHWM") or 0) - before) / 1024
    tracemalloc.start()
    fn()
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return max(rss, traced)


def worker(rows: int, runs: int, threads: int) -> dict:
    import cxkit

    rng = np.random.default_rng(0)
    scores = rng.integers(0, 11, rows, dtype=np.uint8)
    codes = rng.integers(0, GROUPS, rows, dtype=np.uint32)
    weights = rng.uniform(0.2, 5.0, rows)
    floats = scores.astype(np.float64)
    floats[rng.random(rows) < 0.02] = np.nan
    out: dict[str, dict[str, list]] = {
        "overall": {},
        "groups": {},
        "weighted": {},
        "f64_nan": {},
    }

    def add(task, name, fn, value=None):
        t, res = timed(fn, runs)
        mib = extra_peak_mib(fn)
        out[task][name] = [t / rows * 1e9, mib, value(res) if value else None]

    def words(a):
        """The bytes of ``a`` as 64-bit words (the last few bytes dropped): summing them reads
        the same memory with the fewest instructions, the bandwidth floor."""
        raw = a.view(np.uint8)
        return raw[: len(raw) // 8 * 8].view(np.uint64)

    def floor(*arrays):
        parts = [words(a) for a in arrays]
        if threads == 1:
            return lambda: [p.sum() for p in parts]

        def two():
            res = []

            def half(p, lo, hi):
                res.append(p[lo:hi].sum())

            for p in parts:
                ts = [
                    threading.Thread(target=half, args=(p, 0, len(p) // 2)),
                    threading.Thread(target=half, args=(p, len(p) // 2, len(p))),
                ]
                for t in ts:
                    t.start()
                for t in ts:
                    t.join()
            return res

        return two

    # cxkit first, so that nothing allocated by a peer inflates its memory figures
    add(
        "overall",
        "cxkit",
        lambda: cxkit.nps(scores),
        lambda r: (r.estimate, r.std_error),
    )
    add("groups", "cxkit", lambda: cxkit.nps_by(scores, by=codes, min_base=1))
    add(
        "weighted",
        "cxkit",
        lambda: cxkit.nps(scores, weights=weights),
        lambda r: (r.estimate, r.std_error),
    )
    add(
        "f64_nan",
        "cxkit",
        lambda: cxkit.nps(floats),
        lambda r: (r.estimate, r.std_error),
    )

    add("overall", "memory floor", floor(scores))
    add("groups", "memory floor", floor(scores, codes))
    add("weighted", "memory floor", floor(scores, weights))
    add("f64_nan", "memory floor", floor(floats))

    def np_overall():
        c = np.bincount(scores, minlength=11)
        return nps_from_counts(c[9:].sum(), c[:7].sum(), c.sum())

    add("overall", "numpy bincount", np_overall, lambda r: tuple(map(float, r)))

    def np_groups():
        c = np.bincount(codes.astype(np.int64) * 11 + scores, minlength=GROUPS * 11)
        c = c.reshape(GROUPS, 11)
        return nps_from_counts(c[:, 9:].sum(1), c[:, :7].sum(1), c.sum(1))

    add("groups", "numpy bincount", np_groups)

    def np_weighted():
        z = (scores >= 9).astype(np.int8) - (scores <= 6)
        w_total = weights.sum()
        est = (weights * z).sum() / w_total
        se = np.sqrt(((weights * (z - est)) ** 2).sum()) / w_total
        return 100 * est, 100 * se

    add("weighted", "numpy", np_weighted, lambda r: tuple(map(float, r)))

    def np_floats():
        n = np.count_nonzero(~np.isnan(floats))
        return nps_from_counts(
            np.count_nonzero(floats >= 9), np.count_nonzero(floats <= 6), n
        )

    add("f64_nan", "numpy", np_floats, lambda r: tuple(map(float, r)))

    try:
        import pandas as pd

        s = pd.Series(scores)
        frame = pd.DataFrame({"g": codes, "s": scores})
        sw = pd.DataFrame({"s": scores, "w": weights})
        sf = pd.Series(floats)

        def pd_overall():
            return nps_from_counts((s >= 9).sum(), (s <= 6).sum(), len(s))

        def pd_groups():
            by = frame.groupby("g")
            return nps_from_counts(
                (frame.s >= 9).groupby(frame.g).sum(),
                (frame.s <= 6).groupby(frame.g).sum(),
                by.size(),
            )

        def pd_weighted():
            z = (sw.s >= 9).astype("int8") - (sw.s <= 6)
            w_total = sw.w.sum()
            est = (sw.w * z).sum() / w_total
            se = np.sqrt(((sw.w * (z - est)) ** 2).sum()) / w_total
            return 100 * est, 100 * se

        def pd_floats():
            return nps_from_counts((sf >= 9).sum(), (sf <= 6).sum(), sf.count())

        add("overall", "pandas", pd_overall)
        add("groups", "pandas groupby", pd_groups)
        add("weighted", "pandas", pd_weighted)
        add("f64_nan", "pandas", pd_floats)
    except ImportError:
        pass

    try:
        import polars as pl

        ps = pl.DataFrame({"s": scores})
        pg = pl.DataFrame({"g": codes, "s": scores})
        pw = pl.DataFrame({"s": scores, "w": weights})
        pf = pl.DataFrame({"s": floats})
        s = pl.col("s")

        def pl_overall():
            r = ps.select(n=pl.len(), prom=(s >= 9).sum(), det=(s <= 6).sum()).row(0)
            return nps_from_counts(r[1], r[2], r[0])

        def pl_groups():
            r = pg.group_by("g").agg(
                n=pl.len(), prom=(s >= 9).sum(), det=(s <= 6).sum()
            )
            return nps_from_counts(
                r["prom"].to_numpy(), r["det"].to_numpy(), r["n"].to_numpy()
            )

        def pl_weighted():
            z = (s >= 9).cast(pl.Int8) - (s <= 6).cast(pl.Int8)
            w = pl.col("w")
            est = (w * z).sum() / w.sum()
            se = ((w * (z - est)) ** 2).sum().sqrt() / w.sum()
            r = pw.select(est=est * 100, se=se * 100).row(0)
            return r

        def pl_floats():
            r = pf.select(
                n=s.is_not_nan().sum(), prom=(s >= 9).sum(), det=(s <= 6).sum()
            ).row(0)
            return nps_from_counts(r[1], r[2], r[0])

        add("overall", "polars", pl_overall)
        add("groups", "polars group_by", pl_groups)
        add("weighted", "polars", pl_weighted, lambda r: tuple(map(float, r)))
        add("f64_nan", "polars", pl_floats)
    except ImportError:
        pass

    try:
        import duckdb
        import pyarrow as pa

        con = duckdb.connect()
        con.execute(f"SET threads = {threads}")
        con.register("t", pa.table({"g": codes, "s": scores}))

        def dd_overall():
            return con.execute(
                "select count(*), sum((s >= 9)::int), sum((s <= 6)::int) from t"
            ).fetchall()

        def dd_groups():
            return con.execute(
                "select g, count(*) n, sum((s >= 9)::int) prom, sum((s <= 6)::int) det "
                "from t group by g"
            ).fetchnumpy()

        add("overall", "duckdb", dd_overall)
        add("groups", "duckdb group by", dd_groups)
    except ImportError:
        pass

    return out


def check(results: dict) -> None:
    """cxkit's estimates and SEs equal numpy's, computed independently in the same run."""
    for task, tol in [("overall", 1e-9), ("f64_nan", 1e-9), ("weighted", 1e-6)]:
        ours, theirs = (
            results[task]["cxkit"][2],
            results[task].get("numpy bincount", results[task].get("numpy"))[2],
        )
        assert np.allclose(ours, theirs, rtol=tol), (task, ours, theirs)


TITLES = {
    "overall": "overall NPS with SE (u8)",
    "groups": f"NPS with SE per group, {GROUPS:,} groups (u8 + u32 codes)",
    "weighted": "weighted NPS with linearised SE (u8 + f64 weights)",
    "f64_nan": "NPS with SE from f64 with 2% NaN (per element)",
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        json.dump(worker(args.rows, args.runs, args.worker), sys.stdout)
        return

    import cxkit

    load = os.getloadavg()
    print(
        f"cxkit {cxkit.__version__ if hasattr(cxkit, '__version__') else ''} vs peers: "
        f"{args.rows:,} rows, median of {args.runs} runs; {os.cpu_count()} CPUs, load average "
        f"{load[0]:.2f} at start; Python {platform.python_version()}, numpy {np.__version__}"
    )
    all_results = {}
    for t in args.threads:
        env = dict(os.environ, RAYON_NUM_THREADS=str(t), POLARS_MAX_THREADS=str(t))
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        cmd = [
            sys.executable,
            __file__,
            "--rows",
            str(args.rows),
            "--runs",
            str(args.runs),
        ]
        proc = subprocess.run(
            [*cmd, "--worker", str(t)],
            check=False,
            env=env,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            raise SystemExit(proc.returncode)
        all_results[t] = json.loads(proc.stdout)
        check(all_results[t])
    for task, title in TITLES.items():
        print(f"\n{title}")
        head = "".join(
            f"{f'{t} thr ns/row':>14}{'x cxkit':>9}{'extra MiB':>10}"
            for t in args.threads
        )
        print(f"{'contender':26}{head}")
        names = list(all_results[args.threads[0]][task])
        for name in names:
            line = f"{name:26}"
            for t in args.threads:
                r = all_results[t][task].get(name)
                ref = all_results[t][task]["cxkit"][0]
                line += f"{r[0]:14.3f}{r[0] / ref:9.2f}{r[1]:10.1f}" if r else " " * 33
            print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {
                    "rows": args.rows,
                    "runs": args.runs,
                    "load": load,
                    "results": all_results,
                },
                f,
            )


if __name__ == "__main__":
    main()
