"""cx_index against brute force in numpy: per-dimension scores, the weighted average over
dimensions, and the delta-method standard error as the root of the summed squared
per-respondent influence values; grouped tables equal filter-then-compute with statsmodels'
Holm adjustment; every input form gives the same result; CxSummary merges, pickles and streams."""

import math
import pathlib
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import cxkit

ROOT = pathlib.Path(__file__).resolve().parents[2]

sm_multi = pytest.importorskip("statsmodels.stats.multitest")

DIMS = ["effectiveness", "ease", "emotion"]
Z95 = stats.norm.ppf(0.975)


@pytest.fixture(scope="module")
def survey():
    rng = np.random.default_rng(5)
    n = 3000
    region = rng.choice(["North", "South", "East", "West"], n, p=[0.35, 0.3, 0.2, 0.15])
    shift = pd.Series(region).map({"North": 0.6, "South": -0.5, "East": 0.0, "West": 0.3})
    propensity = rng.normal(0, 1, n) + shift.to_numpy()
    out = {}
    for dim in DIMS:
        x = np.clip(np.round(3.5 + propensity + rng.normal(0, 0.9, n)), 1, 5)
        x[rng.random(n) < 0.04] = np.nan
        out[dim] = x
    days = rng.integers(0, 365, n)
    out["region"] = region
    out["date"] = pd.to_datetime("2025-01-01") + pd.to_timedelta(days, unit="D")
    out["w"] = rng.uniform(0.5, 2.0, n)
    return pd.DataFrame(out)


def brute(df, dims=DIMS, method="net", weights=None, dim_weights=None, require_all=False):
    """The index from raw rows: (estimate, se, per-dimension (estimate, se))."""
    x = df[dims].to_numpy(dtype=float)
    w = np.ones(len(df)) if weights is None else df[weights].to_numpy(dtype=float)
    answered = ~np.isnan(x)
    counted = answered.all(axis=1) if require_all else answered.any(axis=1)
    a = answered & counted[:, None]
    if method == "net":
        y = np.where(x >= 4, 100.0, np.where(x <= 2, -100.0, 0.0))
    else:
        y = (x - 1) / 4 * 100
    d = np.ones(len(dims)) if dim_weights is None else np.asarray(dim_weights, dtype=float)
    d = d / d.sum()
    per_dim, z = [], np.zeros(len(df))
    for k in range(len(dims)):
        ak = a[:, k]
        wk = w[ak].sum()
        ybar = (w[ak] * y[ak, k]).sum() / wk
        infl = np.where(ak, w * (np.nan_to_num(y[:, k]) - ybar) / wk, 0.0)
        nk = ak.sum()
        c = nk / (nk - 1) if method == "mean" else 1.0
        per_dim.append((ybar, math.sqrt(c * (infl**2).sum())))
        z += d[k] * infl
    n = counted.sum()
    c = n / (n - 1) if method == "mean" else 1.0
    est = sum(dk * p[0] for dk, p in zip(d, per_dim))
    return est, math.sqrt(c * (z**2).sum()), per_dim


@pytest.mark.parametrize("method", ["net", "mean"])
@pytest.mark.parametrize("require_all", [False, True])
@pytest.mark.parametrize("weights", [None, "w"])
def test_overall_equals_brute_force(survey, method, require_all, weights):
    dw = [1.0, 2.0, 3.0]
    r = cxkit.cx_index(
        survey,
        method=method,
        weights=weights,
        require_all=require_all,
        dim_weights=dw,
    )
    est, se, per_dim = brute(
        survey, method=method, weights=weights, dim_weights=dw, require_all=require_all
    )
    assert r.estimate == pytest.approx(est, rel=1e-12)
    assert r.std_error == pytest.approx(se, rel=1e-10)
    assert tuple(r.interval) == pytest.approx((est - Z95 * se, est + Z95 * se), rel=1e-10)
    assert r.interval.method == "wald"
    for dim, (e, s) in zip(r.dimensions, per_dim):
        assert dim.estimate == pytest.approx(e, rel=1e-12)
        assert dim.std_error == pytest.approx(s, rel=1e-10)
    assert [d.weight for d in r.dimensions] == pytest.approx([1 / 6, 2 / 6, 3 / 6])
    assert r.weakest == min(r.dimensions, key=lambda d: d.estimate).name
    answered = survey[DIMS].notna()
    counted = answered.all(axis=1) if require_all else answered.any(axis=1)
    assert r.n == counted.sum() and r.missing == (~counted).sum()
    assert r.require_all is require_all


