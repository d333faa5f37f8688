"""customer_view against a brute-force pandas merge; personas against planted clusters,
scikit-learn (KMeans inertia, silhouette_score) and profiles recomputed by filtering."""

import pickle

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxkit

CUTOFF = pd.Timestamp("2026-06-30")


def _tables(seed=0, n_ids=40):
    rng = np.random.default_rng(seed)
    ids = [f"c{i:03d}" for i in range(n_ids)]
    ns, nt = 150, 400
    survey = pd.DataFrame(
        {
            "customer_id": rng.choice(ids, ns),
            "date": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 200, ns), "D"),
            "nps": rng.integers(0, 11, ns).astype(float),
            "ease": rng.integers(1, 8, ns).astype(float),
        }
    )
    survey.loc[rng.random(ns) < 0.1, "nps"] = np.nan
    log = pd.DataFrame(
        {
            "customer_id": rng.choice([*ids[5:], "x999"], nt),
            "date": pd.Timestamp("2025-06-01") + pd.to_timedelta(rng.integers(0, 420, nt), "D"),
            "revenue": rng.integers(-5, 60, nt).astype(float),
        }
    )
    return survey, log


def _brute(survey, log, cutoff, active_days):
    """The view by pandas groupby and an outer merge."""
    s = survey[survey["date"] <= cutoff].sort_values("date", kind="stable")
    t = log[log["date"] <= cutoff]
    g = s.groupby("customer_id")
    sv = pd.DataFrame(
        {
            "responses": g.size(),
            "last_response": g["date"].max(),
            "ease_mean": g["ease"].mean(),
            "nps_mean": g["nps"].mean(),
            "nps_latest": s.dropna(subset=["nps"]).groupby("customer_id")["nps"].last(),
        }
    )
    buys = t[t["revenue"] >= 0]
    gt = buys.groupby("customer_id")["date"]
    tx = pd.DataFrame(
        {
            "revenue": t.groupby("customer_id")["revenue"].sum(),
            "frequency": gt.nunique(),
            "first_purchase": gt.min(),
            "last_purchase": gt.max(),
        }
    )
    out = sv.join(tx, how="outer").sort_index()
    out["recency_days"] = (cutoff - out["last_purchase"]).dt.days
    out["tenure_days"] = (cutoff - out["first_purchase"]).dt.days
    out["monetary"] = out["revenue"] / out["frequency"]
    return out


def test_customer_view_matches_a_pandas_merge():
    survey, log = _tables()
    v = cxkit.customer_view(survey, log, cutoff=CUTOFF, active_days=90)
    assert isinstance(v, pd.DataFrame)
    want = _brute(survey, log, CUTOFF, 90)
    assert v["customer"].tolist() == want.index.tolist()
    v = v.set_index("customer")
    np.testing.assert_array_equal(v["responses"], want["responses"].fillna(0))
    for col in ("ease_mean", "nps_mean", "nps_latest", "recency_days", "tenure_days", "monetary"):
        np.testing.assert_allclose(v[col], want[col].astype(float), rtol=1e-12, err_msg=col)
    np.testing.assert_allclose(v["revenue"], want["revenue"].fillna(0.0), rtol=1e-12)
    np.testing.assert_array_equal(v["frequency"], want["frequency"].fillna(0))
    assert (v["in_survey"] == want["responses"].notna()).all()
    assert (v["in_transactions"] == want["revenue"].notna()).all()
    assert v.loc["x999", "in_survey"] == False  # noqa: E712 (only in the log)
    assert v.loc["c000", "in_transactions"] == False  # noqa: E712 (only in the survey)
    active = want["recency_days"].map(lambda d: None if pd.isna(d) else bool(d < 90))
    assert v["active"].tolist() == active.tolist()
    assert (v["last_purchase"].dropna() == want["last_purchase"].dropna()).all()
    cats = want["nps_latest"].map(
        lambda x: (
            None if pd.isna(x) else "promoter" if x >= 9 else "passive" if x >= 7 else "detractor"
        )
    )
    assert v["nps_category"].tolist() == cats.tolist()


