#!/usr/bin/env python3
"""Print the marginal figures of survey.csv as a Markdown table (stdlib only).

Usage: python3 examples/data/summarize_survey.py [PATH]
"""

import csv
import sys
from collections import Counter
from pathlib import Path

SCORED = ("nps", "csat", "ces", "effectiveness", "ease", "emotion")


def nps_category(score: int) -> str:
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def pct(num: float, den: float) -> str:
    return f"{100 * num / den:.1f}%"


def summarize(path: Path) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    n = len(rows)
    out = [("Rows", f"{n:,}"),
           ("Distinct customers", f"{len({r['customer_id'] for r in rows}):,}"),
           ("Date range", f"{min(r['date'] for r in rows)} .. {max(r['date'] for r in rows)}")]

    for col in ("region", "channel", "customer_type"):
        counts = Counter(r[col] for r in rows)
        out.append((f"{col} shares", ", ".join(f"{k} {pct(v, n)}" for k, v in counts.most_common())))

    nps = [int(r["nps"]) for r in rows if r["nps"]]
    cats = Counter(nps_category(s) for s in nps)
    out.append(("NPS score", f"{100 * (cats['promoter'] - cats['detractor']) / len(nps):+.1f}"))
    for c in ("promoter", "passive", "detractor"):
        out.append((f"{c.capitalize()}s", pct(cats[c], len(nps))))

    csat = [int(r["csat"]) for r in rows if r["csat"]]
    out.append(("CSAT top-2-box (4-5)", pct(sum(s >= 4 for s in csat), len(csat))))
    out.append(("CSAT mean (1-5)", f"{sum(csat) / len(csat):.2f}"))
    ces = [int(r["ces"]) for r in rows if r["ces"]]
    out.append(("CES mean (1-7, higher = easier)", f"{sum(ces) / len(ces):.2f}"))
    for col in ("effectiveness", "ease", "emotion"):
        vals = [int(r[col]) for r in rows if r[col]]
        out.append((f"{col} mean (1-5)", f"{sum(vals) / len(vals):.2f}"))

    for col in SCORED:
        counts = Counter(int(r[col]) for r in rows if r[col])
        out.append((f"{col} distribution", " / ".join(str(counts[k]) for k in sorted(counts))))

    for col in SCORED:
        miss = sum(1 for r in rows if not r[col])
        out.append((f"Missing {col}", f"{miss:,} ({pct(miss, n)})"))

    for col in ("retained", "bought_more", "recommended"):
        out.append((f"{col} rate", pct(sum(int(r[col]) for r in rows), n)))
    for col in ("retained", "bought_more", "recommended"):
        parts = []
        for c in ("promoter", "passive", "detractor"):
            grp = [int(r[col]) for r in rows if r["nps"] and nps_category(int(r["nps"])) == c]
            parts.append(f"{c}s {pct(sum(grp), len(grp))}")
        out.append((f"{col} by NPS category", ", ".join(parts)))

    rev = [float(r["revenue"]) for r in rows]
    out.append(("Revenue mean", f"{sum(rev) / n:.2f}"))
    out.append(("Revenue zeros", pct(sum(v == 0 for v in rev), n)))
    for col, val in (("customer_type", "existing"), ("customer_type", "new"),
                     ("bought_more", "1"), ("bought_more", "0")):
        grp = [float(r["revenue"]) for r in rows if r[col] == val]
        out.append((f"Revenue mean, {col}={val}", f"{sum(grp) / len(grp):.2f}"))
    return out


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "survey.csv"
    print("| Figure | Value |")
    print("|---|---|")
    for k, v in summarize(path):
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
