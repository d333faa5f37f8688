"""Loyalty lift, loyalty curve, revenue impact and key drivers: ``loyalty_lift``,
``mean_lift``, ``loyalty_curve``, ``revenue_impact``, ``key_drivers``.

DataFrame plumbing only: columns are resolved here and handed to the Rust core as float64
arrays; the core classifies respondents, builds the one-pass summaries and computes every
number (see the Rust docs of ``cx_core::loyalty`` and ``cx_core::drivers`` for formulas).

Exposure groups (who is "exposed" and who is the "reference"):

- by default, from the rating column ``score`` on ``scale`` ('nps' by default): the top box
  (promoters, 9-10) against the bottom box (detractors, 0-6);
- ``exposure`` a side name ('top_box' / 'promoters', 'bottom_box' / 'detractors', 'middle' /
  'passives') or a point range ``(lowest, highest)`` on ``score``; ``reference`` likewise, or
  'rest' (the default when ``exposure`` is given): every rated respondent not exposed;
- ``exposure`` a boolean column name or a boolean / 0-1 array (missing: no group), with
  ``reference`` another mask, or None for every row not exposed;
- ``band=`` a column (or array) of labels such as CX-index bands: ``exposure`` and
  ``reference`` are then a label or a list of labels (``reference=None``: every other label).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from cxkit import _cxkit
from cxkit._by import _is_frame, _library, _output
from cxkit._convert import as_values, as_weights

_SIDES = frozenset(
    {
        "top_box",
        "top-box",
        "promoters",
        "bottom_box",
        "bottom-box",
        "detractors",
        "middle",
        "passives",
        "rest",
    }
)


def _floats(values: Any) -> np.ndarray:
    """Any array-like (bool, int, float, pandas/polars with nulls) as contiguous float64."""
    return np.ascontiguousarray(as_values(values), dtype=np.float64)


def _column(data: Any, x: Any, what: str) -> Any:
    if isinstance(x, str):
        if not _is_frame(data):
            raise TypeError(f"{what}={x!r} names a column; pass a DataFrame as the first argument")
        return data[x]
    return x


def _is_side(x: Any) -> bool:
    return (isinstance(x, str) and x.lower() in _SIDES) or (
        isinstance(x, tuple) and len(x) == 2 and all(isinstance(v, (int, np.integer)) for v in x)
    )


def _label_mask(labels: Any, wanted: Any) -> np.ndarray:
    """1.0 where the label is one of ``wanted``, 0.0 elsewhere, NaN where the label is missing."""
    lib = _library(labels)
    if lib == "polars":
        arr = np.asarray(labels.to_list(), dtype=object)
    elif lib == "pandas":
        arr = labels.astype(object).to_numpy()
    else:
        arr = np.asarray(labels, dtype=object)
    wanted_list = list(wanted) if isinstance(wanted, (list, tuple, set)) else [wanted]
    missing = np.array([v is None or (isinstance(v, float) and v != v) for v in arr], dtype=bool)
    out = np.isin(arr, np.asarray(wanted_list, dtype=object)).astype(np.float64)
    out[missing] = np.nan
    return out


def _groups(
    data: Any,
    n: int,
    exposure: Any,
    reference: Any,
    score: Any,
    scale: Any,
    band: Any,
) -> np.ndarray:
    """Exposure codes per row: 0 exposed, 1 reference, 2 neither, 3 unknown."""
    if band is not None:
        labels = _column(data, band, "band")
        if exposure is None:
            raise TypeError("with band=, exposure= names the label(s) of the exposed group")
        exposed = _label_mask(labels, exposure)
        ref = None if reference is None else _label_mask(labels, reference)
        if ref is not None:
            both = (exposed == 1) & (ref == 1)
            if both.any():
                _cxkit._invalid_argument(
                    "reference", repr(reference), "labels apart from the exposed ones"
                )
        codes = _cxkit._exposure_masks(exposed, ref)
    elif exposure is None or _is_side(exposure):
        if score is None:
            raise TypeError("score= is needed for exposure groups from a rating")
        ratings = _floats(_column(data, score, "score"))
        if exposure is None:
            exposure, reference = "top_box", "bottom_box" if reference is None else reference
        codes = _cxkit._exposure_rule(
            ratings, "nps" if scale is None else scale, exposure, reference or "rest"
        )
    else:
        exposed = _floats(_column(data, exposure, "exposure"))
        ref = None if reference is None else _floats(_column(data, reference, "reference"))
        codes = _cxkit._exposure_masks(exposed, ref)
    if len(codes) != n:
        _cxkit._length_mismatch("outcome", n, "exposure", len(codes))
    return codes


def _weights(data: Any, weights: Any) -> np.ndarray | None:
    if weights is None:
        return None
    return as_weights(_column(data, weights, "weights"))


def loyalty_lift(
    data: Any = None,
    outcome: Any = "retained",
    exposure: Any = None,
    reference: Any = None,
    *,
    score: Any = "nps",
    scale: Any = None,
    band: Any = None,
    weights: Any = None,
    level: float = 0.95,
) -> Any:
    """Lift of a 0/1 loyalty outcome (retained, bought more, recommended) in the exposed group
    over the reference group: both rates with Wilson intervals, the risk ratio (Katz log
    interval), the risk difference (Newcombe hybrid score interval) and the odds ratio (Woolf
    logit interval), each with a two-sided p-value (ratios: Wald test on the log scale, the
    same standard error as their interval; difference: pooled two-proportion z-test).

    ``data`` is a pandas/polars DataFrame (then ``outcome``, ``score``, ``exposure``,
    ``reference``, ``band`` and ``weights`` may name columns) or None (then pass arrays).
    ``outcome`` is one column (returns a :class:`Lift`) or a list of columns (returns a
    DataFrame, one row per outcome). Outcomes must be 0/1 or bool (missing: skipped and
    counted). Exposure groups: see the module docstring; by default promoters vs detractors
    of ``score``. Weighted data go through Kish's effective n. Rates and differences are
    shares 0..1.

    >>> import cxkit
    >>> r = cxkit.loyalty_lift(outcome=[1] * 56 + [0] * 14 + [1] * 48 + [0] * 32,
    ...                        exposure=[1] * 70 + [0] * 80)
    >>> [round(x, 4) for x in r.risk_difference.interval]    # Newcombe (1998): 0.0524, 0.3339
    [0.0524, 0.3339]

    ``data`` may also be a ``cxkit.JointTally`` (e.g. merged from partitions' bytes); then
    only ``level`` applies.
    """
    if isinstance(data, _cxkit.JointTally):
        return _cxkit._lift_of_joint(data, level)
    multi = (
        isinstance(outcome, (list, tuple))
        and len(outcome) > 0
        and all(isinstance(o, str) for o in outcome)
    )
    outcomes = list(outcome) if multi else [outcome]
    columns = [_floats(_column(data, o, "outcome")) for o in outcomes]
    n = len(columns[0])
    codes = _groups(data, n, exposure, reference, score, scale, band)
    w = _weights(data, weights)
    lifts = [_cxkit._lift(codes, y, w, level) for y in columns]
    if not multi:
        return lifts[0]
    return _output(_lift_table(outcomes, lifts), _library(data))


def _lift_table(names: Sequence[str], lifts: Sequence[Any]) -> dict[str, list[Any]]:
    t: dict[str, list[Any]] = {"outcome": list(names)}
    for side in ("exposed", "reference"):
        t[f"{side}_rate"] = [getattr(x, side).estimate for x in lifts]
        t[f"{side}_lower"] = [getattr(x, side).interval.lower for x in lifts]
        t[f"{side}_upper"] = [getattr(x, side).interval.upper for x in lifts]
        t[f"{side}_n"] = [getattr(x, side).n for x in lifts]
    for name, short in (("risk_ratio", "rr"), ("risk_difference", "rd"), ("odds_ratio", "or")):
        t[name] = [getattr(x, name).estimate for x in lifts]
        t[f"{short}_lower"] = [getattr(x, name).interval.lower for x in lifts]
        t[f"{short}_upper"] = [getattr(x, name).interval.upper for x in lifts]
        t[f"{short}_p"] = [getattr(x, name).p_value for x in lifts]
    t["zero_cell_correction"] = [x.zero_cell_correction for x in lifts]
    return t


def mean_lift(
    data: Any = None,
    outcome: Any = "revenue",
    exposure: Any = None,
    reference: Any = None,
    *,
    score: Any = "nps",
    scale: Any = None,
    band: Any = None,
    weights: Any = None,
    level: float = 0.95,
) -> Any:
    """Lift of a continuous outcome (spend, revenue) in the exposed group over the reference
    group: the difference of means with Welch's interval and t-test, and the ratio of means
    (delta method on the log scale; None unless both means are positive). Groups as in
    :func:`loyalty_lift`.

    >>> import cxkit
    >>> r = cxkit.mean_lift(outcome=[10.0, 12, 14, 5, 6, 7], exposure=[1, 1, 1, 0, 0, 0])
    >>> round(r.difference.estimate, 6), round(r.ratio.estimate, 6)
    (6.0, 2.0)
    """
    y = _floats(_column(data, outcome, "outcome"))
    codes = _groups(data, len(y), exposure, reference, score, scale, band)
    return _cxkit._mean_lift(codes, y, _weights(data, weights), level)


def loyalty_curve(
    data: Any = None,
    score: Any = "nps",
    outcome: Any = "retained",
    *,
    scale: Any = None,
    weights: Any = None,
    level: float = 0.95,
) -> Any:
    """The loyalty curve: the rate of a 0/1 outcome at each point of a rating scale (e.g. the
    retention rate at NPS 0..10) with Wilson intervals, which shows where loyalty breaks.

    Returns a DataFrame (the caller's library; pandas for arrays) with one row per scale
    point: ``point``, ``n``, ``count``, ``effective_n``, ``rate`` (0..1), ``std_error``,
    ``lower``, ``upper``, ``missing`` (outcome missing at that point). A point nobody chose
    has NaN rate and interval. Respondents without a rating are left out; their number and
    the overall rate are in ``attrs`` (pandas).

    >>> import cxkit
    >>> c = cxkit.loyalty_curve(score=[10, 10, 0, 0, 5], outcome=[1, 1, 0, 1, 1])
    >>> list(c["rate"].round(2)[[0, 5, 10]])
    [0.5, 1.0, 1.0]
    """
    ratings = _floats(_column(data, score, "score"))
    y = _floats(_column(data, outcome, "outcome"))
    if len(ratings) != len(y):
        _cxkit._length_mismatch("ratings", len(ratings), "outcome", len(y))
    table = _cxkit._curve(
        ratings, y, "nps" if scale is None else scale, _weights(data, weights), level
    )
    meta = {
        k: table.pop(k) for k in ("overall", "overall_lower", "overall_upper", "missing_rating")
    }
    frame = _output(table, _library(data))
    if hasattr(frame, "attrs"):
        frame.attrs.update(meta)
    return frame


def revenue_impact(
    data: Any = None,
    outcome: Any = "retained",
    *,
    customers: Any,
    revenue_per_customer: float,
    share: float = 0.1,
    to: str = "promoters",
    exposure: Any = None,
    reference: Any = None,
    score: Any = "nps",
    scale: Any = None,
    band: Any = None,
    weights: Any = None,
    level: float = 0.95,
) -> Any:
    """Expected change in retained customers and revenue if ``share`` of the reference group
    (detractors) moved ``to`` the exposed group ('promoters') or to neither ('passives'), from
    the measured outcome rates and a customer base.

    ``customers`` is the total number of customers (split by the survey's weighted group
    shares) or a dict of counts: ``{'promoters': ..., 'passives': ..., 'detractors': ...}``
    (or ``exposed`` / ``neither`` / ``reference``). ``revenue_per_customer`` is in your money
    unit. Model: change in retained = share x detractors x (rate_to - rate_detractors);
    revenue = that x revenue per customer. Intervals rescale the Newcombe hybrid score
    interval of the rate difference (the uncertainty of the measured lift); the counts and the
    revenue per customer are taken as known.

    >>> import cxkit
    >>> r = cxkit.revenue_impact(outcome=[1, 1, 1, 0, 1, 0, 0, 0], exposure=[1] * 4 + [0] * 4,
    ...                          customers={"promoters": 5000, "detractors": 2000},
    ...                          revenue_per_customer=100.0, share=0.1)
    >>> round(r.retained_change.estimate, 6), round(r.revenue_change.estimate, 6)
    (100.0, 10000.0)
    """
    y = _floats(_column(data, outcome, "outcome"))
    codes = _groups(data, len(y), exposure, reference, score, scale, band)
    if isinstance(customers, dict):
        alias = {
            "promoters": "exposed",
            "passives": "neither",
            "detractors": "reference",
            "exposed": "exposed",
            "neither": "neither",
            "reference": "reference",
        }
        base: Any = {}
        for k, v in customers.items():
            if k not in alias:
                _cxkit._invalid_argument(
                    "customers",
                    repr(k),
                    "keys 'promoters', 'passives', 'detractors' (or 'exposed', 'neither', "
                    "'reference')",
                )
            base[alias[k]] = float(v)
    else:
        base = float(customers)
    return _cxkit._revenue_impact(
        codes,
        y,
        base,
        float(revenue_per_customer),
        float(share),
        to,
        _weights(data, weights),
        level,
    )


def key_drivers(
    data: Any = None,
    drivers: Any = None,
    outcome: Any = "retained",
    *,
    weights: Any = None,
    level: float = 0.95,
    resamples: int = 1000,
    seed: int = 0,
) -> Any:
    """Key-driver analysis: which experience dimensions explain a loyalty outcome.

    Per driver: the correlation with the outcome, the standardised regression coefficient
    (``beta``), Johnson's (2000) relative weight and the Shapley / LMG share of R² (exact over
    all 2^p sub-models, at most 15 drivers), each raw (summing to the model R²) and as a share
    (``*_share``, summing to 1), with seeded percentile bootstrap intervals (``*_lower``,
    ``*_upper``; ``resamples=0`` for none). ``rank`` orders drivers by LMG (1 = most
    important). Rows with a missing value in any driver or the outcome are left out
    (listwise deletion).

    ``drivers`` are column names of ``data`` or, without a DataFrame, a dict of name -> array
    (or a list of arrays). Returns a DataFrame in input order; with pandas, ``attrs`` holds
    ``r_squared`` (with ``r_squared_lower`` / ``_upper``), ``n``, ``effective_n``,
    ``missing``, ``resamples`` and ``failed_resamples``.

    >>> import cxkit
    >>> t = cxkit.key_drivers(drivers={"ease": [1, 2, 3, 4, 5, 2], "emotion": [2, 1, 4, 3, 5, 5]},
    ...                       outcome=[1, 2, 4, 4, 6, 5], resamples=0)
    >>> bool(abs(t["lmg"].sum() - t.attrs["r_squared"]) < 1e-12)
    True
    """
    if drivers is None:
        raise TypeError("drivers= lists the driver columns (or a dict of name -> array)")
    if isinstance(drivers, dict):
        names = [str(k) for k in drivers]
        cols = [_floats(v) for v in drivers.values()]
    elif isinstance(drivers, str):
        names, cols = [drivers], [_floats(_column(data, drivers, "drivers"))]
    else:
        items = list(drivers)
        names = [d if isinstance(d, str) else f"driver_{i + 1}" for i, d in enumerate(items)]
        cols = [_floats(_column(data, d, "drivers")) for d in items]
    y = _floats(_column(data, outcome, "outcome"))
    table = _cxkit._key_drivers(cols, y, _weights(data, weights), level, resamples, seed)
    model = table.pop("_model")
    out = {"driver": names}
    out.update(table)
    frame = _output(out, _library(data))
    if hasattr(frame, "attrs"):
        frame.attrs.update(model)
    return frame


__all__: Sequence[str] = [
    "key_drivers",
    "loyalty_curve",
    "loyalty_lift",
    "mean_lift",
    "revenue_impact",
]
