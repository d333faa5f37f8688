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
