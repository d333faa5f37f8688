"""Result classes: immutable, readable repr, HTML for Jupyter, to_dict, pickling."""

import json
import pickle

import pytest

import cxkit


def test_nps_result_presentation():
    r = cxkit.nps([10] * 50 + [7] * 30 + [0] * 20)
    text = repr(r)
    assert text.startswith("Nps(estimate=30.00, ci=[14.05, 44.20]")
    assert "n=100" in text
    assert "NPS +30.0 points" in str(r)
    html = r._repr_html_()
    assert "<table" in html and "Net Promoter Score" in html and "<script" not in html
    d = r.to_dict()
    assert list(d)[:3] == ["estimate", "std_error", "interval"]
    assert d["interval"]["method"] == "adjusted-wald"
    assert json.loads(r.to_json())["promoters"] == 50


def test_results_are_immutable():
    r = cxkit.nps([9, 10, 0])
    with pytest.raises(AttributeError):
        r.estimate = 3.0
    with pytest.raises(AttributeError):
        r.interval.lower = 3.0


@pytest.mark.parametrize(
    "make",
    [
        lambda: cxkit.nps([9, 10, 0, 7]),
        lambda: cxkit.nps_difference([9, 10, 0], [7, 0, 10]),
        lambda: cxkit.csat([5, 4, 1]),
        lambda: cxkit.ces([7, 6, 2]),
        lambda: cxkit.distribution([1, 5], scale="csat"),
        lambda: cxkit.nps([9, 0]).interval,
    ],
)
def test_every_result_pickles_and_renders(make):
    r = make()
    assert pickle.loads(pickle.dumps(r)) == r
    assert type(r).from_json(r.to_json()) == r
    assert "<table" in r._repr_html_()
    assert repr(r).startswith(type(r).__name__ + "(")
    assert isinstance(r.to_dict(), dict)


def test_interval_unpacks():
    lower, upper = cxkit.nps([9, 0, 7]).interval
    assert lower < upper
