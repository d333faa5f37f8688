"""Transaction-log function ``rfm`` (``retention``, ``cohorts``, ``acquisition`` and ``activity``
are entry points of the core's contract, in ``cxkit/_api.py``).

DataFrame plumbing only: customer ids are factorized and dates converted to days since
1970-01-01 here (with the caller's library); the Rust core builds the per-customer summary in
one pass and computes every number.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cxkit import _cxkit
from cxkit._by import MISSING_LABEL, _days, _factorize, _is_frame
from cxkit._convert import _ndarray

_MISSING_CUSTOMER = np.uint32(0xFFFFFFFF)


def _columns(data: Any, customer: Any, date: Any, revenue: Any) -> tuple[Any, Any, Any]:
    """The three columns: by name from a DataFrame, or the arrays themselves."""
    if _is_frame(data):
        return data[customer], data[date], data[revenue]
    if data is not None:
        raise TypeError(
            "data must be a pandas or polars DataFrame (with column names in customer=, "
            "date=, revenue=), or None with arrays in customer=, date=, revenue="
        )
    if isinstance(customer, str) or isinstance(date, str) or isinstance(revenue, str):
        raise TypeError("without a DataFrame, customer=, date= and revenue= must be arrays")
    return customer, date, revenue


def _customer_codes(column: Any) -> tuple[np.ndarray, Any]:
    """uint32 codes (missing ids as 0xFFFFFFFF) and the sorted distinct ids (a numpy int64
    array for integer ids, else a list)."""
    if isinstance(column, np.ndarray) and column.dtype.kind in "iu" and column.dtype != np.uint64:
        codes, ints = _cxkit._factorize_ints(column)  # one pass in Rust, no missing ids
        return codes, np.asarray(ints, dtype=np.int64)
    codes, labels = _factorize(column)
    if labels and isinstance(labels[-1], str) and labels[-1] == MISSING_LABEL:
        missing = len(labels) - 1
        if (codes == missing).any():
            codes = codes.copy()
            codes[codes == missing] = _MISSING_CUSTOMER
            labels = labels[:-1]
    return np.ascontiguousarray(codes, dtype=np.uint32), labels


def _day_array(column: Any) -> np.ndarray:
    try:
        return np.ascontiguousarray(_days(column), dtype=np.int64)
    except TypeError as exc:
        _cxkit._invalid_dates(str(exc))
        raise  # unreachable: _invalid_dates raises


def _revenue(column: Any) -> np.ndarray:
    return np.ascontiguousarray(_ndarray(column, "revenue"), dtype=np.float64)


def _log(data: Any, customer: Any, date: Any, revenue: Any):
    ids, dates, amounts = _columns(data, customer, date, revenue)
    codes, labels = _customer_codes(ids)
    return codes, labels, _day_array(dates), _revenue(amounts)


def _label_arg(labels: Any) -> Any:
    if isinstance(labels, np.ndarray) or (labels and isinstance(labels[0], (int, np.integer))):
        return np.asarray(labels, dtype=np.int64)
    return [str(x) for x in labels]


_UNITS = {"D": 1.0, "W": 7.0}


def rfm(
    data: Any = None,
    customer: Any = "customer_id",
    date: Any = "date",
    revenue: Any = "revenue",
    *,
    unit: str | float = "D",
    observation_end: Any = None,
) -> _cxkit.Rfm:
    """Per-customer frequency, recency, T and monetary value (the BG/NBD input).

    Arguments as in ``retention``. Purchases count per day (lifetimes' convention):
    ``frequency`` is the number of repeat purchase days, ``recency`` and ``T`` are in ``unit``
    ('D' days, default; 'W' = 7 days; or a number of days), ``monetary_value`` is the mean net
    revenue per repeat purchase. ``observation_end`` (a date) ends the observation period; rows
    after it are ignored; default: the last date in the log.

    >>> import cxkit
    >>> r = cxkit.rfm(
    ...     customer=["a", "a", "a", "b"],
    ...     date=["2026-01-01", "2026-01-11", "2026-01-31", "2026-01-21"],
    ...     revenue=[5.0, 20.0, 40.0, 8.0],
    ...     observation_end="2026-02-10",
    ... )
    >>> r.customers, r.frequency.tolist(), r.recency.tolist(), r.T.tolist()
    (['a', 'b'], [2.0, 0.0], [30.0, 0.0], [40.0, 20.0])
    >>> r.monetary_value.tolist()
    [30.0, 0.0]
    """
    codes, labels, days, amounts = _log(data, customer, date, revenue)
    if isinstance(unit, str):
        if unit.upper() not in _UNITS:
            _cxkit._invalid_argument("unit", repr(unit), "'D', 'W' or a number of days")
        unit_days = _UNITS[unit.upper()]
    else:
        unit_days = float(unit)
    end = None
    if observation_end is not None:
        end_days = _day_array(np.array([observation_end], dtype="datetime64[ns]"))
        end = int(end_days[0])
    return _cxkit._rfm(
        codes, _label_arg(labels), days, amounts, unit_days=unit_days, observation_end=end
    )
