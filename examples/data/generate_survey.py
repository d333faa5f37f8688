#!/usr/bin/env python3
"""Seeded, deterministic generator for the cxkit demo survey (``survey.csv``).

Pure Python 3.11 standard library; the same seed always yields a byte-identical
file.  All randomness comes from a single ``random.Random(seed)`` consumed in a
fixed order; nothing depends on ``hash()``, set/dict iteration quirks, time or
the environment.

Data-generating model
---------------------
*Customers.*  A fixed pool of customers (0.6 x rows, i.e. 12,000 for 20,000
rows) each gets a region (unequal sizes), a preferred channel, an engagement
weight and a persistent experience *propensity* ~ N(0, PROPENSITY_SD).  Half of
the pool was acquired inside the two-year window (2024-11-01..2026-10-31); the
rest already existed.  Every customer answers at least once; the remaining
responses are spread over customers proportionally to engagement (scaled down
for customers acquired late, who have less time to answer again).  Response
dates follow a mild seasonal curve (peak around December, slightly fewer
weekend answers).  A customer acquired in the window answers first within
0-14 days of acquisition and that response is ``customer_type = new``; every
other response is ``existing`` (~30% / 70% of rows).  Customer ids are issued
in acquisition order (pre-window customers first).  Each response uses the
preferred channel with probability PREFERRED_CHANNEL_P, else a random channel.

*Latent experience.*  Per response, ``L = propensity + REGION_EFFECT[region]
+ CHANNEL_EFFECT[channel] + TREND * (t - 0.5) + N(0, RESPONSE_NOISE_SD)``
where t in [0, 1] is the position of the date in the window (a slow
improvement over two years; app is best, phone worst).  ``L`` is standardised
to ``Lz`` with its analytic mean/sd.  The three experience dimensions
(effectiveness, ease, emotion) are ``a * Lz + sqrt(1 - a^2) * noise`` with
their own loading ``a`` (ease loads more weakly on phone), then cut into 1-5
at normal quantiles of the target shares in ``SCALE_SHARES``.  CSAT (1-5) and
NPS (0-10) are cut from standardised weighted composites of Lz and the three
dimension scores plus noise (emotion weighs more in NPS); CES (1-7, CES 2.0
convention: 7 = "strongly agree the company made it easy", higher is better)
is driven mostly by ease.  Item nonresponse is MCAR, independent per column
(``MISSING_P``): the true value still drives the outcomes below, only the
reported cell is left empty.

*Outcomes.*  ``retained``, ``bought_more`` and ``recommended`` are Bernoulli
draws from logistic models whose log-odds rise with Lz and the dimension
scores (effectiveness weighs most for retained, ease for bought_more, emotion
for recommended), plus N(0, OUTCOME_NOISE_SD) noise; new customers retain a
little less.  ``revenue`` is 0 with probability REVENUE_ZERO_P, else lognormal
with log-mean raised for existing customers, for bought_more = 1 and mildly by
Lz; it is rounded to 2 decimals.

*Transactions* (``transactions.csv``: customer_id, date, revenue, channel) are the purchase
log of the same customers over the same window, drawn from a separate stream
``random.Random(seed + TX_SEED_OFFSET)`` after the survey, so survey.csv is byte-identical with
or without it.  With ``z = propensity / PROPENSITY_SD`` (the persistent experience behind the
customer's survey answers), each customer buys at a gamma-distributed daily rate scaled by
``exp(TX_RATE_SLOPE * z)`` and, after each purchase past their last survey answer, drops out
with a chance whose logit falls by ``TX_DROP_SLOPE * z`` (a BG/NBD-like process: better
experience, more repeat purchases and less churn).  Customers acquired in the window buy on
their acquisition day; every survey answer follows a purchase that day.  A purchase is gamma
around the customer's lognormal mean spend (slightly higher with ``z``), rounded to cents; about
1% of purchases get a partial refund (a negative row) within 14 days.

Usage: ``python3 examples/data/generate_survey.py [--rows N] [--seed S] [--out PATH]
[--transactions PATH]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
from pathlib import Path
from statistics import NormalDist

# --------------------------------------------------------------------------
# Constants (effect sizes and targets)
# --------------------------------------------------------------------------
SEED = 20241101
N_ROWS = 20_000
CUSTOMERS_PER_ROW = 0.6            # 20,000 rows -> 12,000 customers
NEW_CUSTOMER_SHARE = 0.5           # share of customers acquired in the window
START = dt.date(2024, 11, 1)
END = dt.date(2026, 10, 31)
FIRST_RESPONSE_MAX_LAG = 14        # days after acquisition

SEASON_AMPLITUDE = 0.15            # +-15% response volume over the year
SEASON_PEAK_DOY = 340              # early December
WEEKEND_FACTOR = 0.8

REGION_WEIGHTS = {"North": 0.24, "South": 0.18, "East": 0.22, "West": 0.26, "Central": 0.10}
CHANNEL_WEIGHTS = {"web": 0.38, "app": 0.27, "phone": 0.20, "store": 0.15}
PREFERRED_CHANNEL_P = 0.8

# Latent experience, in raw latent units
PROPENSITY_SD = 0.55               # persistent customer-level component
RESPONSE_NOISE_SD = 0.55           # per-response component
REGION_EFFECT = {"North": 0.05, "South": -0.10, "East": 0.00, "West": 0.10, "Central": -0.15}
CHANNEL_EFFECT = {"web": 0.00, "app": 0.20, "phone": -0.35, "store": 0.10}
TREND = 0.30                       # total improvement from first to last day

# Loadings of the dimensions on the standardised latent
LOADING = {"effectiveness": 0.80, "ease": 0.75, "emotion": 0.70}
EASE_LOADING_PHONE = 0.60

# Composite weights (on Lz, effectiveness, ease, emotion) and extra noise sd
CSAT_WEIGHTS = (0.35, 0.25, 0.20, 0.25)
CSAT_NOISE_SD = 0.45
NPS_WEIGHTS = (0.30, 0.20, 0.15, 0.35)
NPS_NOISE_SD = 0.50
CES_EASE_LOADING = 0.80            # ces = 0.8 * ease + ...
CES_LATENT_LOADING = 0.10          # ... + 0.1 * Lz + noise

# Target marginal shares per scale point (lowest point first)
SCALE_SHARES = {
    "effectiveness": (0.04, 0.08, 0.18, 0.38, 0.32),
    "ease": (0.05, 0.09, 0.17, 0.36, 0.33),
    "emotion": (0.06, 0.10, 0.22, 0.34, 0.28),
    "csat": (0.05, 0.07, 0.14, 0.38, 0.36),
    "ces": (0.03, 0.04, 0.07, 0.12, 0.22, 0.28, 0.24),
    "nps": (0.03, 0.015, 0.02, 0.025, 0.03, 0.06, 0.09, 0.12, 0.18, 0.17, 0.26),
}

MISSING_P = {"nps": 0.01, "csat": 0.03, "ces": 0.06,
             "effectiveness": 0.03, "ease": 0.025, "emotion": 0.035}

# Logistic outcome models: intercept, Lz, effectiveness, ease, emotion
OUTCOME_COEFS = {
    "retained":    (1.75, 0.45, 0.40, 0.15, 0.15),
    "bought_more": (-0.95, 0.25, 0.10, 0.35, 0.10),
    "recommended": (-0.75, 0.35, 0.10, 0.10, 0.50),
}
OUTCOME_NOISE_SD = 0.5
NEW_CUSTOMER_RETENTION_SHIFT = -0.3

# Revenue (lognormal)
REVENUE_ZERO_P = 0.05
REVENUE_LOG_MEAN = 4.55
REVENUE_LOG_SD = 0.70
REVENUE_EXISTING_SHIFT = 0.25
REVENUE_BOUGHT_MORE_SHIFT = 0.40
REVENUE_LATENT_SLOPE = 0.10

# Transactions (a separate random stream: survey.csv does not change)
TX_SEED_OFFSET = 7_919             # transactions use random.Random(seed + TX_SEED_OFFSET)
TX_RATE_MEAN = 0.032               # purchases per day while alive, average customer
TX_RATE_SHAPE = 2.0                # gamma heterogeneity of the purchase rate
TX_RATE_SLOPE = 0.25               # log purchase rate per sd of experience propensity
TX_DROP_MEAN = 0.06                # chance of dropping out after a purchase, average customer
TX_DROP_SD = 0.6                   # logit-scale heterogeneity of the dropout chance
TX_DROP_SLOPE = 0.8                # logit dropout change per sd of propensity (better = stays)
TX_SPEND_LOG_MEAN = 3.6            # log of the average customer's mean spend per purchase
TX_SPEND_CUSTOMER_SD = 0.45        # customer heterogeneity of mean spend (log scale)
TX_SPEND_SLOPE = 0.08              # log mean spend per sd of propensity
TX_ITEM_SHAPE = 4.0                # gamma shape of one purchase around the customer's mean
TX_REFUND_P = 0.01                 # chance that a purchase is partly refunded later
TX_HEADER = ["customer_id", "date", "revenue", "channel"]

HEADER = ["respondent_id", "customer_id", "date", "region", "channel", "customer_type",
          "nps", "csat", "ces", "effectiveness", "ease", "emotion",
          "retained", "bought_more", "recommended", "revenue"]

N_DAYS = (END - START).days + 1
STD_NORMAL = NormalDist()


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
def cut_points(shares: tuple[float, ...]) -> list[float]:
    """Normal quantiles splitting N(0, 1) into the given shares."""
    total = sum(shares)
    cuts, cum = [], 0.0
    for s in shares[:-1]:
        cum += s / total
        cuts.append(STD_NORMAL.inv_cdf(cum))
    return cuts


CUTS = {name: cut_points(shares) for name, shares in SCALE_SHARES.items()}


def to_scale(z: float, name: str, lowest: int) -> int:
    """Map a standard-normal score onto an integer scale starting at ``lowest``."""
    level = 0
    for c in CUTS[name]:
        if z > c:
            level += 1
    return lowest + level


def weighted_moments(weights: dict[str, float], effects: dict[str, float]) -> tuple[float, float]:
    mean = sum(weights[k] * effects[k] for k in weights)
    var = sum(weights[k] * (effects[k] - mean) ** 2 for k in weights)
    return mean, var


def latent_moments() -> tuple[float, float]:
    """Analytic mean and sd of the raw latent L (dates treated as uniform)."""
    r_mean, r_var = weighted_moments(REGION_WEIGHTS, REGION_EFFECT)
    c_mean, c_var = weighted_moments(CHANNEL_WEIGHTS, CHANNEL_EFFECT)
    var = PROPENSITY_SD ** 2 + RESPONSE_NOISE_SD ** 2 + r_var + c_var + TREND ** 2 / 12
    return r_mean + c_mean, math.sqrt(var)


LATENT_MEAN, LATENT_SD = latent_moments()


def composite_sd(weights: tuple[float, ...], noise_sd: float) -> float:
    """Sd of w0*Lz + sum(w_i * dim_i) + noise, with dim_i = a_i*Lz + sqrt(1-a_i^2)*e_i."""
    loads = (LOADING["effectiveness"], LOADING["ease"], LOADING["emotion"])
    common = weights[0] + sum(w * a for w, a in zip(weights[1:], loads))
    unique = sum(w * w * (1 - a * a) for w, a in zip(weights[1:], loads))
    return math.sqrt(common ** 2 + unique + noise_sd ** 2)


CSAT_SD = composite_sd(CSAT_WEIGHTS, CSAT_NOISE_SD)
NPS_SD = composite_sd(NPS_WEIGHTS, NPS_NOISE_SD)
CES_NOISE_SD = math.sqrt(max(0.0, 1 - CES_EASE_LOADING ** 2 - CES_LATENT_LOADING ** 2
                             - 2 * CES_EASE_LOADING * CES_LATENT_LOADING * LOADING["ease"]))


def day_weights() -> list[float]:
    """Relative response volume for each day of the window (seasonality)."""
    weights = []
    for i in range(N_DAYS):
        day = START + dt.timedelta(days=i)
        doy = day.timetuple().tm_yday
        w = 1 + SEASON_AMPLITUDE * math.cos(2 * math.pi * (doy - SEASON_PEAK_DOY) / 365.25)
        if day.weekday() >= 5:
            w *= WEEKEND_FACTOR
        weights.append(w)
    return weights


def cumulative(values: list[float]) -> list[float]:
    out, acc = [], 0.0
    for v in values:
        acc += v
        out.append(acc)
    return out


def draw_day(rng: random.Random, cum: list[float], lo: int = 0) -> int:
    """Draw a day index in [lo, N_DAYS) with seasonal weights."""
    base = cum[lo - 1] if lo > 0 else 0.0
    u = base + rng.random() * (cum[-1] - base)
    # binary search for first index with cum[i] > u
    a, b = lo, N_DAYS - 1
    while a < b:
        m = (a + b) // 2
        if cum[m] > u:
            b = m
        else:
            a = m + 1
    return a


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------
def make_customers(rng: random.Random, n_customers: int, cum: list[float]) -> list[dict]:
    customers = []
    for _ in range(n_customers):
        is_new = rng.random() < NEW_CUSTOMER_SHARE
        customers.append({
            "region": pick(rng, REGION_WEIGHTS),
            "channel": pick(rng, CHANNEL_WEIGHTS),
            "propensity": rng.gauss(0, PROPENSITY_SD),
            "engagement": rng.expovariate(1.0),
            "acquired": draw_day(rng, cum) if is_new else None,
        })
    # ids in acquisition order: pre-window customers first, then by acquisition day
    customers.sort(key=lambda c: -1 if c["acquired"] is None else c["acquired"])
    for i, c in enumerate(customers, start=1):
        c["id"] = f"C{i:05d}"
    return customers


def response_counts(rng: random.Random, customers: list[dict], n_rows: int) -> list[int]:
    """At least one response each; the rest proportional to engagement x time available."""
    counts = [1] * len(customers)
    weights = []
    for c in customers:
        available = 1.0 if c["acquired"] is None else (N_DAYS - c["acquired"]) / N_DAYS
        weights.append(c["engagement"] * available)
    extra = n_rows - len(customers)
    for idx in rng.choices(range(len(customers)), weights=weights, k=extra):
        counts[idx] += 1
    return counts


def response_days(rng: random.Random, c: dict, n: int, cum: list[float]) -> list[tuple[int, bool]]:
    """(day index, is_new) for each response of customer ``c``."""
    if c["acquired"] is None:
        return sorted((draw_day(rng, cum), False) for _ in range(n))
    first = min(c["acquired"] + rng.randint(0, FIRST_RESPONSE_MAX_LAG), N_DAYS - 1)
    later = sorted(draw_day(rng, cum, lo=first) for _ in range(n - 1))
    return [(first, True)] + [(d, False) for d in later]


def rate(rng: random.Random, c: dict, day: int, is_new: bool) -> dict:
    """All survey answers and outcomes for one response."""
    channel = c["channel"] if rng.random() < PREFERRED_CHANNEL_P else pick(rng, CHANNEL_WEIGHTS)
    t = day / (N_DAYS - 1)
    latent = (c["propensity"] + REGION_EFFECT[c["region"]] + CHANNEL_EFFECT[channel]
              + TREND * (t - 0.5) + rng.gauss(0, RESPONSE_NOISE_SD))
    lz = (latent - LATENT_MEAN) / LATENT_SD

    dims = {}
    for name in ("effectiveness", "ease", "emotion"):
        a = EASE_LOADING_PHONE if (name == "ease" and channel == "phone") else LOADING[name]
        dims[name] = a * lz + math.sqrt(1 - a * a) * rng.gauss(0, 1)
    eff, ease, emo = dims["effectiveness"], dims["ease"], dims["emotion"]

    w = CSAT_WEIGHTS
    csat_z = (w[0] * lz + w[1] * eff + w[2] * ease + w[3] * emo
              + rng.gauss(0, CSAT_NOISE_SD)) / CSAT_SD
    w = NPS_WEIGHTS
    nps_z = (w[0] * lz + w[1] * eff + w[2] * ease + w[3] * emo
             + rng.gauss(0, NPS_NOISE_SD)) / NPS_SD
    ces_z = CES_EASE_LOADING * ease + CES_LATENT_LOADING * lz + rng.gauss(0, CES_NOISE_SD)

    answers = {
        "nps": to_scale(nps_z, "nps", 0),
        "csat": to_scale(csat_z, "csat", 1),
        "ces": to_scale(ces_z, "ces", 1),
        "effectiveness": to_scale(eff, "effectiveness", 1),
        "ease": to_scale(ease, "ease", 1),
        "emotion": to_scale(emo, "emotion", 1),
    }

    outcomes = {}
    for name, (b0, b_l, b_eff, b_ease, b_emo) in OUTCOME_COEFS.items():
        x = (b0 + b_l * lz + b_eff * eff + b_ease * ease + b_emo * emo
             + rng.gauss(0, OUTCOME_NOISE_SD))
        if name == "retained" and is_new:
            x += NEW_CUSTOMER_RETENTION_SHIFT
        outcomes[name] = 1 if rng.random() < logistic(x) else 0

    if rng.random() < REVENUE_ZERO_P:
        revenue = 0.0
    else:
        mu = (REVENUE_LOG_MEAN + REVENUE_EXISTING_SHIFT * (not is_new)
              + REVENUE_BOUGHT_MORE_SHIFT * outcomes["bought_more"] + REVENUE_LATENT_SLOPE * lz)
        revenue = rng.lognormvariate(mu, REVENUE_LOG_SD)

    # item nonresponse (MCAR); drawn in a fixed column order
    for name in ("nps", "csat", "ces", "effectiveness", "ease", "emotion"):
        if rng.random() < MISSING_P[name]:
            answers[name] = ""

    return {"channel": channel, **answers, **outcomes, "revenue": f"{revenue:.2f}"}


def generate(n_rows: int = N_ROWS, seed: int = SEED,
             customers_out: list[dict] | None = None) -> list[dict]:
    """Survey rows; when ``customers_out`` is a list, the customers (with their survey days in
    ``survey_days``) are appended to it for :func:`generate_transactions`."""
    rng = random.Random(seed)
    cum = cumulative(day_weights())
    n_customers = max(1, min(n_rows, round(n_rows * CUSTOMERS_PER_ROW)))
    customers = make_customers(rng, n_customers, cum)
    counts = response_counts(rng, customers, n_rows)

    rows = []
    for ci, (c, n) in enumerate(zip(customers, counts)):
        days = response_days(rng, c, n, cum)
        c["survey_days"] = [d for d, _ in days]
        for seq, (day, is_new) in enumerate(days):
            rec = rate(rng, c, day, is_new)
            rec.update({
                "customer_id": c["id"],
                "date": (START + dt.timedelta(days=day)).isoformat(),
                "region": c["region"],
                "customer_type": "new" if is_new else "existing",
                "_key": (day, ci, seq),
            })
            rows.append(rec)

    rows.sort(key=lambda r: r["_key"])
    for rid, r in enumerate(rows, start=1):
        del r["_key"]
        r["respondent_id"] = rid
    if customers_out is not None:
        customers_out.extend(customers)
    return rows


# --------------------------------------------------------------------------
# Transactions (the behaviour of the same customers)
# --------------------------------------------------------------------------
def generate_transactions(customers: list[dict], seed: int = SEED) -> list[dict]:
    """The purchase log of the survey's customers, from its own random stream.

    The stream is ``random.Random(seed + TX_SEED_OFFSET)``, so the survey draws, and therefore
    survey.csv, do not change.  See the module docstring for the model.
    """
    rng = random.Random(seed + TX_SEED_OFFSET)
    rows = []
    for ci, c in enumerate(customers):
        z = c["propensity"] / PROPENSITY_SD          # the experience behind the survey answers
        rate = (rng.gammavariate(TX_RATE_SHAPE, TX_RATE_MEAN / TX_RATE_SHAPE)
                * math.exp(TX_RATE_SLOPE * z))
        drop = logistic(math.log(TX_DROP_MEAN / (1 - TX_DROP_MEAN))
                        + rng.gauss(0, TX_DROP_SD) - TX_DROP_SLOPE * z)
        spend = math.exp(TX_SPEND_LOG_MEAN + rng.gauss(0, TX_SPEND_CUSTOMER_SD)
                         + TX_SPEND_SLOPE * z)
        last_survey = max(c["survey_days"])
        days = set(c["survey_days"])          # each answer follows a purchase that day
        if c["acquired"] is not None:
            days.add(c["acquired"])           # acquisition is the first purchase
            t = float(c["acquired"])
        else:
            t = 0.0
        while True:
            t += rng.expovariate(rate)
            if t >= N_DAYS:
                break
            day = int(t)
            if c["acquired"] is not None and day < c["acquired"]:
                continue
            days.add(day)
            if day > last_survey and rng.random() < drop:
                break
        for day in sorted(days):
            channel = c["channel"] if rng.random() < PREFERRED_CHANNEL_P else pick(rng, CHANNEL_WEIGHTS)
            amount = rng.gammavariate(TX_ITEM_SHAPE, spend / TX_ITEM_SHAPE)
            rows.append({"customer_id": c["id"], "date": day, "revenue": amount,
                         "channel": channel, "_key": (day, ci, 0)})
            if rng.random() < TX_REFUND_P:    # a partial refund a few days later
                later = day + rng.randint(1, 14)
                if later < N_DAYS:
                    rows.append({"customer_id": c["id"], "date": later,
                                 "revenue": -round(amount * rng.uniform(0.2, 1.0), 2),
                                 "channel": channel, "_key": (later, ci, 1)})
    rows.sort(key=lambda r: r["_key"])
    for r in rows:
        del r["_key"]
        r["date"] = (START + dt.timedelta(days=r["date"])).isoformat()
        r["revenue"] = f"{r['revenue']:.2f}"
    return rows


def write_transactions(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=TX_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_csv(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=N_ROWS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "survey.csv")
    parser.add_argument("--transactions", type=Path,
                        default=Path(__file__).resolve().parent / "transactions.csv",
                        help="where to write the purchase log of the same customers")
    args = parser.parse_args()
    customers: list[dict] = []
    rows = generate(args.rows, args.seed, customers)
    write_csv(rows, args.out)
    print(f"wrote {len(rows)} rows to {args.out}")
    tx = generate_transactions(customers, args.seed)
    write_transactions(tx, args.transactions)
    print(f"wrote {len(tx)} rows to {args.transactions}")


if __name__ == "__main__":
    main()
