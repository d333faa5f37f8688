"""Loyalty lift, curve, revenue impact and key drivers against statsmodels / scipy, formulas
written out here, published examples (Newcombe 1998; Johnson 2000 on mtcars) and brute force."""

import itertools
import math
import pathlib

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import cxkit

sm_prop = pytest.importorskip("statsmodels.stats.proportion")
sm_table = pytest.importorskip("statsmodels.stats.contingency_tables")

ROOT = pathlib.Path(__file__).resolve().parents[2]


def two_groups(a, n1, c, n2):
    outcome = [1] * a + [0] * (n1 - a) + [1] * c + [0] * (n2 - c)
    exposure = [1] * n1 + [0] * n2
    return outcome, exposure


@pytest.mark.parametrize(
    "counts, published",
    [((56, 70, 48, 80), (0.0524, 0.3339)), ((9, 10, 3, 10), (0.1705, 0.8090))],
)
def test_newcombe_published(counts, published):
    # Newcombe (1998), Statistics in Medicine 17, table II, method 10.
    y, e = two_groups(*counts)
    r = cxkit.loyalty_lift(outcome=y, exposure=e)
    lo, hi = r.risk_difference.interval
    assert round(lo, 4) == published[0] and round(hi, 4) == published[1]
    assert r.risk_difference.interval.method == "newcombe-hybrid"


@pytest.mark.parametrize("counts", [(40, 50, 30, 60), (56, 70, 48, 80), (120, 400, 30, 200)])
def test_lift_matches_statsmodels(counts):
    a, n1, c, n2 = counts
    y, e = two_groups(*counts)
    r = cxkit.loyalty_lift(outcome=y, exposure=e)
    # rates: Wilson
    lo, hi = sm_prop.proportion_confint(a, n1, method="wilson")
    assert r.exposed.interval.lower == pytest.approx(lo, abs=1e-12)
    assert r.exposed.interval.upper == pytest.approx(hi, abs=1e-12)
    t = sm_table.Table2x2(np.array([[a, n1 - a], [c, n2 - c]]))
    assert r.risk_ratio.estimate == pytest.approx(t.riskratio, rel=1e-12)
    assert list(r.risk_ratio.interval) == pytest.approx(list(t.riskratio_confint()), rel=1e-10)
    assert r.risk_ratio.p_value == pytest.approx(t.riskratio_pvalue(), rel=1e-8)
    assert r.odds_ratio.estimate == pytest.approx(t.oddsratio, rel=1e-12)
    assert list(r.odds_ratio.interval) == pytest.approx(list(t.oddsratio_confint()), rel=1e-10)
    assert r.odds_ratio.p_value == pytest.approx(t.oddsratio_pvalue(), rel=1e-8)
    # difference: Newcombe interval, pooled z-test
    lo, hi = sm_prop.confint_proportions_2indep(a, n1, c, n2, method="newcomb")
    assert list(r.risk_difference.interval) == pytest.approx([lo, hi], abs=1e-10)
    z, p = sm_prop.proportions_ztest([a, c], [n1, n2])
    assert r.risk_difference.statistic == pytest.approx(z, rel=1e-10)
    assert r.risk_difference.p_value == pytest.approx(p, rel=1e-8)


def test_formulas_written_out():
    a, n1, c, n2 = 30, 45, 20, 55
    y, e = two_groups(a, n1, c, n2)
    r = cxkit.loyalty_lift(outcome=y, exposure=e, level=0.9)
    z = stats.norm.ppf(0.95)
    rr = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    assert r.risk_ratio.interval.lower == pytest.approx(rr * math.exp(-z * se), rel=1e-12)
    b, d = n1 - a, n2 - c
    se_or = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    assert r.odds_ratio.std_error == pytest.approx(se_or, rel=1e-12)