def test_one_dimension_matches_nps_and_mean(survey):
    """Per dimension, net is the NPS arithmetic on the 1-5 boxes and mean is the rescaled mean."""
    r = cxkit.cx_index(survey, weights="w")
    m = cxkit.cx_index(survey, weights="w", method="mean")
    for k, dim in enumerate(DIMS):
        n = cxkit.nps(survey[dim], weights=survey.w, scale="csat", method="wald")
        assert r.dimensions[k].estimate == pytest.approx(n.estimate, rel=1e-12)
        assert r.dimensions[k].std_error == pytest.approx(n.std_error, rel=1e-12)
        mu = cxkit.mean(survey[dim], weights=survey.w, scale="csat")
        assert m.dimensions[k].estimate == pytest.approx((mu.estimate - 1) * 25, rel=1e-12)
        assert m.dimensions[k].std_error == pytest.approx(mu.std_error * 25, rel=1e-12)
        assert m.dimensions[k].mean == pytest.approx(mu.estimate, rel=1e-12)


def test_hand_worked_example():
    """The worked example of the docs (cx_core::cx_index), also run in Rust and Node."""
    r = cxkit.cx_index(
        {
            "effectiveness": [5, 4, 2, 5, 3, 4],
            "ease": [4, 2, 1, 5, None, 4],
            "emotion": [5, 3, 2, 4, 1, None],
        }
    )
    assert r.estimate == pytest.approx(70 / 3, rel=1e-14)
    third = 1 / 3
    z = third * np.array(
        [
            0.5 / 6 + 0.8 / 5 + 1 / 5,
            0.5 / 6 - 1.2 / 5,
            -1.5 / 6 - 1.2 / 5 - 1 / 5,
            0.5 / 6 + 0.8 / 5 + 1 / 5,
            -0.5 / 6 - 1 / 5,
            0.5 / 6 + 0.8 / 5,
        ]
    )
    assert r.std_error == pytest.approx(100 * math.sqrt((z**2).sum()), rel=1e-12)
    assert (r.band, r.weakest, r.n) == ("very poor", "emotion", 6)
    assert [d.estimate for d in r.dimensions] == [50.0, 20.0, 0.0]
    assert [d.n for d in r.dimensions] == [6, 5, 5]
    m = cxkit.cx_index(
        {
            "effectiveness": [5, 4, 2, 5, 3, 4],
            "ease": [4, 2, 1, 5, None, 4],
            "emotion": [5, 3, 2, 4, 1, None],
        },
        method="mean",
    )
    assert m.estimate == pytest.approx(((23 / 6 - 1) * 25 + 55 + 50) / 3, rel=1e-14)
    assert m.std_error == pytest.approx(14.151407904481179, rel=1e-9)


def test_every_input_form_gives_the_same_index(survey):
    pl = pytest.importorskip("polars")
    want = cxkit.cx_index(survey, weights="w")
    x = survey[DIMS].to_numpy()
    forms = [
        cxkit.cx_index(pl.from_pandas(survey), weights="w"),
        cxkit.cx_index({d: survey[d] for d in DIMS}, weights=survey.w),
        cxkit.cx_index({d: survey[d].tolist() for d in DIMS}, weights=survey.w.to_numpy()),
        cxkit.cx_index(x, weights=survey.w),
        cxkit.cx_index(np.asfortranarray(x), weights=survey.w),
        cxkit.cx_index([survey[d].to_numpy() for d in DIMS], weights=survey.w),
        cxkit.cx_index(x, dims=DIMS, weights=survey.w),
    ]
    for r in forms:
        assert r == want
    # integer columns (no missing) read in place, mixed dtypes converted once
    full = survey[DIMS].fillna(3).astype(np.int8)
    a = cxkit.cx_index(full)
    b = cxkit.cx_index(
        {
            "effectiveness": full.effectiveness.astype(float),
            "ease": full.ease,
            "emotion": full.emotion.astype(np.uint16),
        }
    )
    assert a == b
    # dims pick and order columns
    two = cxkit.cx_index(survey, dims=["emotion", "ease"])
    assert [d.name for d in two.dimensions] == ["emotion", "ease"]


