"""Grouped summaries: ``nps_by``, ``csat_by``, ``ces_by``, ``top_box_by``, ``bottom_box_by``,
``mean_by``.

DataFrame plumbing only: keys and dates are factorized here with the caller's library (pandas,
polars or numpy); the Rust core builds one grouped tally in one pass and computes every number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from cxkit import _cxkit

MISSING_LABEL = "(missing)"
_NAT = np.iinfo(np.int64).min


def _library(obj: Any) -> str | None:
    mod = type(obj).__module__.split(".")[0]
    return mod if mod in ("pandas", "polars") else None


def _is_frame(obj: Any) -> bool:
    return _library(obj) is not None and hasattr(obj, "columns")


def _missing_mask(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind == "O":
        return np.array(
            [v is None or (isinstance(v, float) and v != v) for v in values], dtype=bool
        )
    return np.zeros(len(values), dtype=bool)


def _factorize(column: Any, missing: Any = MISSING_LABEL) -> tuple[np.ndarray, list[Any]]:
    """Dense uint32 codes of sorted labels; missing keys get the last code, labelled ``missing``."""
    lib = _library(column)
    if isinstance(column, np.ndarray) and column.dtype.kind in "iu" and column.dtype != np.uint64:
        codes, labels = _cxkit._factorize_ints(column)  # one pass in Rust
        return codes, list(labels)
    if lib == "polars":
        import polars as pl

        uniques = column.drop_nulls().unique().sort()
        codes = column.replace_strict(
            uniques,
            pl.Series(np.arange(len(uniques), dtype=np.uint32)),
            default=len(uniques),
            return_dtype=pl.UInt32,
        ).to_numpy()
        labels = uniques.to_list()
    else:
        if lib == "pandas":
            series = column
        else:
            # object dtype keeps None/NaN apart from strings (numpy would coerce NaN to "nan")
            arr = column if isinstance(column, np.ndarray) else np.asarray(column, dtype=object)
            if arr.ndim != 1:
                raise TypeError(f"group keys must be one-dimensional, got shape {arr.shape}")
            try:
                import pandas as pd
            except ImportError:  # numpy-only fallback
                mask = _missing_mask(arr)
                labels_arr, inverse = np.unique(arr[~mask], return_inverse=True)
                codes = np.full(len(arr), len(labels_arr), dtype=np.uint32)
                codes[~mask] = inverse
                labels = labels_arr.tolist()
                if mask.any():
                    labels.append(missing)
                return codes, labels
            series = pd.Series(arr)
        import pandas as pd

        raw, uniques = pd.factorize(series, sort=True, use_na_sentinel=True)
        labels = list(uniques)
        codes = raw.astype(np.int64)
        codes[codes < 0] = len(labels)
        codes = codes.astype(np.uint32)
    if len(codes) and codes.max(initial=0) == len(labels):
        labels.append(missing)
    return np.ascontiguousarray(codes, dtype=np.uint32), labels


def _direct_int_keys(keys: list[Any]) -> np.ndarray | None:
    """One integer key column (numpy, or a pandas/polars integer Series without nulls)."""
    if len(keys) != 1:
        return None
    key = keys[0]
    lib = _library(key)
    if lib == "pandas" and isinstance(key.dtype, np.dtype):
        key = key.to_numpy()
    elif lib == "polars" and key.dtype.is_integer() and key.null_count() == 0:
        key = key.to_numpy()
    if isinstance(key, np.ndarray) and key.dtype.kind in "iu" and key.dtype != np.uint64:
        return key
    return None


def _group_codes(by: Any, names: Any, values: Any) -> tuple[np.ndarray, list[tuple], list[str]]:
    """Dense codes, label tuples (None = missing key) and column names for KeyedTally."""
    columns = [by] if not isinstance(by, (list, tuple)) or np.ndim(by[0]) == 0 else list(by)
    if names is None:
        names = [getattr(c, "name", None) for c in columns]
        if any(not isinstance(n, str) for n in names):
            names = (
                ["group"] if len(columns) == 1 else [f"group_{i + 1}" for i in range(len(columns))]
            )
    names = [names] if isinstance(names, str) else list(names)
    if len(names) != len(columns):
        _cxkit._length_mismatch("key columns", len(columns), "names", len(names))
    factorized = [_factorize(c, missing=None) for c in columns]
    for (codes, _), name in zip(factorized, names):
        if len(codes) != len(values):
            _cxkit._length_mismatch("values", len(values), f"key column {name!r}", len(codes))
    if len(factorized) == 1:
        codes, labels = factorized[0]
        return codes, [(label,) for label in labels], names
    codes, tuples = _cxkit._combine([c for c, _ in factorized], [len(lab) for _, lab in factorized])
    rows = [tuple(factorized[i][1][c] for i, c in enumerate(t)) for t in tuples]
    return codes, rows, names


_DEFAULT_METHOD = {
    "nps": "adjusted-wald",
    "top_box": "wilson",
    "bottom_box": "wilson",
    "mean": "student-t",
}


def _keyed_frame(keyed, metric, level, method, resamples, seed, alpha, adjust, min_base, reference):
    """The segment table of a KeyedTally as a pandas DataFrame, in the shape of nps_by's."""
    if metric not in _DEFAULT_METHOD:
        _cxkit._invalid_argument(
            "argument", repr(metric), "'nps', 'top_box', 'bottom_box' or 'mean'"
        )
    if reference is not None and not isinstance(reference, tuple):
        reference = (reference,)
    table = keyed._segment_table(
        metric,
        level,
        method or _DEFAULT_METHOD[metric],
        resamples,
        seed,
        alpha,
        adjust,
        min_base,
        reference,
    )
    keys = table.pop("keys")
    out = {
        name: [MISSING_LABEL if k[i] is None else k[i] for k in keys]
        for i, name in enumerate(keyed.names)
    }
    out.update(table)
    return _output(out, "pandas")