def test_weighted_uses_kish_n_and_unit_weights_are_identical():
    rng = np.random.default_rng(3)
    y = (rng.random(300) < 0.4).astype(float)
    e = (rng.random(300) < 0.5).astype(float)
    w = rng.uniform(0.5, 2.0, 300)
    r = cxkit.loyalty_lift(outcome=y, exposure=e, weights=w)
    m = e == 1
    p1 = np.sum(w[m] * y[m]) / np.sum(w[m])
    n1 = np.sum(w[m]) ** 2 / np.sum(w[m] ** 2)
    assert r.exposed.estimate == pytest.approx(p1, rel=1e-12)
    assert r.exposed.effective_n == pytest.approx(n1, rel=1e-12)
    one = cxkit.loyalty_lift(outcome=y, exposure=e, weights=np.ones(300))
    assert one == cxkit.loyalty_lift(outcome=y, exposure=e)


@pytest.fixture(scope="module")
def survey():
    return pd.read_csv(ROOT / "examples" / "data" / "survey.csv")


def test_survey_nps_categories(survey):
    df = survey
    r = cxkit.loyalty_lift(df, outcome="retained")
    prom = df[df.nps >= 9].retained.mean()
    det = df[df.nps <= 6].retained.mean()
    assert r.exposed.estimate == pytest.approx(prom, rel=1e-12)
    assert r.reference.estimate == pytest.approx(det, rel=1e-12)
    assert r.neither == int(((df.nps >= 7) & (df.nps <= 8)).sum())
    assert r.unknown == int(df.nps.isna().sum())
    table = cxkit.loyalty_lift(df, outcome=["retained", "bought_more", "recommended"])
    assert list(table["outcome"]) == ["retained", "bought_more", "recommended"]
    assert table["risk_ratio"][0] == pytest.approx(r.risk_ratio.estimate)
    # polars in, polars out, same numbers
    pt = cxkit.loyalty_lift(pl.from_pandas(df), outcome=["retained", "recommended"])
    assert isinstance(pt, pl.DataFrame)
    assert pt["risk_ratio"][0] == pytest.approx(r.risk_ratio.estimate, rel=1e-15)


def test_exposure_forms(survey):
    df = survey.copy()
    # top box on any item vs the rest
    r = cxkit.loyalty_lift(df, outcome="retained", exposure="top_box", score="csat", scale="csat")
    rated = df.csat.notna()
    top = df.csat >= 4
    assert r.exposed.estimate == pytest.approx(df[top].retained.mean())
    assert r.reference.estimate == pytest.approx(df[rated & ~top].retained.mean())
    # boolean mask column and array
    df["happy"] = df.ces >= 6
    m = cxkit.loyalty_lift(df, outcome="retained", exposure="happy")
    assert m.exposed.estimate == pytest.approx(df[df.happy].retained.mean())
    # band labels (the seam for a CX-index band)
    df["band"] = np.where(df.nps >= 9, "high", np.where(df.nps <= 6, "low", "mid"))
    df.loc[df.nps.isna(), "band"] = None
    b = cxkit.loyalty_lift(df, outcome="retained", band="band", exposure="high", reference="low")
    assert b == cxkit.loyalty_lift(df, outcome="retained")
    # point ranges
    p = cxkit.loyalty_lift(df, outcome="retained", exposure=(9, 10), reference=(0, 6))
    assert p == b


def test_zero_cells_flagged():
    y, e = two_groups(10, 10, 0, 10)
    r = cxkit.loyalty_lift(outcome=y, exposure=e)
    assert r.zero_cell_correction and math.isfinite(r.risk_ratio.estimate)
    d = r.to_dict()
    assert d["zero_cell_correction"] is True
    assert "<table" in r._repr_html_()
    assert cxkit.Lift.from_json(r.to_json()) == r


def test_mean_lift_matches_scipy_welch():
    rng = np.random.default_rng(1)
    a = rng.lognormal(5, 0.4, 60)
    b = rng.lognormal(4.8, 0.6, 45)
    r = cxkit.mean_lift(outcome=np.r_[a, b, np.nan], exposure=np.r_[np.ones(60), np.zeros(46)])
    t = stats.ttest_ind(a, b, equal_var=False)
    assert r.difference.statistic == pytest.approx(t.statistic, rel=1e-10)
    assert r.difference.p_value == pytest.approx(t.pvalue, rel=1e-8)
    ci = t.confidence_interval(0.95)
    assert list(r.difference.interval) == pytest.approx([ci.low, ci.high], rel=1e-9)
    assert r.difference.df == pytest.approx(t.df, rel=1e-10)
    assert r.reference.missing == 1
    assert r.ratio.estimate == pytest.approx(a.mean() / b.mean(), rel=1e-12)


