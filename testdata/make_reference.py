#!/usr/bin/env python3
"""Independent reference oracle for cx-core; writes ``testdata/cases.json``.

The expected numbers in the fixture must not come from the code under test, so this script
recomputes every metric from scratch:

* pure Python 3.11 standard library (``statistics.NormalDist`` for normal quantiles,
  ``math.erfc`` for p-values, ``math.lgamma``/``math.log1p``), no numpy or scipy;
* brute force per respondent: every sum loops over the raw (value, weight) rows with
  ``math.fsum`` (exactly rounded), never over per-point counts as cx-core's ``Tally`` does;
* its own special functions: the regularised incomplete beta function (Lentz continued
  fraction, with a Stirling-series prefactor for large shapes), inverted by bisection to full
  double precision for Beta quantiles (Clopper-Pearson, Jeffreys) and for Student-t quantiles;
* its own root finder for Tango's score interval (bisection on the squared score equation,
  with the restricted MLE taken from the quadratic of the R package NPS).

The formulas are those stated in the ``# Formula`` blocks of cx-core's doc comments
(``nps.rs``, ``satisfaction.rs``, ``inference.rs``), rewritten independently. Before writing
anything the script checks itself against published values (Rocks 2016 worked example,
Student-t and normal table values, closed-form Beta quantiles) and aborts if any differs.

Usage::

    python3 testdata/make_reference.py            # rewrites testdata/cases.json
    python3 testdata/make_reference.py --check    # self-checks only, writes nothing

The output is deterministic (inputs come from ``random.Random(seed)`` per case); only the
date in the header changes, and ``SOURCE_DATE_EPOCH`` pins it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import sys
from pathlib import Path
from statistics import NormalDist

FIXTURE = Path(__file__).resolve().with_name("cases.json")
TOLERANCE = {"relative": 1e-12, "absolute": 1e-12}

NPS = {"lowest": 0, "highest": 10, "top_box_min": 9, "bottom_box_max": 6}
CSAT = {"lowest": 1, "highest": 5, "top_box_min": 4, "bottom_box_max": 2}
CES = {"lowest": 1, "highest": 7, "top_box_min": 5, "bottom_box_max": 3}
SYM3 = {"lowest": -3, "highest": 3, "top_box_min": 2, "bottom_box_max": -2}
SLIDER = {"lowest": 0, "highest": 100, "top_box_min": 80, "bottom_box_max": 40}
YES_NO = {
    "lowest": 0,
    "highest": 1,
    "top_box_min": 1,
    "bottom_box_max": 0,
}  # no passives

NPS_METHODS = ("adjusted-wald", "wald", "score", "bootstrap")
PROPORTION_METHODS = ("wilson", "wald", "agresti-coull", "clopper-pearson", "jeffreys")


# --------------------------------------------------------------------------------------------
# Special functions
# --------------------------------------------------------------------------------------------

LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
# Stirling series of ln Γ(z) − [(z − ½) ln z − z + ½ ln 2π]: B_2k / (2k (2k − 1) z^(2k−1)).
STIRLING = (
    1 / 12,
    -1 / 360,
    1 / 1260,
    -1 / 1680,
    1 / 1188,
    -691 / 360360,
    1 / 156,
    -3617 / 122400,
)
STIRLING_MIN = 10.0  # eight terms are exact to ~1e-19 from here on


def stirling_delta(z: float) -> float:
    """ln Γ(z) minus its Stirling approximation, for z >= STIRLING_MIN."""
    z2 = 1.0 / (z * z)
    acc = 0.0
    for c in reversed(STIRLING):
        acc = acc * z2 + c
    return acc / z


def log_beta_prefactor(a: float, b: float, x: float, lx: float, ly: float) -> float:
    """ln(x^a (1 − x)^b / B(a, b)), given lx = ln x and ly = ln(1 − x) computed accurately.

    For large shapes ln B(a, b) is a difference of numbers near a ln a, so the naive form loses
    about log10(a ln a) digits; the Stirling forms below keep the cancellation analytic
    (the "brcomp" idea of DiDonato and Morris 1992).
    """
    small, big = min(a, b), max(a, b)
    if small >= STIRLING_MIN:
        c = a + b
        u = x * c - a  # x·c/a = 1 + u/a, (1 − x)·c/b = 1 − u/b
        return (
            a * math.log1p(u / a)
            + b * math.log1p(-u / b)
            + 0.5 * math.log(a / c * b)
            - LOG_SQRT_2PI
            - stirling_delta(a)
            - stirling_delta(b)
            + stirling_delta(c)
        )
    if big >= STIRLING_MIN:
        c = big + small
        # ln Γ(big) − ln Γ(big + small) by Stirling, without forming either.
        diff = (
            -(big - 0.5) * math.log1p(small / big)
            - small * math.log(c)
            + small
            + stirling_delta(big)
            - stirling_delta(c)
        )
        log_beta = math.lgamma(small) + diff
    else:
        log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    return a * lx + b * ly - log_beta


def beta_cf(a: float, b: float, x: float) -> float:
    """Continued fraction of I_x(a, b) (Numerical Recipes 6.4, modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        for num in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            step = d * c
            h *= step
        if abs(step - 1.0) <= 2.0**-52:
            return h
    raise ArithmeticError(
        f"beta continued fraction did not converge: a={a} b={b} x={x}"
    )


def beta_inc(
    a: float, b: float, x: float, y: float, lx: float, ly: float
) -> tuple[float, float]:
    """(I_x(a, b), 1 − I_x(a, b)) with y = 1 − x, lx = ln x, ly = ln y all accurate.

    Whichever tail the continued fraction converges for is computed directly, the other as its
    complement.
    """
    if x <= 0.0:
        return 0.0, 1.0
    if y <= 0.0:
        return 1.0, 0.0
    front = math.exp(log_beta_prefactor(a, b, x, lx, ly))
    if x < (a + 1.0) / (a + b + 2.0):
        lower = front * beta_cf(a, b, x) / a
        return lower, 1.0 - lower
    upper = front * beta_cf(b, a, y) / b
    return 1.0 - upper, upper


def beta_cdf(x: float, a: float, b: float) -> float:
    """Regularised incomplete beta I_x(a, b) for a float x in [0, 1]."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    return beta_inc(a, b, x, 1.0 - x, math.log(x), math.log1p(-x))[0]


def beta_ppf(q: float, a: float, b: float) -> float:
    """The q quantile of Beta(a, b): bisection on I_x(a, b) = q down to adjacent doubles."""
    lo, hi = 0.0, 1.0
    while True:
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if beta_cdf(mid, a, b) < q:
            lo = mid
        else:
            hi = mid
    # lo and hi are adjacent doubles around the root: take the one whose CDF is closer to q.
    return lo if abs(beta_cdf(lo, a, b) - q) < abs(beta_cdf(hi, a, b) - q) else hi


def t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0 and Student's t with df degrees of freedom: ½·I_{df/(df+t²)}(df/2, ½)."""
    if t == 0.0:
        return 0.5
    t2 = t * t
    x = df / (df + t2)
    y = t2 / (df + t2)
    lx = -math.log1p(t2 / df)
    ly = 2.0 * math.log(t) - math.log(df + t2)
    return 0.5 * beta_inc(df / 2.0, 0.5, x, y, lx, ly)[0]


def t_critical(level: float, df: float) -> float:
    """t such that P(T > t) = (1 − level)/2: bisection on the upper tail in t itself."""
    target = (1.0 - level) / 2.0
    lo, hi = 0.0, 1.0
    while t_upper_tail(hi, df) > target:
        lo, hi = hi, 2.0 * hi
    while True:
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if t_upper_tail(mid, df) > target:
            lo = mid
        else:
            hi = mid
    return (
        lo
        if abs(t_upper_tail(lo, df) - target) < abs(t_upper_tail(hi, df) - target)
        else hi
    )


def z_critical(level: float) -> float:
    """Φ⁻¹(1 − α/2)."""
    return NormalDist().inv_cdf(1.0 - (1.0 - level) / 2.0)


def two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0))


