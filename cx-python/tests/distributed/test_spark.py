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


DIMS = ["effectiveness", "ease", "emotion"]


def test_cx_index_equals_in_memory(spark, survey):
    sdf = spark.createDataFrame(survey).repartition(5)
    assert cxkit.spark.cx_index(sdf, DIMS) == cxkit.cx_index(survey, DIMS)
    options = dict(method="mean", weights="w2", require_all=True, level=0.9)
    assert cxkit.spark.cx_index(sdf, DIMS, **options) == cxkit.cx_index(survey, DIMS, **options)


def test_loyalty_lift_equals_in_memory(spark, survey):
    sdf = spark.createDataFrame(survey).repartition(6)
    got = cxkit.spark.loyalty_lift(sdf, outcome="retained", weights="w2")
    assert got == cxkit.loyalty_lift(survey, outcome="retained", weights="w2")
    options = dict(exposure="top_box", score="csat", scale="csat")
    got = cxkit.spark.loyalty_lift(sdf, outcome=["retained", "bought_more"], **options)
    want = cxkit.loyalty_lift(survey, outcome=["retained", "bought_more"], **options)
    pd.testing.assert_frame_equal(got, want)


def test_retention_equals_in_memory(spark, transactions):
    tdf = spark.createDataFrame(transactions).repartition(4)
    got = cxkit.spark.retention(tdf, "customer_id", "date", "revenue", lag=3)
    assert got == cxkit.retention(transactions, lag=3)
    quarterly = cxkit.spark.activity(tdf, freq="Q")
    assert quarterly == cxkit.activity(transactions, freq="Q")
    assert cxkit.cohorts(quarterly) == cxkit.cohorts(transactions, freq="Q")