def test_curve_matches_per_point_wilson(survey):
    c = cxkit.loyalty_curve(survey, score="nps", outcome="recommended")
    assert list(c["point"]) == list(range(11))
    for row in c.itertuples():
        sub = survey[survey.nps == row.point].recommended
        assert row.n == len(sub) and row.count == int(sub.sum())
        lo, hi = sm_prop.proportion_confint(int(sub.sum()), len(sub), method="wilson")
        assert row.lower == pytest.approx(lo, abs=1e-12) and row.upper == pytest.approx(
            hi, abs=1e-12
        )
    assert c.attrs["missing_rating"] == int(survey.nps.isna().sum())
    empty = cxkit.loyalty_curve(score=[10, 10, 0], outcome=[1, 0, 1])
    assert math.isnan(empty["rate"][5])


def mtcars():
    return pd.read_csv(ROOT / "testdata" / "mtcars.csv")


def test_johnson_relative_weights_mtcars():
    # Johnson (2000), Multivariate Behavioral Research 35, table 2.
    t = cxkit.key_drivers(mtcars(), drivers=["cyl", "disp", "hp", "wt"], outcome="mpg", resamples=0)
    assert list(t["relative_weight"].round(4)) == [0.2097, 0.1883, 0.1800, 0.2707]
    assert list((100 * t["relative_weight_share"]).round(2)) == [24.71, 22.19, 21.21, 31.90]


def test_lmg_equals_brute_force_least_squares():
    df = mtcars()
    names = ["cyl", "disp", "hp", "wt", "qsec"]
    x = df[names].to_numpy()
    y = df["mpg"].to_numpy()

    def r2(cols):
        if not cols:
            return 0.0
        a = np.column_stack([np.ones(len(y)), x[:, list(cols)]])
        beta, *_ = np.linalg.lstsq(a, y, rcond=None)
        resid = y - a @ beta
        return 1 - resid @ resid / np.sum((y - y.mean()) ** 2)

    p = len(names)
    lmg = np.zeros(p)
    for perm in itertools.permutations(range(p)):
        seen: list[int] = []
        for j in perm:
            lmg[j] += r2([*seen, j]) - r2(seen)
            seen.append(j)
    lmg /= math.factorial(p)
    t = cxkit.key_drivers(df, drivers=names, outcome="mpg", resamples=0)
    assert list(t["lmg"]) == pytest.approx(list(lmg), abs=1e-10)
    assert t.attrs["r_squared"] == pytest.approx(r2(list(range(p))), abs=1e-10)
    beta = np.linalg.lstsq((x - x.mean(0)) / x.std(0), (y - y.mean()) / y.std(), rcond=None)[0]
    assert list(t["beta"]) == pytest.approx(list(beta), abs=1e-10)


def test_key_drivers_bootstrap_seeded(survey):
    kw = dict(drivers=["effectiveness", "ease", "emotion"], outcome="retained", resamples=100)
    a = cxkit.key_drivers(survey, seed=3, **kw)
    b = cxkit.key_drivers(survey, seed=3, **kw)
    pd.testing.assert_frame_equal(a, b)
    assert (a["lmg_lower"] < a["lmg"]).all() and (a["lmg"] < a["lmg_upper"]).all()
    complete = survey[["effectiveness", "ease", "emotion", "retained"]].dropna()
    assert a.attrs["n"] == len(complete) and a.attrs["missing"] == len(survey) - len(complete)
    assert list(a["rank"]) == [1, 2, 3]