def bisect(f, lo: float, hi: float) -> float:
    """Root of f on [lo, hi] where f(lo) > 0 >= f(hi), to adjacent doubles."""
    while True:
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            return mid
        if f(mid) > 0.0:
            lo = mid
        else:
            hi = mid


# --------------------------------------------------------------------------------------------
# Raw data: validation and per-respondent rows
# --------------------------------------------------------------------------------------------


class OracleError(Exception):
    """A documented cx-core error, as {"code": ..., "index": ..., "value": ...}."""

    def __init__(self, code: str, **detail):
        super().__init__(code)
        self.payload = {"code": code, **detail}


def check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise OracleError("invalid_level", value=float(level))


def rows_of(
    scale: dict, values: list, weights: list | None
) -> tuple[list[tuple[int, float]], int]:
    """Validate raw answers like cx-core documents and return ([(point, weight)], missing).

    null is a missing answer (its weight ignored); a value outside lowest..=highest is
    out_of_scale, a fractional one inside is non_integer; a weight must be finite and >= 0.
    """
    if weights is not None and len(weights) != len(values):
        raise OracleError("length_mismatch")
    rows, missing = [], 0
    for i, v in enumerate(values):
        if v is None:
            missing += 1
            continue
        v = float(v)
        if not scale["lowest"] <= v <= scale["highest"]:
            raise OracleError("out_of_scale", index=i, value=v)
        if v != math.floor(v):
            raise OracleError("non_integer", index=i, value=v)
        w = 1.0 if weights is None else float(weights[i])
        if not (math.isfinite(w) and w >= 0.0):
            raise OracleError("invalid_weight", index=i, value=w)
        rows.append((int(v), w))
    return rows, missing


def totals(rows: list[tuple[int, float]]) -> tuple[float, float]:
    """(W, n_eff): total weight and Kish effective sample size, or empty_input."""
    if not rows:
        raise OracleError("empty_input")
    total = math.fsum(w for _, w in rows)
    if total <= 0.0:
        raise OracleError("empty_input")
    return total, total * total / math.fsum(w * w for _, w in rows)


def interval(lower: float, upper: float, level: float, method: str) -> dict:
    return {"lower": lower, "upper": upper, "level": level, "method": method}


# --------------------------------------------------------------------------------------------
# NPS
# --------------------------------------------------------------------------------------------


def nps_parts(scale: dict, values: list, weights: list | None) -> dict:
    """Shares, linearised variance and counts of the NPS, respondent by respondent."""
    rows, missing = rows_of(scale, values, weights)
    total, n_eff = totals(rows)

    def category(x: int) -> int:
        if x >= scale["top_box_min"]:
            return 1
        if x <= scale["bottom_box_max"]:
            return -1
        return 0

    ys = [(category(x), w) for x, w in rows]
    score = math.fsum(w * y for y, w in ys) / total
    variance = math.fsum(w * w * (y - score) ** 2 for y, w in ys) / (total * total)
    return {
        "score": score,
        "variance": variance,
        "p": math.fsum(w for y, w in ys if y == 1) / total,
        "o": math.fsum(w for y, w in ys if y == 0) / total,
        "d": math.fsum(w for y, w in ys if y == -1) / total,
        "promoters": sum(1 for y, _ in ys if y == 1),
        "passives": sum(1 for y, _ in ys if y == 0),
        "detractors": sum(1 for y, _ in ys if y == -1),
        "n": len(rows),
        "n_eff": n_eff,
        "missing": missing,
    }


def tango_score_bounds(p: float, d: float, n: float, z: float) -> tuple[float, float]:
    """Tango's (1998) score interval for p − d from a trinomial of size n (Rocks 2016).

    The restricted MLE of the detractor share under p − d = Δ is the positive root of
    2n x² − (b + c + (b − c − 2n)Δ) x − cΔ(1 − Δ) = 0 (b promoters, c detractors; the quadratic
    of the R package NPS). Each bound is where (est − Δ)² = z²·(2x + Δ(1 − Δ))/n, found by
    bisection on that squared equation (no square root, no division by the variance).
    """
    b, c = p * n, d * n
    est = p - d

    def restricted_mle(delta: float) -> float:
        qa = 2.0 * n
        qb = b + c + (b - c - 2.0 * n) * delta  # the quadratic is qa x² − qb x − qc
        qc = c * delta * (1.0 - delta)
        root = math.sqrt(max(qb * qb + 4.0 * qa * qc, 0.0))
        # Two algebraically equal forms of the positive root; use the one without cancellation
        # (qb < 0 only happens for Δ > 0, where qc >= 0 and root - qb > 0).
        if qb >= 0.0:
            return (qb + root) / (2.0 * qa)
        return 2.0 * qc / (root - qb)

    def excess(delta: float) -> float:
        """(est − Δ)² − z²·Var(Δ): positive outside the interval, negative inside."""
        var = (2.0 * restricted_mle(delta) + delta * (1.0 - delta)) / n
        return (est - delta) ** 2 - z * z * var

    lower = -1.0 if est <= -1.0 else bisect(excess, -1.0, est)
    upper = 1.0 if est >= 1.0 else -bisect(lambda t: excess(-t), -1.0, -est)
    return lower, upper


