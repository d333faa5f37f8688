"""Every accepted input type gives the same tally; bad input types give clear errors."""

import numpy as np
import pytest

import cxkit

BASE = [10, 9, 7, 3, 0, 8, 9, 6, 10, 5]


@pytest.mark.parametrize(
    "dtype", ["u1", "i1", "u2", "i2", "u4", "i4", "u8", "i8", "f4", "f8", "f2", "bool"]
)
def test_numpy_dtypes(dtype):
    values = BASE if dtype != "bool" else [1, 0, 1]
    scale = "nps" if dtype != "bool" else (0, 1)
    expected = cxkit.Tally.from_values(values, scale=scale)
    assert cxkit.Tally.from_values(np.array(values, dtype=dtype), scale=scale) == expected


def test_non_contiguous_and_views():
    arr = np.array(BASE * 3, dtype=np.int64)[::3]
    assert cxkit.nps(arr) == cxkit.nps(list(arr))
    assert cxkit.nps(np.asfortranarray(np.array(BASE))) == cxkit.nps(BASE)


def test_lists_tuples_and_missing():
    r = cxkit.nps([10, None, 9, float("nan"), 3])
    assert (r.n, r.missing) == (3, 2)
    assert cxkit.nps(tuple(BASE)) == cxkit.nps(BASE)


def test_pandas_series_including_nullable():
    pd = pytest.importorskip("pandas")
    expected = cxkit.nps([*BASE, None])
    assert cxkit.nps(pd.Series([*BASE, None], dtype="Int64")) == expected
    assert cxkit.nps(pd.Series([*BASE, None], dtype="Float64")) == expected
    assert cxkit.nps(pd.Series([float(x) for x in BASE] + [np.nan])) == expected
    assert cxkit.nps(pd.Series(BASE, dtype="int8")) == cxkit.nps(BASE)
    w = pd.Series([1.0] * len(BASE))
    assert cxkit.nps(pd.Series(BASE), weights=w) == cxkit.nps(BASE)


def test_polars_and_pyarrow():
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    expected = cxkit.nps([*BASE, None])
    assert cxkit.nps(pl.Series([*BASE, None])) == expected
    assert cxkit.nps(pl.Series(BASE, dtype=pl.UInt8)) == cxkit.nps(BASE)
    assert cxkit.nps(pa.array([*BASE, None])) == expected


def test_bad_input_types():
    with pytest.raises(TypeError, match="must be numbers"):
        cxkit.nps(["a", "b"])
    with pytest.raises(TypeError, match="one-dimensional"):
        cxkit.nps(np.zeros((2, 2)))
    with pytest.raises(TypeError, match="scale must be"):
        cxkit.nps([1], scale=3.5)


def test_weights_array_like():
    w = np.ones(len(BASE), dtype=np.float32)
    assert cxkit.nps(BASE, weights=w) == cxkit.nps(BASE)
    assert cxkit.nps(BASE, weights=[1] * len(BASE)) == cxkit.nps(BASE)


def test_scale_forms():
    assert cxkit.Tally("csat").scale == cxkit.Scale.csat()
    assert cxkit.Tally((1, 5)).scale == cxkit.Scale(1, 5)
    assert cxkit.Tally((1, 5, 5, 1)).scale.top_box_min == 5
    assert cxkit.Scale(0, 10, top_box_min=9, bottom_box_max=6) == cxkit.Scale.nps()
    assert hash(cxkit.Scale.nps()) == hash(cxkit.Scale(0, 10, 9, 6))