def test_revenue_impact(survey):
    r = cxkit.revenue_impact(
        survey,
        outcome="retained",
        customers={"promoters": 40000, "passives": 30000, "detractors": 30000},
        revenue_per_customer=150.0,
        share=0.1,
        to="passives",
    )
    det = survey[survey.nps <= 6].retained.mean()
    pas = survey[(survey.nps >= 7) & (survey.nps <= 8)].retained.mean()
    assert r.retained_change.estimate == pytest.approx(3000 * (pas - det), rel=1e-12)
    assert r.revenue_change.estimate == pytest.approx(150 * 3000 * (pas - det), rel=1e-12)
    lo, hi = r.retained_change.interval
    assert lo < r.retained_change.estimate < hi
    total = cxkit.revenue_impact(survey, customers=1000, revenue_per_customer=1.0)
    assert total.moved_customers == pytest.approx(
        0.1 * 1000 * (survey.nps <= 6).sum() / survey.nps.notna().sum()
    )


def joint(codes, y, weights=None):
    """The joint tally of exposure codes (0 exposed, 1 reference, 2 neither, 3 unknown) and y,
    through the public joint_tally: the codes as 0/1 masks (NaN: unknown)."""
    codes = np.asarray(codes)
    exposed = np.where(codes == 3, np.nan, (codes == 0).astype(float))
    reference = (codes == 1).astype(float)
    return cxkit.joint_tally(outcome=y, exposure=exposed, reference=reference, weights=weights)


def test_joint_tally_merges():
    codes = np.array([0, 1, 0, 1, 3])
    y = np.array([1.0, 1, 0, 0, 1])
    whole = joint(codes, y)
    a = joint(codes[:2], y[:2])
    b = joint(codes[2:], y[2:])
    assert a.merged(b) == whole
    assert cxkit.JointTally.from_json(whole.to_json()) == whole
    import pickle

    assert pickle.loads(pickle.dumps(whole)) == whole


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1)), min_size=0, max_size=60),
    st.integers(0, 60),
)
def test_joint_merge_property(rows, cut):
    codes = np.array([r[0] for r in rows], dtype=np.uint8)
    y = np.array([r[1] for r in rows], dtype=np.float64)
    cut = min(cut, len(rows))
    whole = joint(codes, y)
    parts = joint(codes[:cut], y[:cut]).merged(joint(codes[cut:], y[cut:]))
    assert parts == whole
    assert joint(codes, y, np.ones(len(rows))) == whole


def test_errors():
    with pytest.raises(cxkit.OutOfScaleError) as e:
        cxkit.loyalty_lift(outcome=[1, 2, 0], exposure=[1, 0, 0])
    assert (e.value.index, e.value.value) == (1, 2.0)
    with pytest.raises(cxkit.EmptyInputError):
        cxkit.loyalty_lift(outcome=[1, 0], exposure=[1, 1])
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.loyalty_lift(outcome=[1, 0], exposure=[1, 0], reference=[1, 1])
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.loyalty_lift(outcome=[1, 0], score=[9, 3], exposure="top_box", reference=(8, 10))
    with pytest.raises(cxkit.LengthMismatchError):
        cxkit.loyalty_lift(outcome=[1, 0, 1], exposure=[1, 0])
    df = mtcars()
    df["twice"] = 2 * df["disp"]
    with pytest.raises(cxkit.InvalidArgumentError, match="collinear"):
        cxkit.key_drivers(df, drivers=["disp", "twice"], outcome="mpg", resamples=0)
    df["const"] = 1.0
    with pytest.raises(cxkit.ZeroVarianceError):
        cxkit.key_drivers(df, drivers=["disp", "const"], outcome="mpg", resamples=0)
    many = {f"x{i}": np.random.default_rng(i).random(40) for i in range(16)}
    with pytest.raises(cxkit.InvalidArgumentError, match="at most 15"):
        cxkit.key_drivers(drivers=many, outcome=np.random.default_rng(0).random(40))
    with pytest.raises(cxkit.InsufficientDataError):
        cxkit.mean_lift(outcome=[1.0, 2, 3], exposure=[1, 0, 0])
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.revenue_impact(
            outcome=[1, 0], exposure=[1, 0], customers=10, revenue_per_customer=1, share=2
        )
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.revenue_impact(
            outcome=[1, 0], exposure=[1, 0], customers={"fans": 1}, revenue_per_customer=1
        )
