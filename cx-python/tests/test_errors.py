"""Every error kind: class, ValueError base, code and detail attributes."""

import json
import math

import numpy as np
import pytest

import cxkit


def raises(cls, fn, *args, **kwargs):
    with pytest.raises(cls) as info:
        fn(*args, **kwargs)
    err = info.value
    assert isinstance(err, cxkit.CxError)
    assert isinstance(err, ValueError)
    return err


def test_out_of_scale_names_index_value_and_range():
    err = raises(cxkit.OutOfScaleError, cxkit.nps, [1, 2, 11])
    assert (err.code, err.index, err.value, err.lowest, err.highest) == (
        "out_of_scale",
        2,
        11.0,
        0,
        10,
    )
    assert "index 2" in str(err) and "0..=10" in str(err)
    err = raises(cxkit.OutOfScaleError, cxkit.nps, np.array([3, 200], dtype=np.uint8))
    assert (err.index, err.value) == (1, 200.0)
    err = raises(cxkit.OutOfScaleError, cxkit.nps, [math.inf])
    assert err.value == math.inf
    raises(cxkit.OutOfScaleError, cxkit.csat, [0])


def test_non_integer():
    err = raises(cxkit.NonIntegerError, cxkit.nps, [1.0, 3.5])
    assert (err.code, err.index, err.value) == ("non_integer", 1, 3.5)


def test_invalid_weight():
    for bad in (-1.0, math.nan, math.inf):
        err = raises(cxkit.InvalidWeightError, cxkit.nps, [1, 2], weights=[1.0, bad])
        assert err.code == "invalid_weight" and err.index == 1
        assert err.value == bad or (math.isnan(bad) and math.isnan(err.value))


def test_length_mismatch():
    err = raises(cxkit.LengthMismatchError, cxkit.nps, [1, 2, 3], weights=[1.0])
    assert (err.left_name, err.left, err.right_name, err.right) == ("values", 3, "weights", 1)


def test_empty_input():
    for fn in (cxkit.nps, cxkit.csat, cxkit.ces):
        err = raises(cxkit.EmptyInputError, fn, [None, None])
        assert err.code == "empty_input"
    raises(cxkit.EmptyInputError, cxkit.nps, [])
    raises(cxkit.EmptyInputError, cxkit.nps, [9], weights=[0.0])
    raises(cxkit.EmptyInputError, cxkit.distribution, [], scale="nps")


def test_insufficient_data():
    err = raises(cxkit.InsufficientDataError, cxkit.ces, [5])
    assert (err.needed, err.got) == (2, 1)


def test_zero_variance():
    raises(cxkit.ZeroVarianceError, cxkit.nps_difference, [10, 10], [9, 9])


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, -0.1, math.nan])
def test_invalid_level(level):
    err = raises(cxkit.InvalidLevelError, cxkit.nps, [1, 9], level=level)
    assert err.value == level or math.isnan(level)
    raises(cxkit.InvalidLevelError, cxkit.csat, [1, 5], level=level)
    raises(cxkit.InvalidLevelError, cxkit.ces, [1, 5], level=level)


def test_invalid_scale():
    err = raises(cxkit.InvalidScaleError, cxkit.Scale, 5, 1)
    assert "lowest" in err.reason
    raises(cxkit.InvalidScaleError, cxkit.Scale, 0, 101)
    raises(cxkit.InvalidScaleError, cxkit.Scale, 1, 5, top_box_min=2, bottom_box_max=3)


def test_scale_mismatch():
    t = cxkit.Tally("nps")
    raises(cxkit.ScaleMismatchError, t.merge, cxkit.Tally("csat"))
    raises(cxkit.ScaleMismatchError, cxkit.nps, cxkit.Tally.from_values([1, 2]), scale="csat")
    raises(cxkit.ScaleMismatchError, cxkit.nps_difference, [1, 2], cxkit.Tally("csat"))


def test_unreadable_summary():
    good = cxkit.Tally.from_values([9, 10, 3]).to_bytes()
    err = raises(cxkit.UnreadableSummaryError, cxkit.Tally.from_bytes, good[:-1])
    assert err.code == "unreadable_summary"
    flipped = bytearray(good)
    flipped[40] ^= 0x10
    raises(cxkit.UnreadableSummaryError, cxkit.Tally.from_bytes, bytes(flipped))
    raises(cxkit.UnreadableSummaryError, cxkit.Tally.from_json, "{}")
    raises(cxkit.UnreadableSummaryError, cxkit.Tally.from_json, "not json")


def test_group_errors():
    err = raises(cxkit.UnknownGroupError, cxkit.nps_by, [9, 3], by=["a", "b"], reference="c")
    # The group's label, as in Node (the core names it once for both).
    assert (err.code, err.name, err.groups) == ("unknown_group", "c", 2)
    assert issubclass(cxkit.GroupOutOfRangeError, cxkit.CxError)


def test_invalid_argument():
    err = raises(cxkit.InvalidArgumentError, cxkit.nps, [1, 9], method="bogus")
    assert err.name == "method" and "adjusted-wald" in err.expected
    raises(cxkit.InvalidArgumentError, cxkit.top_box, [1, 2], scale="csat", method="exact")
    raises(cxkit.InvalidArgumentError, cxkit.top_box, [1, 2])  # no scale for raw values
    raises(cxkit.InvalidArgumentError, cxkit.nps, [1, 9], method="bootstrap", resamples=10)
    raises(cxkit.InvalidArgumentError, cxkit.Tally, "unknown-preset")
    raises(cxkit.InvalidArgumentError, cxkit.nps, cxkit.Tally(), weights=[1.0])


def test_every_core_code_has_a_class():
    classes = [
        c for c in vars(cxkit).values() if isinstance(c, type) and issubclass(c, cxkit.CxError)
    ]
    # base + one per code of the core's error table + InternalError (a caught Rust panic)
    codes = json.loads(cxkit._cxkit.contract())["errors"]
    assert len(codes) >= 16
    assert len(classes) == len(codes) + 2