def test_scales_and_bands():
    data = {"a": [1, 7, 6, 2], "b": [5, 4, 1, 3]}
    r = cxkit.cx_index(data, scales={"a": (1, 7)})
    # a on 1-7: top box 6-7, bottom 1-2: (2 - 2) / 4; b on 1-5: (2 - 1) / 4
    assert [d.estimate for d in r.dimensions] == [0.0, 25.0]
    same = cxkit.cx_index(data, scales={"a": cxkit.Scale(1, 7), "b": "csat"})
    assert same == r
    custom = cxkit.cx_index(data, scales={"a": (1, 7)}, bands=[0, 10, 20, 30])
    # 12.5 in [10, 20), 0 at the first cut-off, 25 in [20, 30)
    assert (custom.band, custom.dimensions[0].band, custom.dimensions[1].band) == (
        "okay",
        "poor",
        "good",
    )
    assert cxkit.cx_index(data, scales="ces").dimensions[1].n == 4


def test_dimension_weights_by_name_and_list():
    data = {"a": [5, 5, 1], "b": [1, 1, 1]}
    by_name = cxkit.cx_index(data, dim_weights={"b": 1, "a": 3})
    by_list = cxkit.cx_index(data, dim_weights=[3, 1])
    assert by_name == by_list
    assert by_name.estimate == pytest.approx(0.75 * 100 / 3 + 0.25 * -100)
    assert cxkit.cx_index(data, dim_weights="equal") == cxkit.cx_index(data)


def test_segments_equal_filter_then_compute(survey):
    t = cxkit.cx_index_by(survey, by="region", weights="w", reference="North")
    assert list(t["region"]) == ["East", "North", "South", "West"]
    p = []
    north = cxkit.cx_index(survey[survey.region == "North"], weights="w")
    for _, row in t.iterrows():
        own_df = survey[survey.region == row.region]
        own = cxkit.cx_index(own_df, weights="w")
        rest = cxkit.cx_index(survey[survey.region != row.region], weights="w")
        assert row.estimate == pytest.approx(own.estimate, rel=1e-12)
        assert row.std_error == pytest.approx(own.std_error, rel=1e-12)
        assert row.n == own.n and row.band == own.band and row.weakest == own.weakest
        for d in own.dimensions:
            assert row[d.name] == pytest.approx(d.estimate, rel=1e-12)
        se = math.hypot(own.std_error, rest.std_error)
        zstat = (own.estimate - rest.estimate) / se
        assert row.diff_vs_rest == pytest.approx(own.estimate - rest.estimate, rel=1e-12)
        assert row.se_vs_rest == pytest.approx(se, rel=1e-12)
        assert row.p_vs_rest == pytest.approx(2 * stats.norm.sf(abs(zstat)), rel=1e-9, abs=1e-300)
        p.append(row.p_vs_rest)
        if row.region == "North":
            assert pd.isna(row.diff_vs_reference)
        else:
            assert row.diff_vs_reference == pytest.approx(own.estimate - north.estimate, rel=1e-12)
    holm = sm_multi.multipletests(p, method="holm")[1]
    assert list(t.p_adj_vs_rest) == pytest.approx(list(holm), rel=1e-12)
    assert list(t.significant) == [x < 0.05 for x in holm]
    bh = cxkit.cx_index_by(survey, by="region", adjust="bh")
    assert list(bh.p_adj_vs_rest) == pytest.approx(
        list(sm_multi.multipletests(list(bh.p_vs_rest), method="fdr_bh")[1]), rel=1e-12
    )


def test_segments_from_arrays_and_polars(survey):
    pl = pytest.importorskip("polars")
    a = cxkit.cx_index_by(survey, by="region")
    b = cxkit.cx_index_by({d: survey[d].to_numpy() for d in DIMS}, by=survey.region.to_numpy())
    assert list(b["group"]) == list(a["region"])
    assert list(b.estimate) == list(a.estimate)
    c = cxkit.cx_index_by(pl.from_pandas(survey), by="region")
    assert isinstance(c, pl.DataFrame)
    assert c["estimate"].to_list() == list(a.estimate)
    small = cxkit.cx_index_by(survey.head(40), by="region")
    assert small.too_small.all() and small.diff_vs_rest.isna().all()