def test_customer_view_polars_and_integer_ids():
    survey = pl.DataFrame({"id": [3, 1, 3], "nps": [9, 2, 10]})
    log = pl.DataFrame(
        {
            "id": [1, 2],
            "date": [pd.Timestamp("2026-01-01").date(), pd.Timestamp("2026-02-01").date()],
            "revenue": [5.0, 9.0],
        }
    )
    v = cxkit.customer_view(survey, log, customer="id")
    assert isinstance(v, pl.DataFrame)
    assert v["customer"].to_list() == [1, 2, 3]
    assert v["nps_latest"].to_list()[2] == 10.0  # undated survey: the last row is the latest
    assert v["responses"].to_list() == [1, 0, 2]
    assert v["recency_days"].to_list()[:2] == [31.0, 0.0]


def test_customer_view_with_clv_models():
    survey, log = _tables(1)
    log = log[log["revenue"] > 0]
    r = cxkit.rfm(log, observation_end=CUTOFF)
    bg = cxkit.fit_bgnbd(r)
    gg = cxkit.fit_gamma_gamma(r)
    v = cxkit.customer_view(survey, log, cutoff=CUTOFF, bgnbd=bg, gamma_gamma=gg)
    buyers = v.set_index("customer").loc[r.customers]
    want = bg.expected_purchases(365, r.frequency, r.recency, r.T)
    np.testing.assert_allclose(buyers["expected_purchases"], want, rtol=1e-10)
    spend = gg.expected_spend(r.frequency, r.monetary_value)
    np.testing.assert_allclose(buyers["clv"], bg.clv(r.frequency, r.recency, r.T, spend), rtol=1e-9)
    assert v.set_index("customer").loc["c000", "clv"] != v.set_index("customer").loc["c000", "clv"]


def test_customer_view_unit_days_is_the_cores_name_and_unit_a_deprecated_alias():
    survey, log = _tables(1)
    log = log[log["revenue"] > 0]
    r = cxkit.rfm(log, observation_end=CUTOFF)
    bg, gg = cxkit.fit_bgnbd(r), cxkit.fit_gamma_gamma(r)
    kw = {"cutoff": CUTOFF, "bgnbd": bg, "gamma_gamma": gg}
    want = cxkit.customer_view(survey, log, unit_days=7.0, **kw)
    with pytest.warns(DeprecationWarning, match="unit_days"):
        got = cxkit.customer_view(survey, log, unit=7.0, **kw)
    pd.testing.assert_frame_equal(got, want)
    assert not want["clv"].equals(cxkit.customer_view(survey, log, **kw)["clv"])


def _planted(n_per=50, seed=3):
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0], [6, 6, 0], [0, 6, 6], [6, 0, 6]], dtype=float)
    x = np.vstack([c + rng.normal(0, 0.4, (n_per, 3)) for c in centres])
    truth = np.repeat(np.arange(4), n_per)
    return pd.DataFrame(x, columns=["ease", "revenue", "frequency"]), truth


def _adjusted_rand(a, b):
    from sklearn.metrics import adjusted_rand_score

    return adjusted_rand_score(a, b)


def test_planted_clusters_are_recovered_and_k_chosen():
    df, truth = _planted()
    p = cxkit.personas(df, features=["ease", "revenue", "frequency"], k=range(2, 7), seed=1)
    assert p.k == 4
    assert _adjusted_rand(p.assignments, truth) == 1.0
    assert set(p.silhouette) == {2, 3, 4, 5, 6}
    assert max(p.silhouette, key=lambda k: p.silhouette[k]) == 4


def test_against_scikit_learn_inertia_and_silhouette():
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(11)
    df = pd.DataFrame(rng.normal(size=(600, 3)), columns=["a", "b", "c"])
    z = StandardScaler().fit_transform(df.to_numpy())  # population SD, as cxkit
    for k in (2, 3, 5):
        p = cxkit.personas(df, features=["a", "b", "c"], k=k, seed=0)
        ours = next(s["cost"] for s in p.result.scores if s["k"] == k)
        sk = KMeans(n_clusters=k, n_init=10, random_state=0).fit(z)
        # Both are local optima from k-means++ restarts: equal within 1%.
        assert ours == pytest.approx(sk.inertia_, rel=0.01)
        # Our inertia recomputed from our labels and the z-scores.
        labels = p.assignments
        inertia = sum(((z[labels == c] - z[labels == c].mean(0)) ** 2).sum() for c in range(k))
        assert ours == pytest.approx(inertia, rel=1e-9)
        # Silhouette on every customer (600 < 5000) equals scikit-learn's.
        assert p.silhouette[k] == pytest.approx(silhouette_score(z, labels), abs=1e-10)


