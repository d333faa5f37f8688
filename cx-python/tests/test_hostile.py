"""Hostile input: arbitrary numpy arrays (every integer and float dtype, big-endian,
non-contiguous and negative-stride views, 0-d and 2-D, read-only, memory-mapped, object, empty),
pandas nullable and categorical Series, polars Series with nulls, and lists with None, strings,
bools and bytes. Every call gives the result of a numpy reference written here, or a cxkit error
(TypeError for a wrong type) naming the offending position; a Rust panic arrives as
cxkit.InternalError; threads calling at once agree with serial calls."""

from __future__ import annotations

import math
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cxkit

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

INT_DTYPES = ["i1", "u1", "<i2", ">i2", "<u2", ">u2", "<i4", ">i4", "<u4", ">u4"]
INT_DTYPES += ["<i8", ">i8", "<u8", ">u8"]
FLOAT_DTYPES = ["<f2", "<f4", ">f4", "<f8", ">f8"]
HOSTILE_FLOATS = [
    math.nan, math.inf, -math.inf, 0.0, -0.0, 5e-324, 1e-308, 1e-101, 1e-100, 1e100, 1e101,
    1e308, -1.0, 0.5, 10.5, 11.0, 1e16,
]  # fmt: skip


def reference_nps(values, weights=None):
    """NPS by brute force on the 0-10 scale, or (error class name, index).

    Row by row, as the core reads: a missing value (NaN) skips the row whatever its weight;
    a value that is not a point is an error at its index; then the weight must be 0 or within
    1e-100..1e100."""
    v = np.asarray(values, dtype=np.float64)
    w = np.ones(len(v)) if weights is None else np.asarray(weights, dtype=np.float64)
    wp, wd, wt, n = [], [], [], 0
    for i, x in enumerate(v):
        if math.isnan(x):
            continue
        if math.isinf(x) or x < 0 or x > 10:
            return ("OutOfScaleError", i)
        if x != math.floor(x):
            return ("NonIntegerError", i)
        wi = w[i]
        if not (wi == 0 or 1e-100 <= wi <= 1e100):
            return ("InvalidWeightError", i)
        n += 1
        wt.append(wi)
        if x >= 9:
            wp.append(wi)
        elif x <= 6:
            wd.append(wi)
    total = math.fsum(wt)
    if n == 0 or total == 0:
        return ("EmptyInputError", None)
    return 100.0 * (math.fsum(wp) - math.fsum(wd)) / total


def check_against_reference(values, expected_source, weights=None):
    """Call cxkit.nps and compare with reference_nps(expected_source, weights)."""
    expected = reference_nps(expected_source, weights)
    try:
        got = cxkit.nps(values, weights=weights)
    except cxkit.CxError as e:
        assert isinstance(expected, tuple), f"cxkit raised {e!r}, reference gives {expected}"
        name, index = expected
        # A value both off the scale and not an integer (10.5) may be reported as either.
        value_errors = {"OutOfScaleError", "NonIntegerError"}
        if name in value_errors:
            assert type(e).__name__ in value_errors, (e, expected)
        else:
            assert type(e).__name__ == name, (e, expected)
        if index is not None:
            assert e.index == index, (e, expected)
            assert str(index) in str(e)
        return
    assert not isinstance(expected, tuple), f"reference gives {expected}, cxkit {got}"
    assert math.isfinite(got.estimate) and math.isfinite(got.std_error)
    assert -100 <= got.interval.lower <= got.interval.upper <= 100
    assert got.estimate == pytest.approx(expected, rel=1e-9, abs=1e-9)


def elements_for(dtype: np.dtype):
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return st.one_of(st.integers(0, 10), st.integers(int(info.min), int(info.max)))
    width = dtype.itemsize * 8
    return st.one_of(
        st.integers(0, 10).map(float),
        st.sampled_from(HOSTILE_FLOATS),
        st.floats(width=width, allow_nan=True, allow_infinity=True),
    ).map(lambda x: _cast(x, dtype))


def _cast(x, dtype):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(x).astype(dtype).item()


@st.composite
def numpy_values(draw):
    dtype = np.dtype(draw(st.sampled_from(INT_DTYPES + FLOAT_DTYPES)))
    n = draw(st.integers(0, 40))
    layout = draw(st.sampled_from(["plain", "step", "reversed", "readonly", "column"]))
    base = draw(hnp.arrays(dtype, 2 * n if layout == "step" else n, elements=elements_for(dtype)))
    if layout == "step":
        view = base[::2]
    elif layout == "reversed":
        view = base[::-1]
    elif layout == "readonly":
        view = base
        view.setflags(write=False)
    elif layout == "column":
        view = np.stack([base, base], axis=1)[:, 1]  # a strided column of a 2-D array
    else:
        view = base
    return view


hostile_weights = st.one_of(
    st.floats(min_value=0.0, max_value=50.0),
    st.sampled_from([0.0, 1e-100, 1e100, 1e-101, 1e101, -1.0, math.nan, math.inf]),
)


@SETTINGS
@given(numpy_values())
def test_numpy_arrays_of_every_dtype_and_layout(values):
    check_against_reference(values, values)


@SETTINGS
@given(numpy_values(), st.data())
def test_numpy_arrays_with_hostile_weights(values, data):
    w = np.array(data.draw(st.lists(hostile_weights, min_size=len(values), max_size=len(values))))
    if len(w) and data.draw(st.booleans()):
        w = w.astype(">f8")  # big-endian weights too
    check_against_reference(values, values, weights=w)


