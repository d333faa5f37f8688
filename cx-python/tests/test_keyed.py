"""KeyedTally: partitions merged by label equal the whole, in any split and order; bytes,
JSON and pickle round-trip; bad bytes and mismatched merges are clear errors."""

import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cxkit

rows = st.lists(
    st.tuples(
        st.one_of(st.integers(0, 10), st.none()),
        st.sampled_from(["North", "South", "East", None]),
        st.integers(1, 3),
    ),
    max_size=120,
)


def keyed(part):
    frame = pd.DataFrame(part, columns=["nps", "region", "tier"])
    return cxkit.KeyedTally.from_values(
        frame.nps.astype(float), by=[frame.region, frame.tier], names=["region", "tier"]
    )


@given(rows, st.lists(st.integers(0, 120), max_size=4), st.randoms(use_true_random=False))
def test_any_partitioning_merges_to_the_whole(data, cuts, rnd):
    cuts = sorted({0, len(data), *[c for c in cuts if c <= len(data)]})
    parts = [keyed(data[a:b]) for a, b in zip(cuts, cuts[1:])] or [keyed([])]
    rnd.shuffle(parts)
    merged = cxkit.KeyedTally("nps", names=["region", "tier"])
    for p in parts:
        merged += cxkit.KeyedTally.from_bytes(p.to_bytes())
    assert merged == keyed(data)


def test_segments_equal_nps_by():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "nps": rng.integers(0, 11, 2000),
            "region": rng.choice(["a", "b", "c", None], 2000),
        }
    )
    k = cxkit.KeyedTally.from_values(frame.nps, by=frame.region)
    assert k.names == ["region"]
    pd.testing.assert_frame_equal(k.segments(), cxkit.nps_by(frame, "nps", "region"))
    pd.testing.assert_frame_equal(
        k.segments("top_box", reference="b", min_base=10),
        cxkit.top_box_by(frame, "nps", "region", reference="b", min_base=10, scale="nps"),
    )
    assert k.tally((None,)).n == int(frame.region.isna().sum())
    assert k.total() == cxkit.Tally.from_values(frame.nps)


def test_round_trips_and_errors():
    k = cxkit.KeyedTally.from_values([9, 3, 10], by=[[1, 2, 1], ["x", "y", None]])
    assert k.names == ["group_1", "group_2"]
    assert k.keys() == [(1, "x"), (1, None), (2, "y")]  # the missing key sorts last
    assert cxkit.KeyedTally.from_json(k.to_json()) == k
    assert pickle.loads(pickle.dumps(k)) == k
    data = bytearray(k.to_bytes())
    data[20] ^= 1
    with pytest.raises(cxkit.UnreadableSummaryError):
        cxkit.KeyedTally.from_bytes(bytes(data))
    with pytest.raises(cxkit.UnreadableSummaryError):
        cxkit.KeyedTally.from_bytes(cxkit.Tally().to_bytes())  # another summary kind
    with pytest.raises(cxkit.InvalidArgumentError):
        k.merge(cxkit.KeyedTally(names=["other"]))
    with pytest.raises(cxkit.ScaleMismatchError):
        k.merge(cxkit.KeyedTally("csat", names=["group_1", "group_2"]))
    with pytest.raises(cxkit.UnknownGroupError):
        k.segments(reference=(3, "z"))
    with pytest.raises(cxkit.LengthMismatchError):
        cxkit.KeyedTally.from_values([9, 3], by=["a"])


@given(rows)
def test_pushing_one_answer_at_a_time_equals_from_values(data):
    pushed = cxkit.KeyedTally("nps", names=["region", "tier"])
    for score, region, tier in data:
        pushed.push(score, (region, tier))
    assert pushed == keyed(data)


def test_push_weights_and_bad_input_leave_the_summary_unchanged():
    k = cxkit.KeyedTally("nps", names=["region"])
    k.push(9, "North", weight=2.0)
    k.push(3, ("North",))
    k.push(None, None)
    assert k.tally("North") == cxkit.Tally.from_values([9, 3], weights=[2.0, 1.0])
    assert k.tally(None).missing == 1
    before = k.to_bytes()
    bad = [
        (lambda: k.push(11, "North"), cxkit.OutOfScaleError),
        (lambda: k.push(7.5, "North"), cxkit.NonIntegerError),
        (lambda: k.push(9, "North", weight=-1.0), cxkit.InvalidWeightError),
        (lambda: k.push(9, 1), cxkit.InvalidArgumentError),  # a number into a column of strings
        (lambda: k.push(9, ("North", 1)), cxkit.InvalidArgumentError),  # two keys, one column
        (lambda: k.push(9, 1.5), cxkit.InvalidArgumentError),
        (lambda: k.push(9, object()), cxkit.WrongTypeError),
    ]
    for call, error in bad:
        with pytest.raises(error) as e:
            call()
        assert k.to_bytes() == before, e.value