def _days(column: Any) -> np.ndarray:
    """Dates or timestamps as int64 days since 1970-01-01 (UTC); missing as NaT (int64 min)."""
    lib = _library(column)
    if lib == "polars":
        import polars as pl

        if column.dtype == pl.Utf8:
            column = column.str.to_datetime(strict=False)
        if column.dtype == pl.Date:
            days = column.cast(pl.Int64)
        elif isinstance(column.dtype, pl.Datetime):
            if column.dtype.time_zone is not None:
                column = column.dt.convert_time_zone("UTC")
            days = column.dt.epoch("d")
        else:
            raise TypeError(f"period must be a Date or Datetime column, not {column.dtype}")
        return days.fill_null(_NAT).cast(pl.Int64).to_numpy()
    if lib == "pandas":
        import pandas as pd

        series = column
        if not pd.api.types.is_datetime64_any_dtype(series):
            try:
                series = pd.to_datetime(series, errors="raise", utc=True, format="ISO8601")
            except (TypeError, ValueError) as exc:
                raise TypeError(
                    f"period must be dates, datetimes or ISO date strings: {exc}"
                ) from None
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        arr = series.to_numpy(dtype="datetime64[ns]")
    else:
        arr = np.asarray(column)
        if arr.dtype.kind != "M":
            try:
                arr = np.array(column, dtype="datetime64[ns]")
            except (TypeError, ValueError) as exc:
                raise TypeError(
                    f"period must be dates, datetimes or ISO date strings: {exc}"
                ) from None
    if arr.dtype.kind != "M":
        raise TypeError(f"period must be dates or timestamps, not dtype {arr.dtype}")
    return arr.astype("datetime64[D]").astype(np.int64)


def _as_list(by: Any) -> list[Any]:
    if by is None:
        return []
    if isinstance(by, (str, bytes)) or not isinstance(by, (list, tuple)):
        return [by]
    return list(by)