def test_memory_mapped_arrays():
    rng = np.random.default_rng(7)
    data = rng.integers(0, 11, 10_001).astype(np.int16)
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        data.tofile(f.name)
        mm = np.memmap(f.name, dtype=np.int16, mode="r")
        check_against_reference(mm, data)
        check_against_reference(mm[::-3], data[::-3])
        big = np.memmap(f.name, dtype=">i2", mode="r")  # same bytes read big-endian
        check_against_reference(big, np.asarray(big))


@pytest.mark.parametrize(
    "values",
    [np.array(9), np.array(9.0), np.zeros((3, 2)), np.zeros((0, 0)), np.ones((1, 1, 1))],
    ids=["0d-int", "0d-float", "2d", "2d-empty", "3d"],
)
def test_arrays_that_are_not_one_dimensional_are_type_errors(values):
    with pytest.raises(TypeError, match="one-dimensional"):
        cxkit.nps(values)


def test_empty_arrays_of_every_dtype_are_empty_input_errors():
    for dt in INT_DTYPES + FLOAT_DTYPES + ["?", "O"]:
        with pytest.raises(cxkit.EmptyInputError):
            cxkit.nps(np.array([], dtype=dt))


list_items = st.one_of(
    st.none(),
    st.integers(0, 10),
    st.integers(-(2**70), 2**70),
    st.sampled_from(HOSTILE_FLOATS),
    st.booleans(),
    st.text(max_size=3),
    st.binary(max_size=3),
)


@SETTINGS
@given(st.lists(list_items, max_size=30), st.booleans())
def test_lists_with_none_strings_bools_and_bytes(items, as_tuple):
    values = tuple(items) if as_tuple else items
    text = [i for i, x in enumerate(items) if isinstance(x, (str, bytes))]
    if text:
        with pytest.raises(TypeError) as info:
            cxkit.nps(values)
        assert info.value.index == text[0]
        assert f"position {text[0]}" in str(info.value)
        return
    as_float = [math.nan if x is None else float(x) for x in items]
    check_against_reference(values, as_float)


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.integers(-3, 13)), max_size=40))
def test_pandas_nullable_and_categorical_series(items):
    as_float = [math.nan if x is None else float(x) for x in items]
    check_against_reference(pd.Series(items, dtype="Int64"), as_float)
    check_against_reference(pd.Series(as_float, dtype="Float64"), as_float)
    check_against_reference(pd.Series(items, dtype="category"), as_float)
    check_against_reference(pd.Series(as_float), as_float)


def test_text_in_pandas_categorical_and_object_series_is_a_type_error():
    for s in [
        pd.Series(["9", "10", None], dtype="category"),
        pd.Series([9, "x", None], dtype=object),
        pd.Series(["9", "10"], dtype="string"),
    ]:
        with pytest.raises(TypeError, match="position"):
            cxkit.nps(s)


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.integers(-3, 13)), max_size=40), st.booleans())
def test_polars_series_with_nulls(items, as_float_dtype):
    as_float = [math.nan if x is None else float(x) for x in items]
    dtype = pl.Float64 if as_float_dtype else pl.Int64
    check_against_reference(pl.Series(items, dtype=dtype), as_float)


def test_polars_text_is_a_type_error():
    with pytest.raises(TypeError, match="position 0"):
        cxkit.nps(pl.Series(["9", "x"]))


@SETTINGS
@given(numpy_values())
def test_other_estimators_are_bounded_or_cxkit_errors(values):
    for f in (cxkit.top_box, cxkit.bottom_box):
        try:
            r = f(values, scale="nps")
        except cxkit.CxError:
            continue
        assert 0 <= r.interval.lower <= r.estimate <= r.interval.upper <= 1
    try:
        m = cxkit.mean(values, scale="nps")
    except cxkit.CxError:
        return
    assert 0 <= m.interval.lower <= m.estimate <= m.interval.upper <= 10


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_panic(data):
    for cls in (cxkit.Tally, cxkit.KeyedTally):
        try:
            cls.from_bytes(data)
        except cxkit.UnreadableSummaryError as e:
            assert e.code == "unreadable_summary"


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_json_never_panics(text):
    for cls in (cxkit.Tally, cxkit.KeyedTally, cxkit.CxSummary, cxkit.Activity):
        try:
            cls.from_json(text)
        except cxkit.UnreadableSummaryError:
            pass


@pytest.mark.parametrize("released", [True, False], ids=["gil-released", "gil-held"])
def test_a_rust_panic_is_an_internal_error_not_a_panic_exception(released):
    with pytest.raises(cxkit.InternalError) as info:
        cxkit._cxkit._panic_for_tests(released)
    err = info.value
    assert isinstance(err, cxkit.CxError) and isinstance(err, ValueError)
    assert err.code == "internal"
    assert "bug in cxkit" in str(err) and "deliberate panic" in str(err)


def test_threads_calling_at_once_agree_with_serial_calls():
    rng = np.random.default_rng(11)
    inputs = []
    for i in range(16):
        v = rng.integers(0, 11, 200_000 + i).astype(np.float64)
        v[rng.random(len(v)) < 0.05] = np.nan
        w = rng.uniform(0.1, 3.0, len(v))
        inputs.append((v, w))

    def tally_bytes(v):
        t = cxkit.Tally("nps")
        t.extend(v)
        return t.to_bytes()

    def work(vw):
        v, w = vw
        return (
            cxkit.nps(v, weights=w).estimate,
            cxkit.nps(v.astype(np.float32)).interval.lower,
            cxkit.mean(v, scale="nps").estimate,
            cxkit.csat(np.clip(v, 1, 5), weights=w).estimate,
            tally_bytes(v),
        )

    serial = [work(x) for x in inputs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert list(pool.map(work, inputs)) == serial
