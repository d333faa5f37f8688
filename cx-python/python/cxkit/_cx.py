"""The CX index: ``cx_index`` over DataFrames, dicts of arrays, lists of arrays and 2-D arrays,
overall or by group and period.

DataFrame plumbing only: dimension columns are gathered here, keys and dates are factorized by
the helpers of ``cxkit._by``; the Rust core builds the summaries in one pass and computes every
number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cxkit import _by, _cxkit
from cxkit._convert import as_values

DEFAULT_DIMS = ("effectiveness", "ease", "emotion")


def _names(dims: Any) -> list[str] | None:
    if dims is None:
        return None
    if isinstance(dims, str):
        return [dims]
    return [str(d) for d in dims]


def _pick(names: list[str], available: list[Any], where: str) -> None:
    for name in names:
        if name not in available:
            _cxkit._invalid_argument(
                "dims",
                repr(name),
                f"a {where}: {', '.join(repr(str(a)) for a in available)}",
            )


def _answers(data: Any, dims: Any) -> tuple[list[str], Any]:
    """``(names, answers)``: the dimension names and either a list of 1-D numpy arrays of one
    dtype (one per dimension) or a 2-D numpy array (rows are respondents)."""
    names = _names(dims)
    if _by._is_frame(data):
        names = names or list(DEFAULT_DIMS)
        _pick(names, list(data.columns), "column of the DataFrame")
        columns = [as_values(data[n]) for n in names]
    elif isinstance(data, Mapping):
        keys = list(data.keys())
        names = names or [str(k) for k in keys]
        _pick(names, keys, "key of the dict")
        columns = [as_values(data[n]) for n in names]
    elif isinstance(data, np.ndarray) and data.ndim == 2:
        names = names or list(DEFAULT_DIMS)
        matrix = data if data.dtype.char in "bBhHiIlLqQfd" else data.astype(np.float64)
        return names, matrix
    elif isinstance(data, (list, tuple)) and data and np.ndim(data[0]) == 1:
        names = names or (list(DEFAULT_DIMS) if len(data) == 3 else None)
        if names is None:
            _cxkit._invalid_argument(
                "dims", "None", "names for the dimensions (dims=[...]) of a list of arrays"
            )
        columns = [as_values(c) for c in data]
    else:
        raise TypeError(
            "answers must be a DataFrame with dims= columns, a dict of arrays, a list of "
            f"arrays or a 2-D array (rows are respondents), not {type(data).__name__}"
        )
    if len({c.dtype for c in columns}) > 1:
        columns = [c.astype(np.float64) for c in columns]
    return names, columns


def _column(data: Any, spec: Any) -> Any:
    """A DataFrame column given by name, or the array itself."""
    if _by._is_frame(data) and isinstance(spec, str):
        return data[spec]
    return spec


def _driver_weights(dim_weights: Any) -> Any:
    """A key-driver table (``cxkit.key_drivers``) as weights by dimension: its LMG shares."""
    columns = getattr(dim_weights, "columns", None)
    if columns is not None and "driver" in columns and "lmg_share" in columns:
        drivers = dim_weights["driver"]
        shares = dim_weights["lmg_share"]
        return {str(d): float(w) for d, w in zip(list(drivers), list(shares))}
    return dim_weights


def cx_index(
    data: Any,
    dims: Any = None,
    method: str = "net",
    by: Any = None,
    *,
    period: Any = None,
    freq: str = "M",
    window: int | None = None,
    weights: Any = None,
    scales: Any = None,
    dim_weights: Any = None,
    require_all: bool = False,
    bands: Any = None,
    level: float = 0.95,
    alpha: float = 0.05,
    adjust: str = "holm",
    min_base: int = 30,
    reference: Any = None,
) -> Any:
    """CX index: experience quality across dimensions (effectiveness, ease, emotion by default).

    Parameters
    ----------
    data : a pandas or polars DataFrame (then ``dims``, ``by``, ``weights`` and ``period`` are
        column names), a dict of arrays (one per dimension), a list of arrays, a 2-D array (rows
        are respondents, columns the ``dims``), or a ``cxkit.CxSummary``.
    dims : the dimension names, default ``["effectiveness", "ease", "emotion"]`` (a dict's keys).
    method : ``"net"`` (default; per dimension top-2-box share minus bottom-2-box share in points,
        -100..100: Forrester's original CX Index) or ``"mean"`` (the mean rescaled to 0-100,
        ``(x - lowest) / (highest - lowest) * 100``, as the ACSI rescales its items).
    by : key column(s) for a segment table (each group against the rest, as ``nps_by``).
    period, freq, window : a date column for a trend table by ``freq`` ('D', 'W', 'M', 'Q',
        'Y'), with trailing rolling windows of ``window`` periods.
    weights : respondent weights, one per respondent.
    scales : the dimensions' scale: one for all (a preset name, ``cxkit.Scale`` or
        ``(lowest, highest)``) or a dict by dimension name; default 1-5 (boxes 4-5 and 1-2).
    dim_weights : weights of the dimensions in the index: None (equal), a list (one per
        dimension), a dict by name, or the table of ``cxkit.key_drivers`` (its ``lmg_share``
        column: each dimension weighted by its share of the loyalty outcome's R-squared);
        normalised to sum 1.
    require_all : count only respondents who answered every dimension (default: a respondent
        counts in each dimension they answered, and overall when they answered at least one).
    bands : four increasing cut-offs between very poor | poor | okay | good | excellent;
        default ``[55, 65, 75, 85]``, cxkit's convention modelled on Forrester's quality labels
        (set your own where your benchmark differs).
    level, alpha, adjust, min_base, reference : as ``nps_by``.

    Returns
    -------
    A ``cxkit.CxIndex`` (overall: estimate, std_error, interval, band, weakest, dimensions), or
    with ``by`` / ``period`` a DataFrame of the caller's library (pandas for arrays): key
    columns, ``n``, ``effective_n``, ``missing``, ``estimate``, ``std_error``, ``lower``,
    ``upper``, ``band``, ``weakest``, one column of scores per dimension, ``too_small`` and the
    comparison columns of ``nps_by`` (``diff_vs_rest``, ..., ``significant``; trends:
    ``change``, ..., ``significant_change``, ``rolling_*``).

    Intervals are Wald intervals on delta-method (Taylor linearisation) standard errors that
    account for the dimensions being answered by the same respondents; group comparisons are
    z tests. See the Rust docs of ``cx_core::cx_index`` for the formulas and sources.

    >>> import cxkit
    >>> r = cxkit.cx_index({"effectiveness": [5, 4, 2, 5, 3, 4],
    ...                     "ease": [4, 2, 1, 5, None, 4],
    ...                     "emotion": [5, 3, 2, 4, 1, None]})
    >>> round(r.estimate, 4), r.band, r.weakest, [d.estimate for d in r.dimensions]
    (23.3333, 'very poor', 'emotion', [50.0, 20.0, 0.0])
    >>> round(r.std_error, 4)
    33.8825
    >>> t = cxkit.cx_index({"a": [5, 4, 1, 2], "b": [5, 5, 2, 1]}, by=["x", "x", "y", "y"],
    ...                    min_base=1)
    >>> t["group"].tolist(), t["estimate"].tolist(), t["band"].tolist()
    (['x', 'y'], [100.0, -100.0], ['excellent', 'very poor'])
    """
    options = dict(
        method=method,
        dim_weights=_driver_weights(dim_weights),
        bands=bands,
        level=level,
    )
    if isinstance(data, _cxkit.CxSummary):
        if by is not None or period is not None or weights is not None or scales is not None:
            _cxkit._invalid_argument(
                "argument",
                "by, period, weights or scales with a CxSummary",
                "none of them: the summary already holds its answers, weights and scales",
            )
        return _cxkit._cx_index(data, None, **options)
    names, answers = _answers(data, dims)
    weights = _column(data, weights)
    common = dict(weights=weights, scales=scales, require_all=require_all, **options)
    if by is None and period is None:
        return _cxkit._cx_index(answers, names, **common)

    n = answers.shape[0] if isinstance(answers, np.ndarray) else len(answers[0])
    frame = _by._is_frame(data)
    key_items = _by._as_list(by)
    if frame:
        keys = [data[b] for b in key_items]
        key_names = [str(b) for b in key_items]
    else:
        if by is not None and not isinstance(by, (list, tuple)):
            key_items = [by]
        elif key_items and np.ndim(key_items[0]) == 0:
            key_items = [by]  # a plain list of labels is one key column
        keys = key_items
        key_names = ["group"] if len(keys) == 1 else [f"group_{i + 1}" for i in range(len(keys))]
    lib = next(
        (
            _by._library(x)
            for x in [data, *keys, *(answers if isinstance(answers, list) else [])]
            if _by._library(x)
        ),
        None,
    )
    codes, key_rows = _by._key_groups(keys, key_names, n)
    common.update(alpha=alpha, adjust=adjust, min_base=min_base)
    if period is None:
        ref_code = _by._reference_code(reference, key_rows)
        table = _cxkit._cx_segment_table(
            answers, names, codes, len(key_rows), reference=ref_code, **common
        )
        return _by._segment_output(table, key_rows, key_names, lib)
    if reference is not None:
        _cxkit._invalid_argument(
            "argument",
            "reference with period",
            "no reference in a trend table (it compares each period with the previous one)",
        )
    dates = data[period] if frame else period
    period_name = str(period) if frame else "period"
    period_codes, n_periods, labels, starts = _by._period_codes(dates, n, freq)
    table = _cxkit._cx_trend_table(
        answers,
        names,
        codes,
        len(key_rows),
        period_codes,
        n_periods,
        window=window,
        **common,
    )
    return _by._trend_output(table, key_rows, key_names, period_name, labels, starts, lib)
