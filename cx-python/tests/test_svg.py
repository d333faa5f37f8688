"""The report's SVG charts: well-formed, no external reference, the expected marks, from the
plain tables that later report sections (CX index, loyalty, key drivers, retention) pass."""

import re

import pandas as pd
import polars as pl
import pytest
from test_report import StrictChecker, external_references

from cxkit import _svg


def parse(svg):
    checker = StrictChecker()
    checker.feed(svg)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert checker.tags[0] == "svg" and checker.tags.count("svg") == 1
    assert "title" in checker.tags
    assert external_references(svg) == []
    return checker


def marks(svg):
    return svg.count('class="cx-mark"')


def texts(checker):
    return [t for t in checker.text if t.strip()]


@pytest.mark.parametrize("make", [pd.DataFrame, pl.DataFrame, dict])
def test_loyalty_curve(make):
    table = make(
        {
            "point": list(range(11)),
            "rate": [0.4 + 0.05 * p for p in range(11)],
            "lower": [0.35 + 0.05 * p for p in range(11)],
            "upper": [0.45 + 0.05 * p for p in range(11)],
            "n": [40] * 11,
        }
    )
    svg = _svg.loyalty_curve(table, outcome="retained")
    c = parse(svg)
    assert marks(svg) == 1  # one line
    assert svg.count('class="cx-band"') == 1
    assert svg.count("<circle") == 11  # a point per scale point
    assert "retained rate (%)" in texts(c)
    assert "retained rate by answer, n = 440" in svg


def test_key_drivers_sorted():
    rows = [
        {"driver": "ease", "share": 0.3},
        {"driver": "effectiveness", "share": 0.5},
        {"driver": "emotion", "share": 0.2},
    ]
    svg = _svg.key_drivers(rows)
    c = parse(svg)
    assert marks(svg) == 3
    labels = [t for t in texts(c) if t in ("ease", "effectiveness", "emotion")]
    assert labels == ["effectiveness", "ease", "emotion"]  # largest first
    assert "50.0%" in texts(c)
    with_ci = [dict(r, lower=r["share"] - 0.05, upper=r["share"] + 0.05) for r in rows]
    assert _svg.key_drivers(with_ci).count("<line") > key_drivers_lines(rows)


def key_drivers_lines(rows):
    return _svg.key_drivers(rows).count("<line")


def test_cohort_heatmap_triangle():
    rows = [
        {"cohort": f"2025-0{c + 1}", "period": p, "rate": 1.0 - 0.1 * p}
        for c in range(4)
        for p in range(4 - c)
    ]
    svg = _svg.cohort_heatmap(rows)
    c = parse(svg)
    assert marks(svg) == 10  # one cell per cohort and period observed
    assert texts(c).count("100%") == 4 and "70%" in texts(c)


def test_cx_index_bands_and_dots():
    table = {
        "dimension": ["effectiveness", "ease", "emotion", "CX index"],
        "estimate": [72.0, 70.0, 65.0, 69.0],
        "lower": [70.0, 68.0, 63.0, 68.0],
        "upper": [74.0, 72.0, 67.0, 70.0],
        "n": [900, 900, 900, 900],
    }
    bands = [("very poor", 0, 50), ("poor", 50, 60), ("okay", 60, 70), ("good", 70, 80)]
    svg = _svg.cx_index(table, bands=bands)
    c = parse(svg)
    assert marks(svg) == 4
    assert svg.count('class="cx-band"') == 4
    assert svg.count('data-mark="plain"') == 4
    assert {"very poor", "poor", "okay", "good", "CX index"} <= set(texts(c))
    assert "significantly above" not in svg  # no test, no significance legend


def test_building_blocks():
    svg = _svg.stacked_bar([("a", 0.2, _svg.RED), ("b", 0.8, _svg.GREEN)], title="t")
    parse(svg)
    assert svg.count("<rect") == 2 + 2  # the bar's parts and their legend keys
    svg = _svg.columns([1, 2, 3], [0.2, 0.3, 0.5], [_svg.BLUE] * 3, title="t", x_label="x",
                       y_label="y")  # fmt: skip
    parse(svg)
    assert marks(svg) == 3
    # a line with a gap is drawn as two runs
    svg = _svg.line_band(["a", "b", "c", "d"],
                         [{"name": "s", "values": [1.0, None, 2.0, 3.0],
                           "lower": [0.5, None, 1.5, 2.5], "upper": [1.5, None, 2.5, 3.5]}],
                         title="t", y_label="y")  # fmt: skip
    parse(svg)
    assert marks(svg) == 2
    assert _svg.nice_ticks(0, 0.288) == [0.0, 0.1, 0.2, 0.3]
    assert _svg.nice_ticks(-20, 60) == [-20.0, 0.0, 20.0, 40.0, 60.0]
    assert _svg.nice_domain([-13.0, 42.0]) == (-20.0, 60.0)  # padded 5%, then round
    assert re.fullmatch(r"#[0-9a-f]{6}", _svg._mix("#000000", "#ffffff", 0.5))
    with pytest.raises(TypeError):
        _svg.columns_of(42)
