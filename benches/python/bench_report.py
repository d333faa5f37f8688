"""The whole HTML report against pandas computing only the bare numbers behind it.

cxkit.report builds every section of the sample survey repeated to --rows rows (headline NPS,
CSAT and CES with intervals, the distribution, NPS by region and by channel with each group
tested against the rest, the monthly trend with a rolling quarter and the tested change) and
renders the HTML. The pandas baseline computes only the value counts of the three ratings and
the count, mean and standard deviation per region, per channel and per month: no interval,
test, reading or chart. Median of --runs runs in this process.

    .venv/bin/python benches/python/bench_report.py [--rows 2000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import pathlib
import platform

import cxkit
import pandas as pd
from _timing import timed

SURVEY = (
    pathlib.Path(__file__).resolve().parents[2] / "examples" / "data" / "survey.csv"
)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    base = pd.read_csv(SURVEY, parse_dates=["date"])
    df = pd.concat([base] * -(-args.rows // len(base)), ignore_index=True).head(
        args.rows
    )

    def report():
        cxkit.report(df, by=["region", "channel"], date="date").to_html()

    def bare():
        for c in ("nps", "csat", "ces"):
            df[c].value_counts()
        for c in ("region", "channel"):
            df.groupby(c)["nps"].agg(["count", "mean", "std"])
        df.groupby(df["date"].dt.to_period("M"))["nps"].agg(["count", "mean", "std"])

    t_report = timed(report, args.runs)[0]
    t_bare = timed(bare, args.runs)[0]
    print(
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"cxkit {cxkit.__version__}, pandas {pd.__version__}, {len(df):,} rows"
    )
    print(f"cxkit.report + to_html   {t_report:.3f} s  1.00")
    print(f"pandas bare summaries    {t_bare:.3f} s  {t_bare / t_report:.2f}")


if __name__ == "__main__":
    main()
