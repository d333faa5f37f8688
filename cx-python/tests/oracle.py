"""Brute-force per-respondent oracles, written independently of cxkit.

Each function loops over raw (value, weight) pairs and applies the textbook formula directly;
normal quantiles come from the standard library (statistics.NormalDist).
"""

from __future__ import annotations

import math
from statistics import NormalDist


def _pairs(values, weights):
    weights = [1.0] * len(values) if weights is None else weights
    return [
        (float(v), float(w))
        for v, w in zip(values, weights)
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    ]


def z(level: float) -> float:
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def nps_wald(values, weights=None, level=0.95, promoter_min=9, detractor_max=6):
    """NPS in points with the linearised Wald interval: Σw²(y-ȳ)²/W²."""
    pairs = _pairs(values, weights)
    w_total = sum(w for _, w in pairs)
    ys = [(1.0 if v >= promoter_min else -1.0 if v <= detractor_max else 0.0, w) for v, w in pairs]
    ybar = sum(y * w for y, w in ys) / w_total
    var = sum(w * w * (y - ybar) ** 2 for y, w in ys) / w_total**2
    se = math.sqrt(var)
    zc = z(level)
    return {
        "estimate": 100 * ybar,
        "std_error": 100 * se,
        "lower": 100 * max(-1.0, ybar - zc * se),
        "upper": 100 * min(1.0, ybar + zc * se),
        "n": len(pairs),
        "effective_n": w_total**2 / sum(w * w for _, w in pairs),
    }


def share(values, weights, in_box):
    pairs = _pairs(values, weights)
    w_total = sum(w for _, w in pairs)
    return sum(w for v, w in pairs if in_box(v)) / w_total


def wilson(p: float, n: float, level: float = 0.95):
    zc = z(level)
    denom = 1 + zc * zc / n
    centre = (p + zc * zc / (2 * n)) / denom
    half = zc / denom * math.sqrt(p * (1 - p) / n + zc * zc / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def weighted_mean_se(values, weights=None):
    pairs = _pairs(values, weights)
    n = len(pairs)
    w_total = sum(w for _, w in pairs)
    xbar = sum(v * w for v, w in pairs) / w_total
    var = n / (n - 1) * sum(w * w * (v - xbar) ** 2 for v, w in pairs) / w_total**2
    return xbar, math.sqrt(var)
