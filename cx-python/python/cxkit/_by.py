"""DataFrame plumbing of the grouped functions: keys are factorized here with the caller's
library (pandas, polars or numpy), dates become days, tables become DataFrames of the caller's
library. The Rust core builds one grouped tally in one pass and computes every number.
"""

from __future__ import annotations

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