def test_trend_equals_per_period(survey):
    t = cxkit.cx_index_by(survey, period="date", freq="Q", window=2, method="mean")
    quarters = survey.date.dt.to_period("Q")
    assert list(t["date"]) == [str(q).replace("Q", "-Q") for q in sorted(quarters.unique())]
    for i, row in t.iterrows():
        q = sorted(quarters.unique())[i]
        own = cxkit.cx_index(survey[quarters == q], method="mean")
        assert row.estimate == pytest.approx(own.estimate, rel=1e-12)
        if i > 0:
            prev = cxkit.cx_index(
                survey[quarters == sorted(quarters.unique())[i - 1]], method="mean"
            )
            assert row.change == pytest.approx(own.estimate - prev.estimate, rel=1e-12)
            both = survey[quarters.isin(sorted(quarters.unique())[i - 1 : i + 1])]
            assert row.rolling_estimate == pytest.approx(
                cxkit.cx_index(both, method="mean").estimate, rel=1e-12
            )
    by = cxkit.cx_index_by(survey, by="region", period="date", freq="Y")
    assert set(by.columns) >= {"region", "date", "estimate", "band", "weakest", "change"}


def test_summary_streams_merges_and_pickles(survey):
    s = cxkit.CxSummary()
    half = len(survey) // 2
    s.extend(survey.iloc[:half], weights=survey.w.iloc[:half])
    other = cxkit.CxSummary()
    for row, w in zip(survey[DIMS].iloc[half:].itertuples(index=False), survey.w.iloc[half:]):
        other.push([None if np.isnan(v) else v for v in row], weight=w)
    s.merge(other)
    whole = cxkit.cx_index(survey, weights="w")
    r = cxkit.cx_index(s)
    assert r.estimate == pytest.approx(whole.estimate, rel=1e-12)
    assert r.std_error == pytest.approx(whole.std_error, rel=1e-10)
    assert pickle.loads(pickle.dumps(s)) == s
    assert cxkit.CxSummary.from_json(s.to_json()) == s
    assert (s + other).n == s.n + other.n
    assert s.tally("ease").n == s.tally(1).n == survey.ease.notna().sum()
    assert cxkit.cx_index(s, method="mean").estimate == pytest.approx(
        cxkit.cx_index(survey, weights="w", method="mean").estimate, rel=1e-12
    )
    assert "CxSummary(dims=['effectiveness', 'ease', 'emotion']" in repr(s)
    assert pickle.loads(pickle.dumps(r)) == r
    assert cxkit.CxIndex.from_json(r.to_json()) == r
    assert r.to_dict()["dimensions"][2]["band"] in (
        "very poor",
        "poor",
        "okay",
        "good",
        "excellent",
    )
    frame = r.to_pandas()
    assert list(frame.name) == DIMS and list(frame.estimate) == [d.estimate for d in r.dimensions]
    assert "CX index" in r._repr_html_() and r.dimension("ease").name == "ease"


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(1, 5)),
            st.one_of(st.none(), st.integers(1, 5)),
            st.floats(0.25, 4),
        ),
        min_size=0,
        max_size=60,
    ),
    st.integers(0, 60),
)
def test_merge_of_any_split_equals_whole(rows, cut):
    a = [r[0] for r in rows]
    b = [r[1] for r in rows]
    w = [r[2] for r in rows]
    cut = min(cut, len(rows))
    whole = cxkit.CxSummary(["a", "b"])
    whole.extend({"a": a, "b": b}, weights=w)
    left = cxkit.CxSummary(["a", "b"])
    left.extend({"a": a[:cut], "b": b[:cut]}, weights=w[:cut])
    right = cxkit.CxSummary(["a", "b"])
    right.extend({"a": a[cut:], "b": b[cut:]}, weights=w[cut:])
    merged = left + right
    assert merged.n == whole.n and merged.missing == whole.missing
    if all(x is not None for x in a) and all(x is not None for x in b) and rows:
        r1, r2 = cxkit.cx_index(merged), cxkit.cx_index(whole)
        assert r1.estimate == pytest.approx(r2.estimate, rel=1e-12, abs=1e-9)
        assert r1.std_error == pytest.approx(r2.std_error, rel=1e-9, abs=1e-9)
    ones = cxkit.CxSummary(["a", "b"])
    ones.extend({"a": a, "b": b}, weights=[1.0] * len(rows))
    plain = cxkit.CxSummary(["a", "b"])
    plain.extend({"a": a, "b": b})
    assert ones == plain