def oracle_nps(case: dict) -> dict:
    opts = case["options"]
    level = opts["level"]
    method = opts["method"]
    check_level(level)
    if method not in NPS_METHODS:
        raise OracleError("invalid_argument")
    s = nps_parts(case["scale"], case["values"], case.get("weights"))
    if method == "bootstrap":
        if opts.get("resamples", 2000) < 100:
            raise OracleError("invalid_argument")
        return None  # cross-language only: no oracle for a seeded ChaCha8 resample
    z = z_critical(level)
    est, se, n_eff = s["score"], math.sqrt(s["variance"]), s["n_eff"]
    if method == "wald":
        lower, upper = est - z * se, est + z * se
    elif method == "adjusted-wald":
        # Rocks (2016): add 3/4 promoter, 3/2 passive, 3/4 detractor.
        m = n_eff + 3.0
        pa = (s["p"] * n_eff + 0.75) / m
        da = (s["d"] * n_eff + 0.75) / m
        half = z * math.sqrt((pa + da - (pa - da) ** 2) / m)
        lower, upper = pa - da - half, pa - da + half
    else:
        lower, upper = tango_score_bounds(s["p"], s["d"], n_eff, z)
    lower, upper = max(lower, -1.0), min(upper, 1.0)
    return {
        "estimate": 100.0 * est,
        "std_error": 100.0 * se,
        "interval": interval(100.0 * lower, 100.0 * upper, level, method),
        "promoters": s["promoters"],
        "passives": s["passives"],
        "detractors": s["detractors"],
        "promoter_share": s["p"],
        "passive_share": s["o"],
        "detractor_share": s["d"],
        "n": s["n"],
        "effective_n": n_eff,
        "missing": s["missing"],
    }


def oracle_nps_difference(case: dict) -> dict:
    level = case["options"]["level"]
    check_level(level)
    a = nps_parts(case["scale"], case["values"], case.get("weights"))
    b = nps_parts(case["scale"], case["values_b"], case.get("weights_b"))
    diff = a["score"] - b["score"]
    se = math.sqrt(a["variance"] + b["variance"])
    if se == 0.0:
        raise OracleError("zero_variance")
    z = diff / se
    zc = z_critical(level)
    return {
        "estimate": 100.0 * diff,
        "std_error": 100.0 * se,
        "interval": interval(
            100.0 * (diff - zc * se), 100.0 * (diff + zc * se), level, "wald"
        ),
        "z": z,
        "p_value": two_sided_p(z),
        "nps_a": 100.0 * a["score"],
        "nps_b": 100.0 * b["score"],
        "n_a": a["n"],
        "n_b": b["n"],
    }


# --------------------------------------------------------------------------------------------
# Box shares
# --------------------------------------------------------------------------------------------


def proportion_bounds(
    x: float, n: float, se: float, level: float, method: str
) -> tuple[float, float]:
    """Interval for x successes of n (both may be fractional), per inference.rs's formula."""
    z = z_critical(level)
    alpha = 1.0 - level
    p = x / n
    if method == "wald":
        return max(p - z * se, 0.0), min(p + z * se, 1.0)
    if method == "wilson":
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return max(centre - half, 0.0), min(centre + half, 1.0)
    if method == "agresti-coull":
        nt = n + z * z
        pt = (x + z * z / 2) / nt
        half = z * math.sqrt(pt * (1 - pt) / nt)
        return max(pt - half, 0.0), min(pt + half, 1.0)
    if method == "clopper-pearson":
        lower = 0.0 if x <= 0 else beta_ppf(alpha / 2, x, n - x + 1)
        upper = 1.0 if x >= n else beta_ppf(1 - alpha / 2, x + 1, n - x)
        return lower, upper
    if method == "jeffreys":
        return beta_ppf(alpha / 2, x + 0.5, n - x + 0.5), beta_ppf(
            1 - alpha / 2, x + 0.5, n - x + 0.5
        )
    raise OracleError("invalid_argument")


def oracle_box(case: dict, top: bool) -> dict:
    opts = case["options"]
    level, method = opts["level"], opts["method"]
    check_level(level)
    if method not in PROPORTION_METHODS:
        raise OracleError("invalid_argument")
    scale = case["scale"]
    rows, missing = rows_of(scale, case["values"], case.get("weights"))
    total, n_eff = totals(rows)

    def in_box(x: int) -> bool:
        return x >= scale["top_box_min"] if top else x <= scale["bottom_box_max"]

    flags = [(1.0 if in_box(x) else 0.0, w) for x, w in rows]
    p = math.fsum(w for y, w in flags if y) / total
    se = math.sqrt(math.fsum(w * w * (y - p) ** 2 for y, w in flags)) / total
    lower, upper = proportion_bounds(p * n_eff, n_eff, se, level, method)
    return {
        "estimate": p,
        "std_error": se,
        "interval": interval(lower, upper, level, method),
        "count": sum(1 for y, _ in flags if y),
        "n": len(rows),
        "effective_n": n_eff,
        "missing": missing,
    }


# --------------------------------------------------------------------------------------------
# Means and distributions
# --------------------------------------------------------------------------------------------


def oracle_mean(case: dict) -> dict:
    level = case["options"]["level"]
    check_level(level)
    rows, missing = rows_of(case["scale"], case["values"], case.get("weights"))
    total, n_eff = totals(rows)
    n = len(rows)
    if n < 2:
        raise OracleError("insufficient_data")
    mean = math.fsum(w * x for x, w in rows) / total
    factor = n / (n - 1)
    se = math.sqrt(
        factor * math.fsum(w * w * (x - mean) ** 2 for x, w in rows) / (total * total)
    )
    sd = math.sqrt(factor * math.fsum(w * (x - mean) ** 2 for x, w in rows) / total)
    t = t_critical(level, n - 1)
    return {
        "estimate": mean,
        "std_error": se,
        "std_dev": sd,
        # clipped to the scale: a mean rating cannot lie outside it
        "interval": interval(
            max(float(case["scale"]["lowest"]), mean - t * se),
            min(float(case["scale"]["highest"]), mean + t * se),
            level,
            "student-t",
        ),
        "n": n,
        "effective_n": n_eff,
        "missing": missing,
    }