def test_silhouette_on_a_seeded_sample_above_the_threshold():
    df, _ = _planted(n_per=30)
    p = cxkit.personas(df, ["ease", "revenue", "frequency"], k=4, silhouette_sample=50)
    assert p.result.sample_size == 50
    q = cxkit.personas(df, ["ease", "revenue", "frequency"], k=4, silhouette_sample=50)
    assert p.silhouette == q.silhouette


def test_same_seed_same_personas_and_predict_from_a_pickled_model():
    df, _ = _planted(n_per=20)
    a = cxkit.personas(df, ["ease", "revenue", "frequency"], seed=7)
    b = cxkit.personas(pl.from_pandas(df), ["ease", "revenue", "frequency"], seed=7)
    assert a.result == b.result
    assert isinstance(b.table, pl.DataFrame)
    model = pickle.loads(pickle.dumps(a.model))
    assert model == a.model
    again = cxkit.assign_personas(model, df)
    assert again.tolist() == a.assignments.tolist()
    text = a.model.to_json()
    assert cxkit.PersonaModel.from_json(text) == a.model


def test_k_prototypes_with_a_categorical_feature():
    rng = np.random.default_rng(2)
    n = 120
    channel = np.where(np.arange(n) % 2 == 0, "app", "store")
    df = pd.DataFrame(
        {"x": rng.normal(size=n), "channel": channel, "revenue": rng.uniform(10, 20, n)}
    )
    p = cxkit.personas(df, ["x"], categorical=["channel"], k=2, gamma=10.0)
    assert p.result.method == "k-prototypes"
    assert _adjusted_rand(p.assignments, channel) == 1.0
    assert sorted(p.table["channel_mode"]) == ["app", "store"]
    new = pd.DataFrame({"x": [0.0, 0.0, 0.1], "channel": ["store", "app", None]})
    got = cxkit.assign_personas(p, new).tolist()
    app = p.assignments[0]
    assert got == [1 - app, app, -1]


def test_profiles_recomputed_by_filtering():
    df, _ = _planted(n_per=30, seed=5)
    rng = np.random.default_rng(5)
    df["nps"] = rng.integers(0, 11, len(df)).astype(float)
    df["spend"] = rng.uniform(0, 100, len(df))
    p = cxkit.personas(
        df, ["ease", "revenue", "frequency"], k=4, nps="nps", revenue="spend", clv="spend"
    )
    t = p.table
    for row in t.itertuples():
        members = df[p.assignments == row.persona]
        assert row.size == len(members)
        assert row.share == pytest.approx(len(members) / len(df))
        assert row.ease_mean == pytest.approx(members["ease"].mean())
        assert row.revenue_share == pytest.approx(members["spend"].sum() / df["spend"].sum())
        assert row.mean_clv == pytest.approx(members["spend"].mean())
        want = 100 * ((members["nps"] >= 9).mean() - (members["nps"] <= 6).mean())
        assert row.nps == pytest.approx(want)
        assert row.nps_lower < row.nps < row.nps_upper
        z = (members["ease"].mean() - df["ease"].mean()) / df["ease"].std(ddof=0)
        assert row.ease_z == pytest.approx(z)
    assert "needs" in t.columns and all(isinstance(x, str) and x for x in t["needs"])


