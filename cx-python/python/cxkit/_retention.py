"""Transaction-log functions: ``retention``, ``cohorts``, ``rfm``.

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


def _spend(values: Any) -> list[float] | None:
    if values is None:
        return None
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def retention(
    data: Any = None,
    customer: Any = "customer_id",
    date: Any = "date",
    revenue: Any = "revenue",
    *,
    freq: str = "M",
    lag: int = 1,
    acquisition_spend: Any = None,
    retention_spend: Any = None,
) -> _cxkit.Retention:
    """Retention per period from a transaction log.

    ``data`` is a pandas or polars DataFrame and ``customer``, ``date``, ``revenue`` name its
    columns; or ``data`` is None and the three are arrays. Customer ids may be strings or
    integers; dates are dates, datetimes or ISO strings (missing dates, ids and revenues are
    skipped and counted). Negative revenue is a refund: netted per customer and period, never
    a purchase. freq: 'D', 'W' (ISO week), 'M' (default), 'Q' or 'Y'. ``lag``: periods
    between the base period and the measured one for NRR/GRR (12 with monthly data for the
    annual figure). Spends (one value per period of the log) add cost per acquired and per
    retained customer and their ratio.

    ``data`` may also be an ``Activity`` (``cxkit.activity``), e.g. merged from partitions.

    Returns a ``Retention``: ``rows`` (one dict per period), ``to_pandas()``, ``to_polars()``.

    >>> import cxkit
    >>> t = cxkit.retention(
    ...     customer=["a", "b", "a"],
    ...     date=["2026-01-05", "2026-01-09", "2026-02-02"],
    ...     revenue=[10.0, 4.0, 12.0],
    ... )
    >>> feb = t.rows[1]
    >>> feb["active"], feb["retained"], feb["churned"], feb["retention_rate"]
    (1, 1, 1, 0.5)
    >>> round(feb["nrr"], 4), round(feb["grr"], 4)
    (0.8571, 0.7143)
    """
    if isinstance(data, _cxkit.Activity):
        return _cxkit._retention_of(
            data,
            lag=lag,
            acquisition_spend=_spend(acquisition_spend),
            retention_spend=_spend(retention_spend),
        )
    codes, labels, days, amounts = _log(data, customer, date, revenue)
    return _cxkit._retention(
        codes,
        len(labels),
        days,
        amounts,
        freq=freq,
        lag=lag,
        acquisition_spend=_spend(acquisition_spend),
        retention_spend=_spend(retention_spend),
    )


def cohorts(
    data: Any = None,
    customer: Any = "customer_id",
    date: Any = "date",
    revenue: Any = "revenue",
    *,
    freq: str = "M",
) -> _cxkit.Cohorts:
    """Cohort tables (the retention triangle) from a transaction log.

    Arguments as in ``retention``. Returns a ``Cohorts``: per acquisition cohort (period of the
    first purchase) and period since acquisition, ``customers`` and ``revenue`` as counts, and
    ``customer_rates`` and ``revenue_rates`` relative to the cohort's first period (None past
    the end of the log), with ``average_retention`` (pooled over cohorts). ``to_pandas(values)``
    gives one table.

    >>> import cxkit
    >>> c = cxkit.cohorts(
    ...     customer=[1, 2, 1, 3],
    ...     date=["2026-01-05", "2026-01-09", "2026-02-02", "2026-02-03"],
    ...     revenue=[10.0, 4.0, 12.0, 1.0],
    ... )
    >>> c.cohorts, c.customers
    (['2026-01', '2026-02'], [[2, 1], [1, None]])
    >>> c.average_retention
    [1.0, 0.5]
    """
    if isinstance(data, _cxkit.Activity):
        return _cxkit._cohorts_of(data)
    codes, labels, days, amounts = _log(data, customer, date, revenue)
    return _cxkit._cohorts(codes, len(labels), days, amounts, freq=freq)


def acquisition(
    data: Any = None,
    customer: Any = "customer_id",
    date: Any = "date",
    revenue: Any = "revenue",
    channel: Any = "channel",
    *,
    freq: str = "M",
) -> _cxkit.Acquisition:
    """New customers per period and acquisition channel, and how they did afterwards.

    Arguments as in ``retention``, plus ``channel`` (a column name, or an array). A customer's
    acquisition channel is the channel of their first purchase (on a day with purchases in
    several channels, the first channel in sorted order); a missing channel is "(missing)".
    Rows: ``new``, ``new_revenue`` (in the acquisition period), ``retained_next`` and
    ``next_period_retention``, ``revenue_to_date`` and ``revenue_per_customer``.

    >>> import cxkit
    >>> t = cxkit.acquisition(
    ...     customer=[1, 2, 1],
    ...     date=["2026-01-05", "2026-01-09", "2026-02-02"],
    ...     revenue=[10.0, 4.0, 12.0],
    ...     channel=["web", "ads", "web"],
    ... )
    >>> [(r["period"], r["channel"], r["new"], r["retained_next"]) for r in t.rows[:2]]
    [('2026-01', 'ads', 1, 0), ('2026-01', 'web', 1, 1)]
    """
    if isinstance(data, _cxkit.Activity):
        return _cxkit._acquisition_of(data)
    if _is_frame(data):
        channels = data[channel]
    elif data is None:
        if isinstance(channel, str):
            raise TypeError("without a DataFrame, channel= must be an array")
        channels = channel
    else:
        channels = None  # _log raises the error for data
    codes, labels, days, amounts = _log(data, customer, date, revenue)
    ch_codes, ch_labels = _factorize(channels)
    return _cxkit._acquisition(
        codes,
        len(labels),
        days,
        amounts,
        np.ascontiguousarray(ch_codes, dtype=np.uint32),
        [str(x) for x in ch_labels],
        freq=freq,
    )


def _label_arg(labels: Any) -> Any:
    if isinstance(labels, np.ndarray) or (labels and isinstance(labels[0], (int, np.integer))):
        return np.asarray(labels, dtype=np.int64)
    return [str(x) for x in labels]


def activity(
    data: Any = None,
    customer: Any = "customer_id",
    date: Any = "date",
    revenue: Any = "revenue",
    *,
    freq: str = "M",
    channel: Any = None,
) -> _cxkit.Activity:
    """The mergeable one-pass summary behind ``retention``, ``cohorts`` and ``acquisition``.

    Arguments as in ``retention``; ``channel`` (a column name or an array) adds acquisition
    channels. Build one per partition (or per day of a stream), ``merge`` them, and pass the
    result as ``data`` to ``retention``, ``cohorts`` or ``acquisition``; it pickles and has
    ``to_json()`` / ``Activity.from_json()``.

    >>> import cxkit
    >>> a = cxkit.activity(customer=["a", "b"], date=["2026-01-05", "2026-01-09"], revenue=[10.0, 4.0])
    >>> b = cxkit.activity(customer=["a"], date=["2026-02-02"], revenue=[12.0])
    >>> cxkit.retention(a.merge(b)).rows[1]["retained"]
    1
    """
    codes, labels, days, amounts = _log(data, customer, date, revenue)
    ch_codes = ch_labels = None
    if channel is not None:
        column = data[channel] if _is_frame(data) else channel
        raw, found = _factorize(column)
        ch_codes = np.ascontiguousarray(raw, dtype=np.uint32)
        ch_labels = [str(x) for x in found]
    return _cxkit._activity(
        codes,
        _label_arg(labels),
        days,
        amounts,
        freq=freq,
        channels=ch_codes,
        channel_labels=ch_labels,
    )


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
