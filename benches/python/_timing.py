"""What the Python benchmarks share: timing by the median of runs, and NPS from counts.

Ratios, not absolute times, are what the benchmarks report: these machines are shared and
noisy, so each figure is the median of several runs after a warm-up run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def timed(fn: Callable[[], Any], runs: int, warm_up: bool = True) -> tuple[float, Any]:
    """The median seconds of ``runs`` calls of ``fn`` (after one warm-up call: imports, caches,
    thread pools) and the last call's result."""
    out = fn() if warm_up else None
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def once(fn: Callable[[], Any]) -> tuple[float, Any]:
    """The seconds of one call of ``fn`` and its result."""
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def nps_from_counts(prom: Any, det: Any, n: Any) -> tuple[Any, Any]:
    """NPS in points and its (Wald) standard error from promoter, detractor and total counts:
    100 (p - d) and 100 sqrt((p + d - (p - d)^2) / n)."""
    p, d = prom / n, det / n
    est = p - d
    return 100 * est, 100 * np.sqrt((p + d - est**2) / n)


def arguments(
    description: str | None = None,
    *,
    rows: int | None = None,
    groups: int | None = None,
    runs: int = 5,
) -> argparse.ArgumentParser:
    """A parser with the options most benchmarks take: --rows, --groups, --runs."""
    ap = argparse.ArgumentParser(description=description)
    if rows is not None:
        ap.add_argument("--rows", type=int, default=rows)
    if groups is not None:
        ap.add_argument("--groups", type=int, default=groups)
    ap.add_argument("--runs", type=int, default=runs)
    return ap
