"""Turn array-likes into one-dimensional numpy arrays for the Rust core.

Numpy arrays of integer or float dtype never reach this module: the core reads them in place.
Here: pandas Series (numpy-backed ones without copying; nullable Int/Float/boolean and Arrow
dtypes with pandas.NA as NaN), polars Series (null becomes NaN), pyarrow arrays, lists and
tuples (None becomes NaN), and numpy arrays of other dtypes (bool, float16, object).

Missing values become NaN, which the core skips and counts in ``missing``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_DIRECT = frozenset("bBhHiIlLqQfd")  # dtypes read in place by the core (u8..i64, f32, f64)


def _reject_text(arr: np.ndarray, what: str) -> None:
    """Raise TypeError naming the first str or bytes element of an object or text array.

    numpy would otherwise parse ``"9"`` or ``b"9"`` as the number 9: text is not a rating.
    """
    if arr.dtype.kind in "US":
        if arr.size:
            _text_error(what, 0, arr.ravel()[0])
    elif arr.dtype.kind == "O":
        for i, v in enumerate(arr.ravel()):
            if isinstance(v, (str, bytes)):
                _text_error(what, i, v)


def _text_error(what: str, index: int, value: Any) -> None:
    err = TypeError(
        f"{what} must be numbers (None or NaN for missing); position {index} is "
        f"{value!r} ({type(value).__name__})"
    )
    err.index = index  # type: ignore[attr-defined]
    raise err


def _ndarray(values: Any, what: str) -> np.ndarray:
    mod = type(values).__module__.split(".")[0]
    if mod == "pandas":
        dtype = getattr(values, "dtype", None)
        if isinstance(dtype, np.dtype) and dtype.kind in "iuf":
            arr = values.to_numpy()
        else:
            # Object, string and categorical columns may hold text ("9" would parse as 9).
            if getattr(dtype, "kind", None) in ("O", "U", "S"):
                _reject_text(np.asarray(values.to_numpy(), dtype=object), what)
            arr = values.to_numpy(dtype="float64", na_value=np.nan)
    elif mod == "polars":
        arr = values.to_numpy()
    elif mod == "pyarrow":
        arr = values.to_numpy(zero_copy_only=False)
    elif isinstance(values, np.ndarray):
        arr = values
    else:
        try:
            try:
                raw = np.asarray(values)
            except (TypeError, ValueError):  # e.g. str and undecodable bytes together
                raw = np.asarray(values, dtype=object)
            if raw.dtype.kind in "US":
                _reject_text(np.asarray(values, dtype=object), what)
            elif raw.dtype.kind == "O":
                _reject_text(raw, what)
            arr = raw if raw.dtype.kind in "iufb" else np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            if getattr(exc, "index", None) is not None:
                raise
            raise TypeError(
                f"{what} must be numbers (None or NaN for missing), got {type(values).__name__}: {exc}"
            ) from None
    if arr.ndim != 1:
        raise TypeError(f"{what} must be one-dimensional, got an array of shape {arr.shape}")
    if not arr.dtype.isnative:
        # Big-endian (or other non-native) data: one byte-swapping copy, then read in place.
        arr = arr.astype(arr.dtype.newbyteorder("="))
    if arr.dtype.char not in _DIRECT:
        if arr.dtype.kind == "b":
            arr = arr.astype(np.uint8)
        elif arr.dtype.kind in "iuf":
            arr = arr.astype(np.float64)
        else:
            _reject_text(arr, what)
            try:
                arr = arr.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise TypeError(
                    f"{what} must be numbers (None or NaN for missing), got dtype {arr.dtype}: {exc}"
                ) from None
    return arr


def as_values(values: Any) -> np.ndarray:
    """Ratings as a 1-D numpy array of a dtype the core reads directly."""
    return _ndarray(values, "values")


def as_weights(weights: Any) -> np.ndarray:
    """Weights as a 1-D float64 array (validated by the core: finite and >= 0)."""
    arr = _ndarray(weights, "weights")
    return np.ascontiguousarray(arr, dtype=np.float64)