def oracle_distribution(case: dict) -> dict:
    scale = case["scale"]
    rows, missing = rows_of(scale, case["values"], case.get("weights"))
    total, n_eff = totals(rows)
    points = []
    for k in range(scale["lowest"], scale["highest"] + 1):
        mine = [w for x, w in rows if x == k]
        weight = math.fsum(mine)
        points.append(
            {"point": k, "count": len(mine), "weight": weight, "share": weight / total}
        )
    return {"points": points, "n": len(rows), "effective_n": n_eff, "missing": missing}


ORACLES = {
    "nps": oracle_nps,
    "nps_difference": oracle_nps_difference,
    "top_box": lambda c: oracle_box(c, top=True),
    "bottom_box": lambda c: oracle_box(c, top=False),
    "csat": lambda c: oracle_box(c, top=True),
    "mean": oracle_mean,
    "ces": oracle_mean,
    "distribution": oracle_distribution,
}


# --------------------------------------------------------------------------------------------
# Self-checks against published values
# --------------------------------------------------------------------------------------------


def close(got: float, want: float, tol: float, what: str) -> None:
    if not abs(got - want) <= tol:
        raise AssertionError(
            f"self-check failed: {what}: got {got!r}, want {want!r} (tol {tol})"
        )


def t_tail_closed_form(t: float, df: int) -> float:
    """P(T > t) for integer df from the finite series of Abramowitz and Stegun 26.7.3-4."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2 == 0:
        term, acc = 1.0, 1.0
        for j in range(1, df // 2):
            term *= c2 * (2 * j - 1) / (2 * j)
            acc += term
        a = math.sin(theta) * acc
    else:
        acc = 0.0
        if df > 1:
            term = acc = math.cos(theta)
            for j in range(1, (df - 1) // 2):
                term *= c2 * (2 * j) / (2 * j + 1)
                acc += term
        a = 2 / math.pi * (theta + math.sin(theta) * acc)
    return (1 - a) / 2


def rocks_values(
    detractors: int, passives: int, promoters: int, seed: int
) -> list[int]:
    """Raw answers with the given split, spread over every point of each NPS category."""
    rng = random.Random(seed)
    v = (
        [rng.randint(0, 6) for _ in range(detractors)]
        + [rng.randint(7, 8) for _ in range(passives)]
        + [rng.randint(9, 10) for _ in range(promoters)]
    )
    rng.shuffle(v)
    return v


def self_check() -> None:
    # Normal and Student-t critical values: Abramowitz and Stegun (1964) tables 26.5 and 26.10,
    # to the digits given by R's qnorm/qt (which are exact to the last printed place).
    close(z_critical(0.95), 1.959963984540054, 2e-15, "z(0.975)")
    close(z_critical(0.99), 2.5758293035489004, 2e-15, "z(0.995)")
    close(z_critical(0.90), 1.6448536269514722, 2e-15, "z(0.95)")
    # t(4, 0.975) and t(9, 0.975) to 25 digits (mpmath 1.3.0 at 50 digits, confirmed by the
    # closed-form CDF below): 2.776445105197793489790962 and 2.262157162798204999202853. The
    # values 2.7764451051977987 and 2.2621571627409915 often quoted from scipy's t.ppf are off
    # by 2e-15 and 2.5e-11 relative.
    close(t_critical(0.95, 4), 2.7764451051977987, 1e-14, "t(4, 0.975), scipy's value")
    close(t_critical(0.95, 4), 2.776445105197793489790962, 2e-15, "t(4, 0.975)")
    close(t_critical(0.95, 9), 2.262157162798204999202853, 2e-15, "t(9, 0.975)")
    for df in range(1, 12):
        for level in (0.8, 0.9, 0.95, 0.99):
            tail = (1 - level) / 2
            # The closed form itself loses a digit in 1 − A, hence the absolute 2e-15.
            close(
                t_tail_closed_form(t_critical(level, df), df),
                tail,
                2e-15,
                f"t({df}) closed form",
            )
    close(t_critical(0.99, 1), math.tan(math.pi * 0.495), 1e-12, "t(1, 0.995) = Cauchy")
    for p in (0.9, 0.975, 0.995):  # t with 2 df: (2p − 1)/√(2p(1 − p))
        close(
            t_critical(2 * p - 1, 2),
            (2 * p - 1) / math.sqrt(2 * p * (1 - p)),
            1e-13,
            f"t(2, {p})",
        )
    close(t_critical(0.95, 1e7), z_critical(0.95), 1e-6, "t(1e7) ≈ z")
    # Beta quantiles with closed forms.
    close(
        beta_ppf(0.975, 1, 10),
        1 - 0.025 ** (1 / 10),
        1e-15,
        "Clopper-Pearson 0/10 upper",
    )
    close(
        beta_ppf(0.025, 10, 1), 0.025 ** (1 / 10), 1e-15, "Clopper-Pearson 10/10 lower"
    )
    close(
        beta_ppf(0.3, 0.5, 0.5),
        math.sin(math.pi * 0.3 / 2) ** 2,
        1e-15,
        "arcsine quantile",
    )
    close(
        beta_ppf(0.025, 1, 5000),
        -math.expm1(math.log1p(-0.025) / 5000),
        1e-18,
        "Beta(1, 5000)",
    )
    for a, b, x in (
        (2.5, 3.5, 0.3),
        (40.0, 60.0, 0.45),
        (2500.5, 2499.5, 0.49),
        (0.5, 4000.5, 1e-4),
    ):
        q = beta_cdf(x, a, b)
        close(beta_ppf(q, a, b), x, 1e-14 * x, f"beta_ppf(beta_cdf) a={a} b={b}")
    # Symmetry I_x(a, b) = 1 − I_{1−x}(b, a) across the Stirling branch switch.
    close(
        beta_cdf(0.4, 9.5, 12.0) + beta_cdf(0.6, 12.0, 9.5), 1.0, 1e-15, "beta symmetry"
    )
    close(
        beta_cdf(0.3, 10.0, 25.0),
        1 - beta_cdf(0.7, 25.0, 10.0),
        1e-15,
        "beta symmetry 2",
    )

    # Rocks (2016) worked example and the R package NPS: 20 detractors, 30 passives,
    # 50 promoters, 95%.
    values = rocks_values(20, 30, 50, 1)

    def run(method):
        return oracle_nps(
            {
                "scale": NPS,
                "values": values,
                "weights": None,
                "options": {"level": 0.95, "method": method},
            }
        )

    w, aw, sc = run("wald"), run("adjusted-wald"), run("score")
    close(w["estimate"], 30.0, 1e-12, "NPS")
    close(w["interval"]["lower"], 14.6922, 5e-5, "Wald lower")
    close(w["interval"]["upper"], 45.3078, 5e-5, "Wald upper")
    close(
        (aw["interval"]["lower"] + aw["interval"]["upper"]) / 2,
        29.1262,
        5e-5,
        "adjusted centre",
    )
    close(aw["interval"]["lower"], 14.0511, 5e-5, "adjusted Wald lower")
    close(aw["interval"]["upper"], 44.2013, 5e-5, "adjusted Wald upper")
    close(sc["interval"]["lower"], 13.9551, 5e-5, "score lower")
    close(sc["interval"]["upper"], 44.3393, 5e-5, "score upper")
    # Each score bound solves |est − Δ| = z·√Var(Δ): recompute the statistic in the R form.
    z = z_critical(0.95)
    for delta, sign in (
        (sc["interval"]["lower"] / 100, 1),
        (sc["interval"]["upper"] / 100, -1),
    ):
        n, b, c = 100, 20, 50  # R's labels: b detractors, c promoters
        pb = -b - c + (2 * n - c + b) * delta
        pc = -b * delta * (1 - delta)
        q21 = (math.sqrt(pb * pb - 8 * n * pc) - pb) / (4 * n)
        stat = (c - b - n * delta) / math.sqrt(n * (2 * q21 + delta * (1 - delta)))
        close(stat, sign * z, 1e-9, "score statistic at the bound")
    # All promoters: the lower score bound has the closed form (n − z²)/(n + z²).
    ap = oracle_nps(
        {
            "scale": NPS,
            "values": [10] * 10,
            "weights": None,
            "options": {"level": 0.95, "method": "score"},
        }
    )
    close(
        ap["interval"]["lower"],
        100 * (10 - z * z) / (10 + z * z),
        1e-12,
        "all promoters",
    )

    d = oracle_nps_difference(
        {
            "scale": NPS,
            "values": values,
            "weights": None,
            "values_b": rocks_values(30, 30, 40, 2),
            "weights_b": None,
            "options": {"level": 0.95},
        }
    )
    close(d["estimate"], 20.0, 1e-12, "difference")
    close(d["std_error"], 11.40175, 5e-6, "difference SE")
    close(d["z"], 1.75412, 5e-6, "difference z")
    close(d["p_value"], 0.07941, 5e-6, "difference p")


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------


def draw(
    rng: random.Random,
    scale: dict,
    n: int,
    probs: list[float] | None = None,
    missing: float = 0.0,
) -> list:
    points = list(range(scale["lowest"], scale["highest"] + 1))
    vals = rng.choices(points, weights=probs, k=n)
    return [None if rng.random() < missing else v for v in vals]


def draw_weights(rng: random.Random, n: int, zero: float = 0.0) -> list[float]:
    """Weights in [0, 10]: mostly six-decimal uniforms, some dyadic, some exact zeros."""
    out = []
    for _ in range(n):
        r = rng.random()
        if r < zero:
            out.append(0.0)
        elif r < zero + 0.2:
            out.append(rng.randint(1, 80) / 8)
        else:
            out.append(round(rng.uniform(0.0, 10.0), 6))
    return out


NPS_PROBS = [3, 2, 2, 3, 3, 5, 7, 12, 16, 22, 25]


def build_cases() -> list[dict]:
    cases: list[dict] = []

    def add(
        name,
        function,
        scale,
        values,
        weights=None,
        options=None,
        expect_error=None,
        **extra,
    ):
        case = {
            "name": name,
            "function": function,
            "scale": scale,
            "values": values,
            "weights": weights,
        }
        case.update(extra)
        case["options"] = options or {}
        case["_expect_error"] = expect_error
        cases.append(case)

    def nps_opts(method, level=0.95, **more):
        return {"level": level, "method": method, **more}

    # --- NPS: the published worked example, every method -------------------------------------
    rocks = rocks_values(20, 30, 50, 1)
    for m in ("wald", "adjusted-wald", "score"):
        add(
            f"nps_rocks2016_{m.replace('-', '_')}",
            "nps",
            NPS,
            rocks,
            options=nps_opts(m),
        )
    add(
        "nps_rocks2016_bootstrap",
        "nps",
        NPS,
        rocks,
        options=nps_opts("bootstrap", resamples=2000, seed=42),
    )

    # --- NPS: extreme splits --------------------------------------------------------------
    promoters10 = [9, 10, 10, 9, 10, 10, 9, 10, 10, 10]
    for m in ("wald", "adjusted-wald", "score"):
        add(
            f"nps_all_promoters_{m.replace('-', '_')}",
            "nps",
            NPS,
            promoters10,
            options=nps_opts(m),
        )
    add(
        "nps_all_detractors_score",
        "nps",
        NPS,
        [0, 6, 3, 5, 1, 6, 2, 4, 0, 6],
        options=nps_opts("score"),
    )
    add(
        "nps_all_detractors_adjusted_wald_level099",
        "nps",
        NPS,
        [0, 6, 3, 5, 1, 6, 2, 4, 0, 6],
        options=nps_opts("adjusted-wald", 0.99),
    )
    add(
        "nps_all_passives_score",
        "nps",
        NPS,
        [7, 8, 8, 7, 7, 8],
        options=nps_opts("score"),
    )
    add(
        "nps_n1_promoter_adjusted_wald",
        "nps",
        NPS,
        [10],
        options=nps_opts("adjusted-wald"),
    )
    add("nps_n1_detractor_score", "nps", NPS, [2], options=nps_opts("score"))
    add("nps_n1_passive_wald", "nps", NPS, [8], options=nps_opts("wald"))
    add("nps_n2_split_wald", "nps", NPS, [10, 0], options=nps_opts("wald"))
    add(
        "nps_n2_split_score_level080",
        "nps",
        NPS,
        [0, 9],
        options=nps_opts("score", 0.80),
    )
    add(
        "nps_all_promoters_bootstrap",
        "nps",
        NPS,
        promoters10,
        options=nps_opts("bootstrap", resamples=500, seed=3),
    )

    # --- NPS: larger random samples, levels, missing values ------------------------------
    rng = random.Random(101)
    add(
        "nps_random_n5000_score_level099",
        "nps",
        NPS,
        draw(rng, NPS, 5000, NPS_PROBS),
        options=nps_opts("score", 0.99),
    )
    rng = random.Random(102)
    add(
        "nps_random_n1200_missing_adjusted_wald_level080",
        "nps",
        NPS,
        draw(rng, NPS, 1200, NPS_PROBS, missing=0.1),
        options=nps_opts("adjusted-wald", 0.80),
    )
    rng = random.Random(103)
    add(
        "nps_random_n800_wald_level090",
        "nps",
        NPS,
        draw(rng, NPS, 800, [8, 6, 6, 6, 6, 6, 8, 10, 10, 14, 20]),
        options=nps_opts("wald", 0.90),
    )

    # --- NPS: weighted (zero weights and missing values included) ------------------------
    rng = random.Random(104)
    wv = draw(rng, NPS, 400, NPS_PROBS, missing=0.05)
    ww = draw_weights(rng, 400, zero=0.05)
    for m in ("wald", "adjusted-wald", "score"):
        add(
            f"nps_weighted_{m.replace('-', '_')}",
            "nps",
            NPS,
            wv,
            ww,
            options=nps_opts(m),
        )
    add(
        "nps_weighted_bootstrap",
        "nps",
        NPS,
        wv,
        ww,
        options=nps_opts("bootstrap", 0.90, resamples=1000, seed=11),
    )
    rng = random.Random(105)
    add(
        "nps_weighted_n30_score_level099",
        "nps",
        NPS,
        draw(rng, NPS, 30, NPS_PROBS),
        draw_weights(rng, 30, zero=0.1),
        options=nps_opts("score", 0.99),
    )

    # --- NPS on custom scales ("net top box") --------------------------------------------
    rng = random.Random(106)
    add(
        "nps_scale_m3_p3_score",
        "nps",
        SYM3,
        draw(rng, SYM3, 150, [1, 2, 3, 4, 5, 4, 3]),
        options=nps_opts("score"),
    )
    rng = random.Random(107)
    add(
        "nps_scale_0_100_weighted_adjusted_wald",
        "nps",
        SLIDER,
        draw(rng, SLIDER, 600, missing=0.05),
        draw_weights(rng, 600, zero=0.02),
        options=nps_opts("adjusted-wald"),
    )
    add(
        "nps_scale_yes_no_adjusted_wald",
        "nps",
        YES_NO,
        [1, 0, 1, 1, None, 0, 1, 1, 0, 1],
        options=nps_opts("adjusted-wald"),
    )
    rng = random.Random(108)
    add(
        "nps_scale_csat_wald_level080",
        "nps",
        CSAT,
        draw(rng, CSAT, 90, [1, 1, 2, 4, 3]),
        options=nps_opts("wald", 0.80),
    )

    # --- NPS difference ------------------------------------------------------------------
    add(
        "nps_difference_rocks2016",
        "nps_difference",
        NPS,
        rocks,
        values_b=rocks_values(30, 30, 40, 2),
        weights_b=None,
        options={"level": 0.95},
    )
    rng = random.Random(201)
    add(
        "nps_difference_weighted_missing_level090",
        "nps_difference",
        NPS,
        draw(rng, NPS, 300, NPS_PROBS, missing=0.05),
        draw_weights(rng, 300, zero=0.05),
        values_b=draw(
            rng, NPS, 250, [6, 4, 4, 4, 4, 5, 7, 12, 14, 18, 20], missing=0.05
        ),
        weights_b=draw_weights(rng, 250),
        options={"level": 0.90},
    )
    rng = random.Random(202)
    add(
        "nps_difference_one_side_constant_level099",
        "nps_difference",
        NPS,
        promoters10 * 2,
        values_b=draw(rng, NPS, 60, NPS_PROBS),
        weights_b=None,
        options={"level": 0.99},
    )
    rng = random.Random(203)
    add(
        "nps_difference_scale_ces_n3000",
        "nps_difference",
        CES,
        draw(rng, CES, 3000, [2, 2, 3, 4, 5, 6, 5]),
        values_b=draw(rng, CES, 2000, [2, 3, 3, 4, 5, 5, 4]),
        weights_b=None,
        options={"level": 0.95},
    )
    rng = random.Random(204)
    add(
        "nps_difference_equal_scores_level080",
        "nps_difference",
        NPS,
        [10, 0, 8, 9, 3, 7],
        draw_weights(rng, 6),
        values_b=[9, 6, 8, 8, 10, 1],
        weights_b=None,
        options={"level": 0.80},
    )

    # --- top box: every method -----------------------------------------------------------
    rng = random.Random(301)
    tb = draw(rng, CSAT, 200, [2, 2, 3, 5, 4])
    for m in PROPORTION_METHODS:
        add(
            f"top_box_{m.replace('-', '_')}_n200",
            "top_box",
            CSAT,
            tb,
            options={"level": 0.95, "method": m},
        )
    none10 = [1, 2, 3, 3, 2, 1, 3, 2, 3, 1]
    all10 = [4, 5, 5, 4, 5, 5, 4, 4, 5, 5]
    add(
        "top_box_clopper_pearson_none_in_box_n10",
        "top_box",
        CSAT,
        none10,
        options={"level": 0.95, "method": "clopper-pearson"},
    )
    add(
        "top_box_clopper_pearson_all_in_box_n10",
        "top_box",
        CSAT,
        all10,
        options={"level": 0.95, "method": "clopper-pearson"},
    )
    add(
        "top_box_jeffreys_none_in_box_n10",
        "top_box",
        CSAT,
        none10,
        options={"level": 0.95, "method": "jeffreys"},
    )
    add(
        "top_box_wald_all_in_box_n10",
        "top_box",
        CSAT,
        all10,
        options={"level": 0.95, "method": "wald"},
    )
    add(
        "top_box_agresti_coull_none_in_box_n10_level099",
        "top_box",
        CSAT,
        none10,
        options={"level": 0.99, "method": "agresti-coull"},
    )
    add(
        "top_box_scale_yes_no_wilson",
        "top_box",
        YES_NO,
        [1, 1, 0, 1, 0, 0, 1, 1],
        options={"level": 0.95, "method": "wilson"},
    )
    add(
        "top_box_wilson_n1_level080",
        "top_box",
        CSAT,
        [5],
        options={"level": 0.80, "method": "wilson"},
    )
    rng = random.Random(302)
    wv = draw(rng, CSAT, 120, [1, 2, 3, 4, 4], missing=0.05)
    ww = draw_weights(rng, 120, zero=0.05)
    add(
        "top_box_weighted_clopper_pearson",
        "top_box",
        CSAT,
        wv,
        ww,
        options={"level": 0.95, "method": "clopper-pearson"},
    )
    add(
        "top_box_weighted_jeffreys_level099",
        "top_box",
        CSAT,
        wv,
        ww,
        options={"level": 0.99, "method": "jeffreys"},
    )
    add(
        "top_box_weighted_agresti_coull_level090",
        "top_box",
        CSAT,
        wv,
        ww,
        options={"level": 0.90, "method": "agresti-coull"},
    )
    add(
        "top_box_weighted_wald",
        "top_box",
        CSAT,
        wv,
        ww,
        options={"level": 0.95, "method": "wald"},
    )
    rng = random.Random(303)
    add(
        "top_box_scale_0_100_wilson",
        "top_box",
        SLIDER,
        draw(rng, SLIDER, 500),
        options={"level": 0.95, "method": "wilson"},
    )

    # --- bottom box ----------------------------------------------------------------------
    rng = random.Random(401)
    add(
        "bottom_box_nps_wilson",
        "bottom_box",
        NPS,
        draw(rng, NPS, 700, NPS_PROBS),
        options={"level": 0.95, "method": "wilson"},
    )
    rng = random.Random(402)
    add(
        "bottom_box_weighted_wald_level090",
        "bottom_box",
        CES,
        draw(rng, CES, 250, missing=0.1),
        draw_weights(rng, 250, zero=0.05),
        options={"level": 0.90, "method": "wald"},
    )
    add(
        "bottom_box_clopper_pearson_n2",
        "bottom_box",
        CSAT,
        [1, 5],
        options={"level": 0.95, "method": "clopper-pearson"},
    )
    add(
        "bottom_box_agresti_coull_scale_m3_p3",
        "bottom_box",
        SYM3,
        [0, 1, 3, 2, -1],
        options={"level": 0.95, "method": "agresti-coull"},
    )
    rng = random.Random(403)
    add(
        "bottom_box_jeffreys_scale_ces_level080",
        "bottom_box",
        CES,
        draw(rng, CES, 40),
        options={"level": 0.80, "method": "jeffreys"},
    )

    # --- CSAT ----------------------------------------------------------------------------
    add(
        "csat_wilson_missing",
        "csat",
        CSAT,
        [5, 4, None, 2, 3, 5, None, 4, 1, 5],
        options={"level": 0.95, "method": "wilson"},
    )
    rng = random.Random(501)
    add(
        "csat_jeffreys_n5000_level099",
        "csat",
        CSAT,
        draw(rng, CSAT, 5000, [1, 1, 2, 5, 4]),
        options={"level": 0.99, "method": "jeffreys"},
    )
    rng = random.Random(502)
    add(
        "csat_clopper_pearson_n5000",
        "csat",
        CSAT,
        draw(rng, CSAT, 5000, [1, 1, 2, 5, 4], missing=0.02),
        options={"level": 0.95, "method": "clopper-pearson"},
    )
    rng = random.Random(503)
    add(
        "csat_weighted_agresti_coull",
        "csat",
        CSAT,
        draw(rng, CSAT, 80, missing=0.1),
        draw_weights(rng, 80),
        options={"level": 0.95, "method": "agresti-coull"},
    )
    add(
        "csat_wald_clipped_level080",
        "csat",
        CSAT,
        [5, 4, 5, 5, 4, 5, 5, 4, 5, 2],
        options={"level": 0.80, "method": "wald"},
    )

    # --- mean / CES ----------------------------------------------------------------------
    add("mean_ces_doc_example", "mean", CES, [7, 6, 5, 5, 3], options={"level": 0.95})
    add(
        "mean_n10_t9",
        "mean",
        CSAT,
        [1, 2, 3, 4, 5, 5, 4, 4, 3, 5],
        options={"level": 0.95},
    )
    add("mean_n2_level080", "mean", NPS, [3, 10], options={"level": 0.80})
    add("mean_constant", "mean", CES, [6] * 10, options={"level": 0.95})
    rng = random.Random(601)
    add(
        "mean_weighted_zero_weights_missing",
        "mean",
        CES,
        draw(rng, CES, 200, missing=0.1),
        draw_weights(rng, 200, zero=0.1),
        options={"level": 0.95},
    )
    rng = random.Random(602)
    add(
        "mean_scale_m3_p3_level099",
        "mean",
        SYM3,
        draw(rng, SYM3, 75, [1, 1, 2, 3, 4, 3, 2]),
        options={"level": 0.99},
    )
    rng = random.Random(603)
    add(
        "mean_scale_0_100_weighted_n5000",
        "mean",
        SLIDER,
        draw(rng, SLIDER, 5000, missing=0.03),
        draw_weights(rng, 5000, zero=0.01),
        options={"level": 0.95},
    )
    rng = random.Random(604)
    add(
        "ces_weighted_level090",
        "ces",
        CES,
        draw(rng, CES, 150, [1, 1, 2, 3, 5, 6, 4]),
        draw_weights(rng, 150),
        options={"level": 0.90},
    )
    rng = random.Random(605)
    add(
        "ces_n300_level080",
        "ces",
        CES,
        draw(rng, CES, 300, [1, 2, 2, 3, 5, 5, 3], missing=0.05),
        options={"level": 0.80},
    )

    # --- distribution --------------------------------------------------------------------
    rng = random.Random(701)
    add(
        "distribution_nps_missing",
        "distribution",
        NPS,
        draw(rng, NPS, 250, NPS_PROBS, missing=0.08),
    )
    rng = random.Random(702)
    add(
        "distribution_weighted_zero_weights",
        "distribution",
        CSAT,
        draw(rng, CSAT, 60, missing=0.1),
        draw_weights(rng, 60, zero=0.15),
    )
    rng = random.Random(703)
    add("distribution_scale_0_100", "distribution", SLIDER, draw(rng, SLIDER, 400))
    add("distribution_n1_scale_m3_p3", "distribution", SYM3, [-3], [2.5])

    # --- errors --------------------------------------------------------------------------
    add(
        "error_out_of_scale_11",
        "nps",
        NPS,
        [3, 7, 11, 9],
        options=nps_opts("adjusted-wald"),
        expect_error={"code": "out_of_scale", "index": 2, "value": 11.0},
    )
    add(
        "error_out_of_scale_huge",
        "top_box",
        CSAT,
        [5, 1e308],
        options={"level": 0.95, "method": "wilson"},
        expect_error={"code": "out_of_scale", "index": 1, "value": 1e308},
    )
    add(
        "error_out_of_scale_below",
        "mean",
        CSAT,
        [3, 4, None, 0],
        options={"level": 0.95},
        expect_error={"code": "out_of_scale", "index": 3, "value": 0.0},
    )
    add(
        "error_out_of_scale_negative_huge",
        "distribution",
        NPS,
        [-1e308],
        expect_error={"code": "out_of_scale", "index": 0, "value": -1e308},
    )
    add(
        "error_non_integer",
        "distribution",
        NPS,
        [1, 3.5, 2],
        expect_error={"code": "non_integer", "index": 1, "value": 3.5},
    )
    add(
        "error_non_integer_weighted",
        "csat",
        CSAT,
        [4, 5, 4.25],
        [1.0, 1.0, 1.0],
        options={"level": 0.95, "method": "wilson"},
        expect_error={"code": "non_integer", "index": 2, "value": 4.25},
    )
    add(
        "error_invalid_weight",
        "nps",
        NPS,
        [9, 10, 3],
        [1.0, -1.0, 2.0],
        options=nps_opts("wald"),
        expect_error={"code": "invalid_weight", "index": 1, "value": -1.0},
    )
    add(
        "error_length_mismatch",
        "csat",
        CSAT,
        [4, 5, 1],
        [1.0, 2.0],
        options={"level": 0.95, "method": "wilson"},
        expect_error={"code": "length_mismatch"},
    )
    add(
        "error_empty_all_null",
        "nps",
        NPS,
        [None, None, None],
        options=nps_opts("adjusted-wald"),
        expect_error={"code": "empty_input"},
    )
    add(
        "error_empty_no_values",
        "distribution",
        CSAT,
        [],
        expect_error={"code": "empty_input"},
    )
    add(
        "error_empty_zero_weights",
        "mean",
        CES,
        [3, 5, 7],
        [0.0, 0.0, 0.0],
        options={"level": 0.95},
        expect_error={"code": "empty_input"},
    )
    add(
        "error_empty_b_all_null",
        "nps_difference",
        NPS,
        [9, 3],
        values_b=[None],
        weights_b=None,
        options={"level": 0.95},
        expect_error={"code": "empty_input"},
    )
    add(
        "error_insufficient_data_mean_n1",
        "mean",
        CES,
        [4, None],
        options={"level": 0.95},
        expect_error={"code": "insufficient_data"},
    )
    add(
        "error_invalid_level_1_5",
        "nps",
        NPS,
        [9, 3, 7],
        options=nps_opts("adjusted-wald", 1.5),
        expect_error={"code": "invalid_level", "value": 1.5},
    )
    add(
        "error_invalid_level_0",
        "top_box",
        CSAT,
        [5, 3],
        options={"level": 0.0, "method": "wilson"},
        expect_error={"code": "invalid_level", "value": 0.0},
    )
    add(
        "error_invalid_level_1_mean",
        "ces",
        CES,
        [5, 3],
        options={"level": 1.0},
        expect_error={"code": "invalid_level", "value": 1.0},
    )
    add(
        "error_zero_variance",
        "nps_difference",
        NPS,
        promoters10,
        values_b=[10, 9, 9],
        weights_b=None,
        options={"level": 0.95},
        expect_error={"code": "zero_variance"},
    )
    add(
        "error_invalid_argument_method_nps",
        "nps",
        NPS,
        [9, 3, 7],
        options=nps_opts("bogus"),
        expect_error={"code": "invalid_argument"},
    )
    add(
        "error_invalid_argument_method_top_box",
        "top_box",
        CSAT,
        [5, 3],
        options={"level": 0.95, "method": "bogus"},
        expect_error={"code": "invalid_argument"},
    )
    add(
        "error_invalid_argument_resamples",
        "nps",
        NPS,
        [9, 3, 7],
        options=nps_opts("bootstrap", resamples=10, seed=0),
        expect_error={"code": "invalid_argument"},
    )
    return cases


def solve(case: dict) -> dict:
    """Attach "expected" (or "expected_error") from the oracle, checking the intended error."""
    intended = case.pop("_expect_error")
    out = {k: v for k, v in case.items() if k != "options"}
    if case["function"] != "nps_difference":
        out.pop("values_b", None)
        out.pop("weights_b", None)
    if case["function"] != "distribution":
        out["options"] = case["options"]
    else:
        out["options"] = {}
    try:
        expected = ORACLES[case["function"]](case)
    except OracleError as e:
        if intended is None or e.payload != intended:
            raise AssertionError(
                f"{case['name']}: oracle raised {e.payload}, intended {intended}"
            ) from None
        out["expected"] = None
        out["expected_error"] = e.payload
        return out
    if intended is not None:
        raise AssertionError(
            f"{case['name']}: intended error {intended} but the oracle succeeded"
        )
    out["expected"] = expected
    return out


def generated_by() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        (
            datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
            if epoch
            else datetime.datetime.now(datetime.UTC)
        )
        .date()
        .isoformat()
    )
    return (
        f"testdata/make_reference.py (independent pure-standard-library oracle), "
        f"{platform.python_implementation()} {platform.python_version()}, {when}"
    )


def write(cases: list[dict]) -> None:
    """One case per line, so a regenerated fixture diffs case by case."""
    names = [c["name"] for c in cases]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise AssertionError(f"duplicate case names: {sorted(dupes)}")

    def dump(obj) -> str:
        return json.dumps(
            obj, allow_nan=False, ensure_ascii=False, separators=(",", ":")
        )

    lines = [
        "{",
        f'"generated_by":{dump(generated_by())},',
        f'"tolerance":{dump(TOLERANCE)},',
        '"cases":[',
        ",\n".join(dump(c) for c in cases),
        "]",
        "}",
    ]
    FIXTURE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="run the self-checks only")
    args = parser.parse_args()
    self_check()
    if args.check:
        print("self-checks passed")
        return 0
    cases = [solve(c) for c in build_cases()]
    write(cases)
    errors = sum(1 for c in cases if "expected_error" in c)
    cross = sum(1 for c in cases if c["expected"] is None and "expected_error" not in c)
    print(
        f"wrote {FIXTURE.name}: {len(cases)} cases ({len(cases) - errors - cross} with oracle values, "
        f"{cross} cross-language only, {errors} error cases)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
