"""nps_by & co against brute force: each group equals filter-then-compute, the rest is the
complement, adjusted p-values equal statsmodels' multipletests, trends equal per-period
computation, and pandas, polars and arrays give the same table."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import cxkit

sm_multi = pytest.importorskip("statsmodels.stats.multitest")


@pytest.fixture(scope="module")
def survey():
    rng = np.random.default_rng(12)
    n = 4000
    region = rng.choice(["North", "South", "East", "West"], n, p=[0.4, 0.3, 0.2, 0.1])
    shift = pd.Series(region).map({"North": 2, "South": 0, "East": 1, "West": -1}).to_numpy()
    nps = np.clip(rng.integers(0, 11, n) + shift, 0, 10).astype(float)
    nps[rng.random(n) < 0.02] = np.nan
    channel = rng.choice(["app", "web", None], n, p=[0.5, 0.45, 0.05])
    days = rng.integers(0, 365, n)
    date = pd.to_datetime("2025-01-01") + pd.to_timedelta(days, unit="D")
    return pd.DataFrame(
        {
            "nps": nps,
            "csat": rng.integers(1, 6, n),
            "ces": rng.integers(1, 8, n),
            "region": region,
            "channel": channel,
            "date": date,
            "w": rng.uniform(0.5, 2.0, n),
        }
    )


def test_each_group_equals_filter_then_compute(survey):
    t = cxkit.nps_by(survey, "nps", "region", weights="w")
    assert list(t["region"]) == ["East", "North", "South", "West"]
    p = []
    for _, row in t.iterrows():
        own = survey[survey.region == row.region]
        rest = survey[survey.region != row.region]
        a = cxkit.nps(own.nps, weights=own.w)
        b = cxkit.nps(rest.nps, weights=rest.w)
        assert row.n == a.n and row.missing == a.missing
        assert row.estimate == pytest.approx(a.estimate, rel=1e-12)
        assert (row.lower, row.upper) == pytest.approx(tuple(a.interval), rel=1e-12)
        se = math.hypot(a.std_error, b.std_error)
        z = (a.estimate - b.estimate) / se
        assert row.diff_vs_rest == pytest.approx(a.estimate - b.estimate, rel=1e-12)
        assert row.se_vs_rest == pytest.approx(se, rel=1e-12)
        assert row.p_vs_rest == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-10, abs=1e-300)
        p.append(row.p_vs_rest)
    holm = sm_multi.multipletests(p, method="holm")[1]
    assert t.p_adj_vs_rest.to_numpy() == pytest.approx(holm, rel=1e-12)
    assert list(t.significant) == list(holm < 0.05)
    bh = cxkit.nps_by(survey, "nps", "region", weights="w", adjust="bh")
    assert bh.p_adj_vs_rest.to_numpy() == pytest.approx(
        sm_multi.multipletests(p, method="fdr_bh")[1], rel=1e-12
    )


def test_csat_and_ces_by(survey):
    c = cxkit.csat_by(survey, "csat", "region")
    own = survey[survey.region == "West"].csat
    assert c.set_index("region").loc["West", "estimate"] == pytest.approx(
        cxkit.csat(own).estimate, rel=1e-14
    )
    m = cxkit.ces_by(survey, "ces", "region")
    west = survey[survey.region == "West"].ces
    rest = survey[survey.region != "West"].ces
    # Welch's t-test (scipy) on the raw data: the same test as ours on unweighted data
    welch = stats.ttest_ind(west, rest, equal_var=False)
    row = m.set_index("region").loc["West"]
    assert row.diff_vs_rest == pytest.approx(west.mean() - rest.mean(), rel=1e-12)
    assert row.p_vs_rest == pytest.approx(welch.pvalue, rel=1e-9)
    assert cxkit.top_box_by(survey, "ces", "region", scale="ces").shape[0] == 4
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.mean_by(survey, "ces", "region")


def test_two_keys_missing_keys_and_reference(survey):
    t = cxkit.nps_by(survey, "nps", ["region", "channel"], reference=("North", "app"))
    assert "(missing)" in set(t.channel)
    sub = survey[(survey.region == "South") & survey.channel.isna()]
    row = t[(t.region == "South") & (t.channel == "(missing)")].iloc[0]
    assert row.n == cxkit.nps(sub.nps).n
    ref = t[(t.region == "North") & (t.channel == "app")].iloc[0]
    assert math.isnan(ref.diff_vs_reference)
    other = t[(t.region == "East") & (t.channel == "web")].iloc[0]
    assert other.diff_vs_reference == pytest.approx(other.estimate - ref.estimate, rel=1e-12)
    with pytest.raises(cxkit.UnknownGroupError) as info:
        cxkit.nps_by(survey, "nps", "region", reference="Mars")
    assert "Mars" in info.value.name


def test_small_groups_flagged_not_dropped(survey):
    small = survey.head(200)
    t = cxkit.nps_by(small, "nps", "region", min_base=40)
    assert set(t.region) == set(small.region)
    tiny = t[t.n < 40]
    assert tiny.too_small.all() and tiny.p_vs_rest.isna().all()
    tested = t[~t.too_small]
    assert tested.p_adj_vs_rest.to_numpy() == pytest.approx(
        sm_multi.multipletests(tested.p_vs_rest.to_numpy(), method="holm")[1]
    )


def test_polars_and_arrays_give_the_same_table(survey):
    pl = pytest.importorskip("polars")
    t = cxkit.nps_by(survey, "nps", ["region", "channel"])
    tp = cxkit.nps_by(pl.from_pandas(survey), "nps", ["region", "channel"])
    assert isinstance(tp, pl.DataFrame)
    assert tp["estimate"].to_list() == pytest.approx(t.estimate.tolist(), nan_ok=True)
    assert tp["channel"].to_list() == t.channel.tolist()
    ta = cxkit.nps_by(survey.nps.to_numpy(), by=survey.region.to_numpy())
    assert list(ta.columns[:2]) == ["group", "n"]
    assert ta.estimate.tolist() == pytest.approx(
        cxkit.nps_by(survey, "nps", "region").estimate.tolist()
    )
    tl = cxkit.nps_by(survey.nps.tolist(), by=[survey.region.tolist(), survey.channel.tolist()])
    assert list(tl.columns[:2]) == ["group_1", "group_2"]
    assert tl.n.tolist() == t.n.tolist()


def test_trend_by_month_with_window(survey):
    t = cxkit.nps_by(survey, "nps", period="date", freq="M", window=3)
    assert list(t.date) == [f"2025-{m:02d}" for m in range(1, 13)]
    months = survey.date.dt.to_period("M").astype(str)
    for i, row in t.iterrows():
        sub = survey[months == row.date]
        assert row.n == cxkit.nps(sub.nps).n
        assert row.estimate == pytest.approx(cxkit.nps(sub.nps).estimate, rel=1e-12)
        if i >= 2:
            window = survey[months.isin(t.date[i - 2 : i + 1])]
            assert row.rolling_estimate == pytest.approx(cxkit.nps(window.nps).estimate)
            assert row.rolling_n == cxkit.nps(window.nps).n
        else:
            assert math.isnan(row.rolling_estimate)
        if i >= 1:
            prev = cxkit.nps(survey[months == t.date[i - 1]].nps)
            assert row.change == pytest.approx(row.estimate - prev.estimate, rel=1e-12)
    assert t.date_start.iloc[0] == pd.Timestamp("2025-01-01")


def test_trend_by_group_and_date_forms(survey):
    t = cxkit.nps_by(survey, "nps", "region", period="date", freq="Q")
    assert len(t) == 4 * 4
    q = cxkit.nps_by(
        survey.nps.to_numpy(), period=survey.date.dt.strftime("%Y-%m-%d").tolist(), freq="quarter"
    )
    q2 = cxkit.nps_by(survey.nps.to_numpy(), period=survey.date.dt.date.tolist(), freq="Q")
    assert list(q.period) == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert q.estimate.tolist() == q2.estimate.tolist()
    pl = pytest.importorskip("polars")
    qp = cxkit.nps_by(pl.from_pandas(survey), "nps", period="date", freq="Q")
    assert qp["estimate"].to_list() == pytest.approx(q.estimate.tolist())


def test_iso_weeks_and_missing_dates():
    dates = [dt.date(2021, 1, 3), dt.date(2021, 1, 4), None]
    t = cxkit.nps_by([9, 10, 3], period=dates, freq="W", min_base=1)
    assert list(t.period) == ["2020-W53", "2021-W01"]  # ISO 8601: Sunday 3 Jan 2021 is in 2020-W53
    assert t.attrs["excluded_missing_dates"] == 1


def test_bad_input_errors(survey):
    with pytest.raises(cxkit.LengthMismatchError):
        cxkit.nps_by([9, 10], by=["a"])
    with pytest.raises(cxkit.InvalidArgumentError, match="freq"):
        cxkit.nps_by(survey, "nps", period="date", freq="fortnight")
    with pytest.raises(cxkit.InvalidArgumentError, match="alpha"):
        cxkit.nps_by(survey, "nps", "region", alpha=2)
    with pytest.raises(cxkit.InvalidArgumentError, match="adjust"):
        cxkit.nps_by(survey, "nps", "region", adjust="bonferroni")
    with pytest.raises(cxkit.InvalidArgumentError, match="window"):
        cxkit.nps_by(survey, "nps", period="date", window=0)
    with pytest.raises(cxkit.OutOfScaleError):
        cxkit.nps_by(survey, "ces", "region", scale="csat")  # 6 and 7 are off the 1-5 scale
    with pytest.raises(TypeError):
        cxkit.nps_by(survey, "nps", period="region")


def test_integer_keys_fast_path_matches_general_path():
    rng = np.random.default_rng(5)
    keys = rng.integers(-3, 7, 3000)
    scores = rng.integers(0, 11, 3000)
    fast = cxkit.nps_by(scores, by=keys.astype(np.int16))
    general = cxkit.nps_by(scores, by=keys.tolist())  # via pandas factorize
    assert fast.group.tolist() == general.group.tolist() == list(range(-3, 7))
    assert fast.estimate.tolist() == general.estimate.tolist()
    assert fast.p_adj_vs_rest.tolist() == general.p_adj_vs_rest.tolist()


@pytest.mark.parametrize(
    "gap", [5, 10**9]
)  # direct key range, and a range wide enough to factorize
def test_integer_keys_with_gaps_and_reference(gap):
    keys = np.array([0, gap, 0, gap, 0, gap] * 20, dtype=np.int64)
    scores = np.array([10, 3, 9, 6, 8, 0] * 20)
    t = cxkit.nps_by(scores, by=keys, reference=gap)
    assert t.group.tolist() == [0, gap]
    labels = [str(k) for k in keys]
    s = cxkit.nps_by(scores, by=labels, reference=str(gap))
    assert t.estimate.tolist() == s.estimate.tolist()
    assert t.diff_vs_reference.tolist()[0] == s.diff_vs_reference.tolist()[0]
    with pytest.raises(cxkit.UnknownGroupError):
        cxkit.nps_by(scores, by=keys, reference=1)
    pd_t = cxkit.nps_by(pd.DataFrame({"k": keys, "s": scores}), "s", "k")
    assert pd_t.k.tolist() == [0, gap]


def test_categorical_and_date_keys(survey):
    cat = survey.assign(region=survey.region.astype("category"))
    t = cxkit.nps_by(cat, "nps", "region")
    assert t.estimate.tolist() == cxkit.nps_by(survey, "nps", "region").estimate.tolist()
    day = survey.assign(day=survey.date.dt.normalize()).head(300)
    d = cxkit.nps_by(day, "nps", "day", min_base=1)
    assert d.n.sum() == cxkit.nps(day.nps).n
    pl = pytest.importorskip("polars")
    dp = cxkit.nps_by(pl.from_pandas(day), "nps", "day", min_base=1)
    assert dp["n"].to_list() == d.n.tolist()