def _inputs(data: Any, score: Any, by: Any, weights: Any, period: Any):
    """Resolve column names (DataFrame input) or arrays (array input)."""
    by_items = _as_list(by)
    if _is_frame(data):
        if score is None:
            raise TypeError("score= names the rating column of the DataFrame")
        names = [str(b) for b in by_items]
        return (
            data[score],
            [data[b] for b in by_items],
            names,
            None if weights is None else data[weights],
            None if period is None else data[period],
            str(period) if period is not None else "period",
            _library(data),
        )
    if score is not None:
        raise TypeError("score= is a column name; pass a DataFrame as the first argument")
    # Arrays: a single key array, or a list of key arrays.
    if by is not None and not isinstance(by, (list, tuple)):
        by_items = [by]
    elif by is not None and by_items and np.ndim(by_items[0]) == 0:
        by_items = [by]  # a plain list of labels is one key column
    names = ["group"] if len(by_items) == 1 else [f"group_{i + 1}" for i in range(len(by_items))]
    lib = next((_library(x) for x in [data, *by_items] if _library(x)), None)
    return data, by_items, names, weights, period, "period", lib


def _output(columns: dict[str, Any], lib: str | None) -> Any:
    if lib == "polars":
        import polars as pl

        return pl.DataFrame(columns, strict=False)
    try:
        import pandas as pd
    except ImportError:
        if lib is None:
            return columns
        raise
    return pd.DataFrame(columns)


def _by(
    metric: str,
    default_scale: Any,
    default_method: str,
    data: Any,
    score: Any,
    by: Any,
    *,
    weights: Any,
    period: Any,
    freq: str,
    window: int | None,
    scale: Any,
    level: float,
    method: str | None,
    resamples: int,
    seed: int,
    alpha: float,
    adjust: str,
    min_base: int,
    reference: Any,
) -> Any:
    if scale is None:
        scale = default_scale
    if scale is None:
        _cxkit._invalid_argument(
            "scale", "None", "a scale for raw values, e.g. scale='csat' or scale=(1, 7)"
        )
    values, keys, names, weights, dates, period_name, lib = _inputs(
        data, score, by, weights, period
    )
    n = len(values)
    common = dict(
        weights=weights,
        scale=scale,
        metric=metric,
        level=level,
        method=method or default_method,
        resamples=resamples,
        seed=seed,
        alpha=alpha,
        adjust=adjust,
        min_base=min_base,
    )
    direct = _direct_int_keys(keys)
    if dates is None and direct is not None:
        # Integer keys go straight to the core: no factorizing pass over the data.
        if len(direct) != n:
            _cxkit._length_mismatch("values", n, f"key column {names[0]!r}", len(direct))
        if reference is not None and not isinstance(reference, (int, np.integer)):
            _cxkit._unknown_group(repr(reference), 0)
        table = _cxkit._segment_table(
            values,
            direct,
            None,
            reference=None if reference is None else int(reference),
            **common,
        )
        out = {names[0]: table.pop("group")}
        out.update(table)
        return _output(out, lib)
    codes, key_rows = _key_groups(keys, names, n)
    if dates is None:
        ref_code = _reference_code(reference, key_rows)
        table = _cxkit._segment_table(values, codes, len(key_rows), reference=ref_code, **common)
        return _segment_output(table, key_rows, names, lib)

    period_codes, n_periods, labels, starts = _period_codes(dates, n, freq)
    table = _cxkit._trend_table(
        values, codes, len(key_rows), period_codes, n_periods, window=window, **common
    )
    return _trend_output(table, key_rows, names, period_name, labels, starts, lib)


def _key_groups(keys: list[Any], names: list[str], n: int) -> tuple[np.ndarray, list[tuple]]:
    """Dense group codes of `n` rows by key columns, and each group's keys (one tuple per group,
    sorted); without key columns, one group of all rows with keys ``()``."""
    if not keys:
        return np.zeros(n, dtype=np.uint32), [()]
    factorized = [_factorize(k) for k in keys]
    for (codes, _), name in zip(factorized, names):
        if len(codes) != n:
            _cxkit._length_mismatch("values", n, f"key column {name!r}", len(codes))
    if len(factorized) == 1:
        codes, labels = factorized[0]
        return codes, [(label,) for label in labels]
    codes, tuples = _cxkit._combine([c for c, _ in factorized], [len(lab) for _, lab in factorized])
    return codes, [tuple(factorized[i][1][c] for i, c in enumerate(t)) for t in tuples]


