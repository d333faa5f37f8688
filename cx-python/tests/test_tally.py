"""Tally: merging any split equals the whole, order does not matter, unit weights equal
unweighted, and every serialised form round-trips (property tests with hypothesis)."""

import copy
import pickle

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import cxkit

ratings = st.lists(st.one_of(st.integers(0, 10), st.none()), max_size=200)


@given(ratings, st.data())
def test_merge_of_any_split_equals_whole(values, data):
    cut = data.draw(st.integers(0, len(values)))
    whole = cxkit.Tally.from_values(values)
    a = cxkit.Tally.from_values(values[:cut])
    b = cxkit.Tally.from_values(values[cut:])
    assert a + b == whole
    a.merge(b)
    assert a == whole
    streamed = cxkit.Tally()
    for v in values:
        streamed.push(v)
    assert streamed == whole


@given(ratings, st.randoms(use_true_random=False))
def test_order_does_not_matter(values, rnd):
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert cxkit.Tally.from_values(shuffled) == cxkit.Tally.from_values(values)


@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
def test_unit_weights_equal_unweighted_exactly(values):
    t1 = cxkit.Tally.from_values(values)
    t2 = cxkit.Tally.from_values(values, weights=np.ones(len(values)))
    assert t1 == t2
    assert cxkit.nps(values) == cxkit.nps(values, weights=[1.0] * len(values))
    assert cxkit.csat(np.clip(values, 1, 5)) == cxkit.csat(
        np.clip(values, 1, 5), weights=np.ones(len(values))
    )


@given(
    st.lists(
        # weights are 0 or within 1e-100..1e100 (the documented range)
        st.tuples(st.integers(0, 10), st.one_of(st.just(0.0), st.floats(1e-100, 100))),
        max_size=100,
    ),
    st.data(),
)
def test_weighted_merge_matches_whole(pairs, data):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    cut = data.draw(st.integers(0, len(pairs)))
    whole = cxkit.Tally.from_values(values, weights=weights)
    merged = cxkit.Tally.from_values(values[:cut], weights=weights[:cut]) + cxkit.Tally.from_values(
        values[cut:], weights=weights[cut:]
    )
    assert merged.counts == whole.counts
    assert np.allclose(merged.weights, whole.weights, rtol=1e-12, atol=0)
    assert np.allclose(merged.weights_sq, whole.weights_sq, rtol=1e-12, atol=0)


@given(ratings)
def test_serialised_forms_round_trip(values):
    t = cxkit.Tally.from_values(values)
    assert cxkit.Tally.from_bytes(t.to_bytes()) == t
    assert cxkit.Tally.from_json(t.to_json()) == t
    assert pickle.loads(pickle.dumps(t)) == t
    assert copy.deepcopy(t) == t


def test_failed_extend_leaves_tally_unchanged():
    t = cxkit.Tally.from_values([1, 2, 3])
    before = t.to_bytes()
    try:
        t.extend([4, 5, 99])
    except cxkit.OutOfScaleError:
        pass
    assert t.to_bytes() == before


def test_properties_and_dict():
    t = cxkit.Tally("csat")
    t.extend([5, 4, None], weights=[2.0, 1.0, 1.0])
    t.push(1, weight=0.5)
    assert t.n == 3 and t.missing == 1
    assert t.counts == [1, 0, 0, 1, 1]
    assert t.weights == [0.5, 0.0, 0.0, 1.0, 2.0]
    assert t.weights_sq == [0.25, 0.0, 0.0, 1.0, 4.0]
    assert t.total_weight == 3.5
    assert t.effective_n == 3.5**2 / 5.25
    d = t.to_dict()
    assert d["format"] == "cxkit.tally" and d["version"] == 1 and d["missing"] == 1
    t2 = t
    t2 += cxkit.Tally.from_values([5], scale="csat")
    assert t.n == 4
