"""cxkit.dask on a real local Dask cluster equals the in-memory API on the same rows."""

import pandas as pd
import pytest

import cxkit

dd = pytest.importorskip("dask.dataframe")
import cxkit.dask  # noqa: E402


def test_overall_and_grouped(dask_client, survey):
    ddf = dd.from_pandas(survey, npartitions=11)
    assert cxkit.dask.nps(ddf, "nps") == cxkit.nps(survey.nps)
    assert cxkit.dask.ces(ddf, "ces") == cxkit.ces(survey.ces)
    got = cxkit.dask.nps_by(ddf, "nps", ["region", "channel"], weights="w")
    want = cxkit.nps_by(survey, "nps", ["region", "channel"], weights="w")
    pd.testing.assert_frame_equal(got, want, rtol=1e-12)  # weighted sums: another order


def test_tree_reduction_depth_does_not_matter(dask_client, survey):
    ddf = dd.from_pandas(survey, npartitions=20)
    a = cxkit.dask.summarize(ddf, "nps", "region", split_every=2)
    b = cxkit.dask.summarize(ddf, "nps", "region", split_every=20)
    assert a == b


def test_cx_index_lift_and_retention(dask_client, survey, transactions):
    dims = ["effectiveness", "ease", "emotion"]
    ddf = dd.from_pandas(survey, npartitions=9)
    assert cxkit.dask.cx_index(ddf, dims, weights="w2") == cxkit.cx_index(
        survey, dims, weights="w2"
    )
    assert cxkit.dask.cx_index(ddf, dims, split_every=2) == cxkit.cx_index(survey, dims)
    got = cxkit.dask.loyalty_lift(ddf, outcome=["retained", "bought_more"], weights="w2")
    want = cxkit.loyalty_lift(survey, outcome=["retained", "bought_more"], weights="w2")
    pd.testing.assert_frame_equal(got, want)
    tdf = dd.from_pandas(transactions, npartitions=6)
    got = cxkit.dask.retention(tdf, "customer_id", "date", "revenue", freq="W", split_every=3)
    assert got == cxkit.retention(transactions, freq="W")
