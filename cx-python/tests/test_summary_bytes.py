"""Compact bytes and pickle of the CX summary, the loyalty joint tally and the activity summary:
round trips, merges of read-back bytes equal merges of the summaries (and the summary of all the
rows), and altered, truncated or newer-version bytes are UnreadableSummaryError."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxkit


def cx_summary(rows, require_all=False):
    s = cxkit.CxSummary(require_all=require_all)
    if rows:
        cols = list(zip(*rows))
        s.extend({d: list(c) for d, c in zip(["effectiveness", "ease", "emotion"], cols)})
    return s


def joint(codes, outcome, weights=None):
    """The joint tally of exposure codes (0 exposed, 1 reference, 2 neither, 3 unknown) through
    the public joint_tally: the codes as 0/1 masks (NaN: unknown)."""
    codes = np.asarray(codes, dtype=np.uint8)
    return cxkit.joint_tally(
        outcome=np.asarray(outcome, dtype=np.float64),
        exposure=np.where(codes == 3, np.nan, (codes == 0).astype(float)),
        reference=(codes == 1).astype(float),
        weights=None if weights is None else np.asarray(weights, dtype=np.float64),
    )


def activity(ids, months, revenue):
    dates = [f"2026-{m:02d}-10" for m in months]
    return cxkit.activity(customer=ids, date=dates, revenue=revenue)


def samples():
    return [
        cx_summary([(5, 4, None), (2, 1, 3), (None, None, None)]),
        joint([0, 1, 0, 2, 3], [1, 0, float("nan"), 1, 0], [1.0, 0.5, 2.0, 1.0, 1.5]),
        activity(["a", "b", "a", "c"], [1, 1, 3, 2], [10.0, 4.0, -2.0, 0.0]),
    ]


@pytest.mark.parametrize("summary", samples(), ids=["cx", "joint", "activity"])
def test_round_trip_pickle_and_damage(summary):
    cls = type(summary)
    data = summary.to_bytes()
    assert isinstance(data, bytes)
    assert data[:4] in (b"CXCS", b"CXJT", b"CXAC")
    assert cls.from_bytes(data) == summary
    assert pickle.loads(pickle.dumps(summary)) == summary
    assert cls.from_json(summary.to_json()) == summary
    for cut in (0, 8, len(data) // 2, len(data) - 1):
        with pytest.raises(cxkit.UnreadableSummaryError):
            cls.from_bytes(data[:cut])
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x20
    with pytest.raises(cxkit.UnreadableSummaryError, match="checksum"):
        cls.from_bytes(bytes(flipped))
    newer = bytearray(data)
    newer[4] = 2
    with pytest.raises(cxkit.UnreadableSummaryError, match="version 2 is not supported"):
        cls.from_bytes(bytes(newer))
    with pytest.raises(cxkit.UnreadableSummaryError):
        cls.from_bytes(b"CXTL" + data[4:])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(st.integers(1, 5), st.none()), st.integers(1, 5), st.integers(1, 5)),
        max_size=30,
    ),
    st.lists(
        st.tuples(st.one_of(st.integers(1, 5), st.none()), st.integers(1, 5), st.integers(1, 5)),
        max_size=30,
    ),
    st.booleans(),
)
def test_cx_merge_of_bytes_equals_merge(a, b, require_all):
    sa, sb = cx_summary(a, require_all), cx_summary(b, require_all)
    merged = cxkit.CxSummary.from_bytes(sa.to_bytes()) + cxkit.CxSummary.from_bytes(sb.to_bytes())
    assert merged == sa + sb == cx_summary(a + b, require_all)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.sampled_from([0.0, 1.0, float("nan")])), max_size=50),
    st.integers(0, 50),
)
def test_joint_merge_of_bytes_equals_whole(rows, cut):
    codes = [r[0] for r in rows]
    y = [r[1] for r in rows]
    a, b = joint(codes[:cut], y[:cut]), joint(codes[cut:], y[cut:])
    merged = cxkit.JointTally.from_bytes(a.to_bytes()).merged(
        cxkit.JointTally.from_bytes(b.to_bytes())
    )
    assert merged == a.merged(b) == joint(codes, y)
    whole = [*codes, 0, 0, 1, 1]  # both groups with both outcomes, so that the lift exists
    ys = [*y, 0.0, 1.0, 0.0, 1.0]
    left = joint(whole[:cut], ys[:cut]).to_bytes()
    right = joint(whole[cut:], ys[cut:]).to_bytes()
    merged = cxkit.JointTally.from_bytes(left).merged(cxkit.JointTally.from_bytes(right))
    in_memory = cxkit.loyalty_lift(joint(whole, ys))
    assert cxkit.loyalty_lift(merged) == in_memory


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("abcdefg"), st.integers(1, 12), st.integers(-4, 40)),
        min_size=2,
        max_size=40,
    ),
    st.integers(1, 39),
)
def test_activity_merge_of_bytes_equals_whole(rows, cut):
    cut = min(cut, len(rows) - 1)
    ids, months, rev = (list(c) for c in zip(*rows))
    rev = [float(r) for r in rev]
    a = activity(ids[:cut], months[:cut], rev[:cut])
    b = activity(ids[cut:], months[cut:], rev[cut:])
    merged = cxkit.Activity.from_bytes(a.to_bytes()).merge(cxkit.Activity.from_bytes(b.to_bytes()))
    assert merged == a.merge(b) == activity(ids, months, rev)


def test_merge_mismatches_are_clear_errors():
    five = cxkit.CxSummary()
    seven = cxkit.CxSummary.from_bytes(cxkit.CxSummary(scales="ces").to_bytes())
    with pytest.raises(cxkit.ScaleMismatchError):
        five.merge(seven)
    with pytest.raises(cxkit.InvalidArgumentError, match="require_all"):
        five.merge(cxkit.CxSummary(require_all=True))
    monthly = activity(["a"], [1], [1.0])
    weekly = cxkit.activity(customer=["a"], date=["2026-01-05"], revenue=[1.0], freq="W")
    with pytest.raises(cxkit.InvalidArgumentError, match="period length"):
        monthly.merge(cxkit.Activity.from_bytes(weekly.to_bytes()))


def test_empty_joint_tally_and_json_versions():
    assert cxkit.JointTally.empty().merged(samples()[1]) == samples()[1]
    text = samples()[2].to_json().replace('"version":1', '"version":2', 1)
    with pytest.raises(cxkit.UnreadableSummaryError, match="version 2"):
        cxkit.Activity.from_json(text)