def test_loyalty_rate_per_persona_with_wilson_interval():
    from statsmodels.stats.proportion import proportion_confint

    df, _ = _planted(n_per=30, seed=7)
    rng = np.random.default_rng(7)
    df["kept"] = (rng.random(len(df)) < 0.6).astype(float)
    df.loc[::9, "kept"] = np.nan  # missing outcomes are left out of the rate
    p = cxkit.personas(df, ["ease", "revenue", "frequency"], k=4, loyalty="kept")
    t = p.table
    for row in t.itertuples():
        kept = df["kept"][p.assignments == row.persona].dropna()
        lo, hi = proportion_confint(kept.sum(), len(kept), alpha=0.05, method="wilson")
        assert row.loyalty == pytest.approx(kept.mean())
        assert (row.loyalty_lower, row.loyalty_upper) == pytest.approx((lo, hi), abs=1e-9)
        assert p.personas[row.persona]["loyalty"]["n"] == len(kept)
    assert "loyalty" not in cxkit.personas(df, ["ease", "revenue"], k=2).table.columns
    df.loc[3, "kept"] = 2.0
    with pytest.raises(cxkit.OutOfScaleError) as e:
        cxkit.personas(df, ["ease", "revenue"], k=2, loyalty="kept")
    assert e.value.index == 3


def _lmg_shares(x, y):
    """LMG (Lindeman, Merenda and Gold 1980) by brute force: each driver's R² increment
    averaged over every order of entry, R² from numpy least squares; shares of the full R²."""
    import itertools

    def r2(cols):
        if not cols:
            return 0.0
        a = np.column_stack([np.ones(len(y)), x[:, cols]])
        fit = np.linalg.lstsq(a, y, rcond=None)[0]
        res = y - a @ fit
        return 1 - (res @ res) / ((y - y.mean()) @ (y - y.mean()))

    p = x.shape[1]
    total = np.zeros(p)
    orders = list(itertools.permutations(range(p)))
    for order in orders:
        for i, j in enumerate(order):
            total[j] += r2(list(order[: i + 1])) - r2(list(order[:i]))
    lmg = total / len(orders)
    return lmg / r2(list(range(p))), r2(list(range(p)))


def _driven_frame(n_per=120, seed=11):
    """Four planted personas; loyalty driven by ease in persona 0, by emotion in persona 1;
    latest CX answers on 1-5."""
    df, truth = _planted(n_per=n_per, seed=seed)
    rng = np.random.default_rng(seed)
    n = len(df)
    df["ease_mean"] = rng.integers(1, 6, n) + rng.normal(0, 0.3, n)
    df["emotion_mean"] = rng.integers(1, 6, n) + rng.normal(0, 0.3, n)
    df["effectiveness_mean"] = rng.integers(1, 6, n) + rng.normal(0, 0.3, n)
    drive = np.where(
        truth == 0, df["ease_mean"] / 5, np.where(truth == 1, df["emotion_mean"] / 5, 0.5)
    )
    df["kept"] = (rng.random(n) < drive).astype(float)
    df.loc[::23, "ease_mean"] = np.nan
    for d in ("ease", "emotion", "effectiveness"):
        latest = np.clip(np.round(df[f"{d}_mean"]), 1, 5)
        latest[rng.random(n) < 0.1] = np.nan
        df[f"{d}_latest"] = latest
    return df, truth


