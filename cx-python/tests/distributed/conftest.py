"""Real local engines for the distributed tests (run by scripts/test-distributed.sh in .venv-dist,
which has PySpark 4.3 with pandas 2.3 and Dask; skipped where the engines are not installed)."""

import os
import sys

import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="session")
def survey():
    rng = np.random.default_rng(21)
    n = 30_000
    frame = pd.DataFrame(
        {
            "nps": rng.integers(0, 11, n).astype(float),
            "csat": rng.integers(1, 6, n),
            "ces": rng.integers(1, 8, n),
            "region": rng.choice(["North", "South", "East", "West"], n),
            "channel": rng.choice(["app", "web", "phone"], n),
            "tier": rng.integers(1, 4, n),
            "w": rng.uniform(0.5, 2.0, n),
        }
    )
    frame.loc[rng.random(n) < 0.02, "nps"] = np.nan
    frame.loc[rng.random(n) < 0.01, "channel"] = None
    # CX index dimensions (1-5, some unanswered), two 0/1 loyalty outcomes that follow the
    # NPS, and dyadic weights (sums exact in any order).
    for dim in ("effectiveness", "ease", "emotion"):
        frame[dim] = rng.integers(1, 6, n).astype(float)
        frame.loc[rng.random(n) < 0.05, dim] = np.nan
    p = 0.4 + 0.05 * frame["nps"].fillna(5).to_numpy()
    frame["retained"] = (rng.random(n) < p).astype(float)
    frame.loc[rng.random(n) < 0.02, "retained"] = np.nan
    frame["bought_more"] = (rng.random(n) < p / 2).astype(float)
    frame["w2"] = rng.integers(1, 8, n) / 4.0
    return frame


@pytest.fixture(scope="session")
def transactions():
    """A transaction log: string customer ids, dates (datetime.date), revenue in quarters (sums
    exact in any order) with refunds."""
    import datetime as dt

    rng = np.random.default_rng(7)
    n = 20_000
    start = dt.date(2025, 1, 1)
    days = rng.integers(0, 540, n)
    revenue = rng.integers(-20, 400, n) / 4.0
    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in rng.integers(0, 3_000, n)],
            "date": [start + dt.timedelta(days=int(d)) for d in days],
            "revenue": revenue,
        }
    )


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("cxkit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def dask_client():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()