def _reference_code(reference: Any, key_rows: list[tuple]) -> int | None:
    """The group code of a reference label (a tuple for several key columns), or None."""
    if reference is None:
        return None
    wanted = reference if isinstance(reference, tuple) else (reference,)
    matches = [i for i, k in enumerate(key_rows) if k == wanted]
    if not matches:
        _cxkit._unknown_group(repr(reference), len(key_rows))
    return matches[0]


def _period_codes(dates: Any, n: int, freq: str) -> tuple[np.ndarray, int, list[str], list[int]]:
    """Period codes of `n` dates (missing dates get code `n_periods`), the number of periods,
    and each period's label and first day."""
    days = _days(dates)
    if len(days) != n:
        _cxkit._length_mismatch("values", n, "dates", len(days))
    period_codes, n_periods, labels, starts, _ = _cxkit._periods(days, freq)
    return period_codes, n_periods, labels, starts


def _segment_output(
    table: dict[str, Any], key_rows: list[tuple], names: list[str], lib: str | None
) -> Any:
    """A segment table's columns with the group code replaced by the key columns."""
    group = table.pop("group")
    out = {name: [key_rows[g][i] for g in group] for i, name in enumerate(names)}
    out.update(table)
    return _output(out, lib)


def _trend_output(
    table: dict[str, Any],
    key_rows: list[tuple],
    names: list[str],
    period_name: str,
    labels: list[str],
    starts: list[int],
    lib: str | None,
) -> Any:
    """A trend table's columns: key columns, the period label and start, then the figures."""
    group = table.pop("group")
    period_code = table.pop("period_code")
    excluded = int(sum(table.pop("excluded")))
    out = {name: [key_rows[g][i] for g in group] for i, name in enumerate(names)}
    out[period_name] = [labels[p] for p in period_code]
    out[f"{period_name}_start"] = np.array([starts[p] for p in period_code], dtype="datetime64[D]")
    out.update(table)
    frame = _output(out, lib)
    if hasattr(frame, "attrs"):
        frame.attrs["excluded_missing_dates"] = excluded
    return frame


_DOC = """{title} by group and/or period, in one pass, with significance.

Parameters
----------
data : pandas or polars DataFrame (then ``score``, ``by``, ``weights`` and ``period`` are
    column names), or an array of ratings (then ``by`` is a key array or a list of key arrays,
    ``weights`` an array and ``period`` an array of dates).
score : the rating column of a DataFrame.
by : a key column name, or a list of them (region x channel); missing keys form a group
    labelled ``(missing)``.
weights : respondent weights (optional).
period : a date or timestamp column: returns a trend table by ``freq`` ('D', 'W' (ISO week),
    'M', 'Q', 'Y'), with the change from the previous period and, with ``window``, trailing
    rolling windows of that many periods. Rows with a missing date are left out (their number is
    in ``attrs['excluded_missing_dates']`` for pandas).
scale : {scale_doc}
level : confidence level of intervals (0.95).
method : interval method ({methods}).
alpha, adjust, min_base : significance level (0.05), p-value adjustment across groups ('holm',
    'bh', 'none'), and the minimum base (30) below which a group is flagged ``too_small`` and
    left out of the tests and of the adjustment.
reference : a group label (a tuple for several key columns) to compare every group with.

Returns
-------
A DataFrame of the caller's library (pandas for arrays), one row per group (and period), sorted
by key: key columns, ``n``, ``effective_n``, ``missing``, ``estimate`` ({unit}), ``std_error``,
``lower``, ``upper``, ``too_small``; segment tables add ``diff_vs_rest``, ``se_vs_rest``,
``lower_vs_rest``, ``upper_vs_rest``, ``p_vs_rest``, ``p_adj_vs_rest``, ``significant`` (and the
``*_vs_reference`` columns with ``reference``); trend tables add the period label and start,
``change``, ``se_change``, ``p_change``, ``p_adj_change``, ``significant_change`` and, with
``window``, ``rolling_n``, ``rolling_estimate``, ``rolling_lower``, ``rolling_upper``.

Differences are group minus rest (or minus reference, or minus the previous period); tests are
Wald z-tests ({test}); see the Rust docs of ``cx_core::segments``.

>>> import cxkit
>>> t = cxkit.{name}({example})
>>> list(t["group"])
['a', 'b']
"""