def test_key_drivers_and_cx_index_per_persona():
    import statsmodels.api as sm

    df, truth = _driven_frame()
    drivers = ["ease_mean", "emotion_mean", "effectiveness_mean"]
    cx = ["effectiveness_latest", "ease_latest", "emotion_latest"]
    p = cxkit.personas(
        df, ["ease", "revenue", "frequency"], k=4, loyalty="kept", drivers=drivers, cx_dims=cx
    )
    assert _adjusted_rand(p.assignments, truth) == 1.0
    t, d = p.table, p.drivers
    assert set(d["driver"]) == {"ease", "emotion", "effectiveness"}
    tops = {}
    for row in t.itertuples():
        members = df[p.assignments == row.persona]
        # drivers: LMG shares by brute force, betas from statsmodels OLS on z-scores
        done = members.dropna(subset=[*drivers, "kept"])
        x = done[drivers].to_numpy()
        y = done["kept"].to_numpy()
        shares, r2 = _lmg_shares(x, y)
        mine = d[d["persona"] == row.persona].set_index("driver")
        assert mine["n"].iloc[0] == len(done)
        assert mine["r_squared"].iloc[0] == pytest.approx(r2, abs=1e-10)
        z = (x - x.mean(0)) / x.std(0, ddof=1)
        betas = sm.OLS((y - y.mean()) / y.std(ddof=1), z).fit().params
        for j, name in enumerate(["ease", "emotion", "effectiveness"]):
            assert mine.loc[name, "share"] == pytest.approx(shares[j], abs=1e-10)
            assert mine.loc[name, "beta"] == pytest.approx(betas[j], abs=1e-10)
            standing = (members[drivers[j]].mean() - df[drivers[j]].mean()) / df[drivers[j]].std(
                ddof=0
            )
            assert mine.loc[name, "z"] == pytest.approx(standing, abs=1e-10)
        tops[int(truth[p.assignments == row.persona][0])] = mine.index[0]
        # CX index (net): top-2-box minus bottom-2-box share per dimension, then the mean
        nets = []
        for col in cx:
            a = members[col].dropna()
            nets.append(100 * ((a >= 4).mean() - (a <= 2).mean()))
        assert row.cx_index == pytest.approx(np.mean(nets), abs=1e-9)
        assert row.cx_effectiveness == pytest.approx(nets[0], abs=1e-9)
        alone = cxkit.cx_index(
            members[cx].rename(columns=lambda c: c.removesuffix("_latest")),
            dims=["effectiveness", "ease", "emotion"],
        )
        assert (row.cx_lower, row.cx_upper) == pytest.approx(
            (alone.interval.lower, alone.interval.upper), abs=1e-9
        )
        assert row.cx_band == alone.band
        # needs lead with the persona's top driver when the drivers explain something
        if row.drivers_r_squared >= 0.02 and mine["correlation"].iloc[0] > 0:
            assert any(n.startswith(f"improve {mine.index[0]} ") for n in row.needs.split("; "))
    # the planted drivers come out on top where they were planted
    assert tops[0] == "ease" and tops[1] == "emotion"
    assert "CX index" in p._repr_html_()
    # names from a dict, and nps as the outcome without loyalty
    q = cxkit.personas(
        df.assign(nps=np.round(df["kept"] * 10)),
        ["ease", "revenue", "frequency"],
        k=4,
        nps="nps",
        drivers={"Ease": "ease_mean", "Emotion": "emotion_mean"},
    )
    assert set(q.drivers["outcome"]) == {"nps"} and set(q.drivers["driver"]) == {"Ease", "Emotion"}
    assert "cx_index" not in q.table.columns
    assert len(cxkit.personas(df, ["ease", "revenue"], k=2).drivers) == 0


def test_persona_drivers_errors_and_skips():
    df, _ = _driven_frame(n_per=20)
    with pytest.raises(cxkit.InvalidArgumentError) as e:
        cxkit.personas(df, ["ease", "revenue"], k=2, drivers=["ease_mean"])
    assert e.value.name == "drivers" and "outcome" in str(e.value)
    with pytest.raises(cxkit.NonIntegerError) as e:
        cxkit.personas(df, ["ease", "revenue"], k=2, cx_dims=["ease_mean"])
    v = df["ease_mean"]
    assert e.value.index == int(np.flatnonzero(v.notna() & (v != v.round()))[0])
    df["flat"] = 3.0
    p = cxkit.personas(df, ["ease", "revenue"], k=2, loyalty="kept", drivers=["flat"])
    assert all("flat is constant" in s for s in p.drivers["skipped"])
    bad = df.assign(ease_mean=np.where(np.arange(len(df)) == 5, np.inf, df["ease_mean"]))
    with pytest.raises(cxkit.InvalidArgumentError) as e:
        cxkit.personas(bad, ["ease", "revenue"], k=2, loyalty="kept", drivers=["ease_mean"])
    assert '"ease" at index 5' in str(e.value)


def test_relabel_repr_html_and_plot():
    import matplotlib

    matplotlib.use("Agg")
    df, _ = _planted(n_per=10)
    p = cxkit.personas(df, ["ease", "revenue", "frequency"], k=4)
    q = p.relabel(["A", "B", "C", "D"])
    assert q.labels == ["A", "B", "C", "D"] and q.assignments.tolist() == p.assignments.tolist()
    assert "Personas" in p._repr_html_() and "silhouette" in p._repr_html_()
    ax = p.plot()
    assert len(ax.patches) == 4