def test_bad_input_is_a_clear_error(survey):
    with pytest.raises(cxkit.LengthMismatchError) as e:
        cxkit.cx_index({"a": [1, 2, 3], "b": [1, 2]})
    assert (e.value.left_name, e.value.left, e.value.right_name, e.value.right) == (
        "dimension 1",
        3,
        "dimension 2",
        2,
    )
    with pytest.raises(cxkit.InvalidArgumentError, match="'emotions'") as e:
        cxkit.cx_index(survey, dims=["effectiveness", "emotions"])
    assert e.value.name == "dims"
    with pytest.raises(cxkit.InvalidArgumentError, match="emotion"):
        cxkit.cx_index({"effectiveness": [1], "ease": [2]}, dims=DIMS)
    with pytest.raises(cxkit.InvalidArgumentError) as e:
        cxkit.cx_index(survey, scales={"eas": "ces"})
    assert e.value.name == "dims"
    with pytest.raises(cxkit.LengthMismatchError) as e:
        cxkit.cx_index(survey, weights=np.ones(5))
    assert (e.value.left_name, e.value.right_name, e.value.right) == ("respondents", "weights", 5)
    with pytest.raises(cxkit.LengthMismatchError) as e:
        cxkit.cx_index(survey, dim_weights=[1, 2])
    assert (e.value.left_name, e.value.right_name) == ("dims", "dim_weights")
    with pytest.raises(cxkit.InvalidArgumentError, match="strictly increasing") as e:
        cxkit.cx_index(survey, bands=[55, 65, 60, 85])
    assert e.value.name == "bands"
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.cx_index(survey, bands=[55, 65, 75])
    with pytest.raises(cxkit.InvalidArgumentError) as e:
        cxkit.cx_index(survey, dim_weights={"ease": 1})
    assert e.value.name == "dim_weights"
    with pytest.raises(cxkit.InvalidArgumentError, match='"median"'):
        cxkit.cx_index(survey, method="median")
    with pytest.raises(cxkit.OutOfScaleError) as e:
        cxkit.cx_index({"a": [1, 6], "b": [1, 2]})
    assert (e.value.index, e.value.value) == (1, 6.0)
    with pytest.raises(cxkit.EmptyInputError, match='"b"'):
        cxkit.cx_index({"a": [1, 5], "b": [None, None]})
    with pytest.raises(cxkit.InsufficientDataError):
        cxkit.cx_index({"a": [4]}, method="mean")
    with pytest.raises(cxkit.InvalidWeightError):
        cxkit.cx_index({"a": [4, 5]}, weights=[1, -1])
    with pytest.raises(cxkit.UnknownGroupError):
        cxkit.cx_index_by(survey, by="region", reference="Mars")
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.cx_index_by(survey, period="date", reference="North")
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.cx_index_by({"n": [4, 5], "b": [1, 2]}, by=["x", "y"])
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.cx_index_by(cxkit.CxSummary(), by="region")
    with pytest.raises(cxkit.InvalidArgumentError, match="twice"):
        cxkit.CxSummary(["a", "a"])
    s = cxkit.CxSummary()
    with pytest.raises(cxkit.LengthMismatchError):
        s.push([1, 2])
    with pytest.raises(cxkit.InvalidArgumentError):
        s.merge(cxkit.CxSummary(require_all=True))
    with pytest.raises(cxkit.ScaleMismatchError):
        s.merge(cxkit.CxSummary(scales="ces"))
    with pytest.raises(cxkit.UnreadableSummaryError):
        cxkit.CxSummary.from_json('{"format": "cxkit.cx_summary", "version": 9}')
    with pytest.raises(TypeError):
        cxkit.cx_index(42)


def test_key_driver_table_as_dimension_weights():
    # The seam between the CX index and key drivers: dimensions weighted by their LMG shares.
    df = pd.read_csv(ROOT / "examples" / "data" / "survey.csv")
    dims = ["effectiveness", "ease", "emotion"]
    drivers = cxkit.key_drivers(df, drivers=dims, outcome="retained", resamples=100)
    weighted = cxkit.cx_index(df, dims=dims, dim_weights=drivers)
    shares = dict(zip(drivers.driver, drivers.lmg_share))
    by_hand = cxkit.cx_index(df, dims=dims, dim_weights=[shares[d] for d in dims])
    assert weighted.estimate == by_hand.estimate
    expected = sum(shares[d.name] * d.estimate for d in weighted.dimensions) / sum(shares.values())
    assert weighted.estimate == pytest.approx(expected, rel=1e-12)