def _make(name: str, metric: str, default_scale: Any, default_method: str, **doc: str):
    def fn(
        data: Any,
        score: Any = None,
        by: Any = None,
        *,
        weights: Any = None,
        period: Any = None,
        freq: str = "M",
        window: int | None = None,
        scale: Any = None,
        level: float = 0.95,
        method: str | None = None,
        resamples: int = 2000,
        seed: int = 0,
        alpha: float = 0.05,
        adjust: str = "holm",
        min_base: int = 30,
        reference: Any = None,
    ) -> Any:
        table = _by(
            metric,
            default_scale,
            default_method,
            data,
            score,
            by,
            weights=weights,
            period=period,
            freq=freq,
            window=window,
            scale=scale,
            level=level,
            method=method,
            resamples=resamples,
            seed=seed,
            alpha=alpha,
            adjust=adjust,
            min_base=min_base,
            reference=reference,
        )
        if hasattr(table, "attrs"):  # pandas: which metric, for cxkit.plot
            table.attrs["metric"] = name[: -len("_by")]
        return table

    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = "cxkit"
    fn.__doc__ = _DOC.format(name=name, **doc)
    return fn


_PROP = "'wilson' (default), 'wald', 'agresti-coull', 'clopper-pearson', 'jeffreys'"
_EX_CSAT = "[5, 4, 1, 2], by=['a', 'a', 'b', 'b'], min_base=1"

nps_by = _make(
    "nps_by",
    "nps",
    "nps",
    "adjusted-wald",
    title="Net Promoter Score",
    scale_doc="rating scale, 'nps' (0-10) by default.",
    methods="'adjusted-wald' (default), 'wald', 'score', 'bootstrap'",
    unit="NPS points",
    test="unpooled SEs",
    example="[10, 9, 3, 0], by=['a', 'a', 'b', 'b'], min_base=1",
)
csat_by = _make(
    "csat_by",
    "top_box",
    "csat",
    "wilson",
    title="CSAT (top-box share)",
    scale_doc="'csat' (1-5, top-2-box) by default.",
    methods=_PROP,
    unit="share 0..1",
    test="unpooled SEs",
    example=_EX_CSAT,
)
ces_by = _make(
    "ces_by",
    "mean",
    "ces",
    "student-t",
    title="CES (mean effort score)",
    scale_doc="'ces' (1-7, higher is easier) by default.",
    methods="Student t",
    unit="scale units",
    test="Welch's t for means",
    example="[7, 6, 2, 3], by=['a', 'a', 'b', 'b'], min_base=1",
)
top_box_by = _make(
    "top_box_by",
    "top_box",
    None,
    "wilson",
    title="Top-box share",
    scale_doc="required: a preset name, a cxkit.Scale or (lowest, highest).",
    methods=_PROP,
    unit="share 0..1",
    test="unpooled SEs",
    example=_EX_CSAT + ", scale='csat'",
)
bottom_box_by = _make(
    "bottom_box_by",
    "bottom_box",
    None,
    "wilson",
    title="Bottom-box share",
    scale_doc="required: a preset name, a cxkit.Scale or (lowest, highest).",
    methods=_PROP,
    unit="share 0..1",
    test="unpooled SEs",
    example=_EX_CSAT + ", scale='csat'",
)
mean_by = _make(
    "mean_by",
    "mean",
    None,
    "student-t",
    title="Mean rating",
    scale_doc="required: a preset name, a cxkit.Scale or (lowest, highest).",
    methods="Student t",
    unit="scale units",
    test="Welch's t for means",
    example="[7, 6, 2, 3], by=['a', 'a', 'b', 'b'], min_base=1, scale='ces'",
)

__all__: Sequence[str] = [
    "bottom_box_by",
    "ces_by",
    "csat_by",
    "mean_by",
    "nps_by",
    "top_box_by",
]