def test_errors_name_the_column():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "flat": [5.0, 5.0, 5.0], "gone": [np.nan] * 3})
    with pytest.raises(cxkit.ZeroVarianceError) as e:
        cxkit.personas(df, ["a", "flat"])
    assert "flat" in str(e.value)
    with pytest.raises(cxkit.InsufficientDataError) as e:
        cxkit.personas(df, ["a"], k=5)
    assert (e.value.needed, e.value.got) == (5, 3)
    with pytest.raises(cxkit.EmptyInputError):
        cxkit.personas(df, ["gone"])
    with pytest.raises(cxkit.InvalidArgumentError) as e:
        cxkit.personas(df, ["nope"])
    assert "nope" in str(e.value)
    with pytest.raises(cxkit.InvalidArgumentError):
        cxkit.personas(df, ["a"], k=range(4, 2))
    with pytest.raises(cxkit.InvalidArgumentError) as e:
        cxkit.personas(df, ["a"], tol=-1.0)
    assert e.value.name == "tol"
    survey = pd.DataFrame({"customer_id": ["a", "b"], "nps": [3, 11]})
    log = pd.DataFrame({"customer_id": ["a"], "date": ["2026-01-01"], "revenue": [1.0]})
    with pytest.raises(cxkit.OutOfScaleError) as e:
        cxkit.customer_view(survey, log)
    assert e.value.index == 1
    survey = pd.DataFrame({"customer_id": ["a", "b"], "ease": [3, np.inf]})
    with pytest.raises(cxkit.InvalidArgumentError) as e:
        cxkit.customer_view(survey, log)
    assert '"ease" at index 1' in str(e.value)
    with pytest.raises(cxkit.InvalidArgumentError) as e:
        cxkit.customer_view(survey[["customer_id"]], log, nps="x")
    assert e.value.name == "nps"


def test_cross_language_fixture():
    import json
    from pathlib import Path

    fx = json.loads((Path(__file__).parents[2] / "testdata" / "personas.json").read_text())
    p = cxkit.personas(
        pd.DataFrame(fx["columns"]), fx["features"], k=(fx["k_min"], fx["k_max"]), seed=fx["seed"]
    )
    assert p.k == fx["expected"]["k"]
    assert p.assignments.tolist() == fx["expected"]["assignments"]
    got = [s["silhouette"] for s in p.result.scores]
    assert got == pytest.approx(fx["expected"]["silhouette"], abs=1e-9)
    assert p.labels == fx["expected"]["labels"]
    q = cxkit.personas(
        pd.DataFrame(fx["columns"]),
        fx["features"],
        k=(fx["k_min"], fx["k_max"]),
        seed=fx["seed"],
        **fx["profile"],
    )
    for got, want in zip(q.personas, fx["expected_profile"], strict=True):
        assert got["cx_index"]["estimate"] == pytest.approx(want["cx_index"], abs=1e-9)
        assert got["cx_index"]["std_error"] == pytest.approx(want["cx_std_error"], abs=1e-9)
        assert got["drivers"]["r_squared"] == pytest.approx(want["r_squared"], abs=1e-9)
        ranking = [[d["driver"], d["share"], d["beta"]] for d in got["drivers"]["ranking"]]
        assert [r[0] for r in ranking] == [w[0] for w in want["drivers"]]
        flat = [v for r in ranking for v in r[1:]]
        assert flat == pytest.approx([v for w in want["drivers"] for v in w[1:]], abs=1e-9)
        assert got["needs"] == want["needs"]


def test_wrapper_defaults_are_the_cores():
    """The Python signatures of personas and customer_view restate no default of their own:
    each is the core's (PersonaOptions, CustomerViewOptions of the contract)."""
    import inspect
    import json

    from cxkit import _cxkit

    methods = json.loads(_cxkit.contract())["method_options"]
    for fn, name in (
        (cxkit.personas, "PersonaOptions"),
        (cxkit.customer_view, "CustomerViewOptions"),
    ):
        params = inspect.signature(fn).parameters
        for o in methods[name]:
            p = params[o["name"]]
            default = p.default
            if isinstance(default, tuple):
                default = list(default)
            if o["name"] == "k":
                continue  # None: the k_min..k_max range of the core
            if o["name"] == "cutoff":
                assert default is None
                continue
            assert default == o["default"], (fn.__name__, o["name"], default, o["default"])
