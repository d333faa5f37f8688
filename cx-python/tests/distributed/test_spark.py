"""cxkit.spark on a real local Spark session equals the in-memory API on the same rows."""

import pandas as pd
import pytest

import cxkit

pytest.importorskip("pyspark")
import cxkit.spark


def test_overall_metrics(spark, survey):
    sdf = spark.createDataFrame(survey).repartition(5)
    assert cxkit.spark.nps(sdf, "nps") == cxkit.nps(survey.nps)
    # Weighted sums add in another order across partitions: equal to rounding, not bitwise.
    got = cxkit.spark.nps(sdf, "nps", weights="w", method="score").to_dict()
    want = cxkit.nps(survey.nps, weights=survey.w, method="score").to_dict()
    assert got["n"] == want["n"]
    assert got["estimate"] == pytest.approx(want["estimate"], rel=1e-12)
    assert got["interval"]["lower"] == pytest.approx(want["interval"]["lower"], rel=1e-12)
    assert cxkit.spark.csat(sdf, "csat") == cxkit.csat(survey.csat)
    assert cxkit.spark.ces(sdf, "ces", level=0.9) == cxkit.ces(survey.ces, level=0.9)


def test_grouped_equals_in_memory(spark, survey):
    sdf = spark.createDataFrame(survey).repartition(7)
    got = cxkit.spark.nps_by(sdf, "nps", ["region", "channel"], reference=("North", "app"))
    want = cxkit.nps_by(survey, "nps", ["region", "channel"], reference=("North", "app"))
    pd.testing.assert_frame_equal(got, want)
    got = cxkit.spark.csat_by(sdf, "csat", "tier", weights="w", adjust="bh")
    want = cxkit.csat_by(survey, "csat", "tier", weights="w", adjust="bh")
    pd.testing.assert_frame_equal(got, want, rtol=1e-12)


def test_summary_is_a_merge_of_partitions(spark, survey):
    sdf = spark.createDataFrame(survey).repartition(3)
    keyed = cxkit.spark.summarize(sdf, "nps", ["region"])
    assert keyed == cxkit.KeyedTally.from_values(survey.nps, by=[survey.region], names=["region"])
    assert keyed.total() == cxkit.Tally.from_values(survey.nps)
