"""Single view of the customer and personas: cxkit against a pandas + scikit-learn pipeline.

Synthetic data: the transaction log of ``bench_retention.make_log`` (``--customers`` customers,
about ``--transactions`` rows, integer ids, sorted by date) and a survey of one response per
customer on average (NPS 0-10, ease 1-7, dates). Each contender computes the same thing:

- Customer view: per customer the latest and mean NPS and ease, response count, purchase days,
  recency and tenure at the cut-off, net revenue (``cxkit.customer_view`` vs pandas groupby +
  outer merge).
- Personas: z-scores, k-means (k-means++, 10 restarts) for k = 2..5 on 4 features, the mean
  silhouette of each k on a 5,000-customer sample (``cxkit.personas`` vs
  ``StandardScaler`` + ``KMeans`` + ``silhouette_score(sample_size=5000)``).

Results are compared (view columns exactly; k-means inertia within 2%) before timings are
printed. Opt-in, not part of the test run (scikit-learn is pinned in requirements-dev.txt):

    .venv/bin/python benches/python/bench_personas.py [--customers 1000000]
        [--transactions 20000000] [--runs 1]
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

import cxkit
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _timing import timed
from bench_retention import make_log


def make_survey(ids: np.ndarray, n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    who = rng.choice(np.unique(ids), n)
    return pd.DataFrame(
        {
            "customer_id": who,
            "date": np.datetime64("2025-01-01")
            + rng.integers(0, 600, n).astype("timedelta64[D]"),
            "nps": rng.integers(0, 11, n).astype(float),
            "ease": rng.integers(1, 8, n).astype(float),
        }
    )


def pandas_view(survey: pd.DataFrame, log: pd.DataFrame, cutoff) -> pd.DataFrame:
    s = survey[survey["date"] <= cutoff].sort_values("date", kind="stable")
    g = s.groupby("customer_id")
    sv = pd.DataFrame(
        {
            "responses": g.size(),
            "nps_latest": g["nps"].last(),
            "nps_mean": g["nps"].mean(),
            "ease_latest": g["ease"].last(),
            "ease_mean": g["ease"].mean(),
        }
    )
    t = log[log["date"] <= cutoff]
    gt = t.groupby("customer_id")
    tx = pd.DataFrame(
        {
            "revenue": gt["revenue"].sum(),
            "frequency": gt["date"].nunique(),
            "first": gt["date"].min(),
            "last": gt["date"].max(),
        }
    )
    out = sv.join(tx, how="outer")
    out["recency_days"] = (cutoff - out["last"]).dt.days
    out["tenure_days"] = (cutoff - out["first"]).dt.days
    return out


def sklearn_personas(x: np.ndarray, ks, seed: int):
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    z = StandardScaler().fit_transform(x)
    out = {}
    for k in ks:
        km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(z)
        sil = silhouette_score(
            z, km.labels_, sample_size=min(5000, len(z)), random_state=seed
        )
        out[k] = (km.inertia_, sil)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--transactions", type=int, default=20_000_000)
    ap.add_argument("--runs", type=int, default=1)
    a = ap.parse_args()
    ids, dates, revenue = make_log(a.customers, a.transactions)
    log = pd.DataFrame(
        {"customer_id": ids, "date": dates.astype("datetime64[ns]"), "revenue": revenue}
    )
    survey = make_survey(ids, a.customers)
    cutoff = pd.Timestamp(log["date"].max())
    print(
        f"{a.customers:,} customers, {len(log):,} transactions, {len(survey):,} survey responses; "
        f"Python {platform.python_version()}, pandas {pd.__version__}, {platform.machine()}"
    )

    t_cx, view = timed(
        lambda: cxkit.customer_view(
            survey, log, ratings=["nps", "ease"], cutoff=cutoff
        ),
        a.runs,
        warm_up=False,
    )
    t_pd, ref = timed(lambda: pandas_view(survey, log, cutoff), a.runs, warm_up=False)
    v = view.set_index("customer")
    assert v.index.tolist() == ref.index.tolist()
    np.testing.assert_array_equal(v["frequency"], ref["frequency"].fillna(0))
    np.testing.assert_allclose(v["nps_mean"], ref["nps_mean"], rtol=1e-12)
    np.testing.assert_allclose(v["revenue"], ref["revenue"].fillna(0), rtol=1e-9)
    print(
        f"customer view: cxkit {t_cx:.2f} s, pandas {t_pd:.2f} s ({t_pd / t_cx:.1f}x)"
    )

    both = view[view["in_survey"] & view["in_transactions"]]
    features = ["nps_mean", "ease_mean", "recency_days", "frequency"]
    ks = range(2, 6)
    t_cx, p = timed(
        lambda: cxkit.personas(both, features, k=ks, seed=0), a.runs, warm_up=False
    )
    x = both[features].to_numpy(dtype=float)
    t_sk, sk = timed(lambda: sklearn_personas(x, ks, 0), a.runs, warm_up=False)
    for s in p.result.scores:
        inertia = sk[s["k"]][0]
        assert abs(s["cost"] - inertia) <= 0.02 * inertia, (s, inertia)
    print(
        f"personas (k 2..5, 10 restarts, silhouette on 5,000): cxkit {t_cx:.2f} s, "
        f"scikit-learn {t_sk:.2f} s ({t_sk / t_cx:.1f}x); chosen k {p.k}"
    )


if __name__ == "__main__":
    main()
