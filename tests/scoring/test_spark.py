"""The one Ibis feature pipeline gives identical frames on PySpark (local mode) and on DuckDB."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.scoring.test_features import AS_OF, EXPECTED, generate_store, write_tiny_store
from xindai.scoring.features import FEATURES, feature_frame, label_frame

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None, reason="PySpark needs a Java runtime (CI has Java 17)"
)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    import ibis
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("xindai-features-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    yield ibis.pyspark.connect(session)
    session.stop()


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_store(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def medium_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_store(tmp_path_factory.mktemp("medium"), n_customers=300, seed=7)


def assert_same(spark_frame: pd.DataFrame, duckdb_frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(spark_frame, duckdb_frame, check_dtype=False, rtol=1e-9)


def test_tiny_store_features_on_spark_are_the_hand_computed_ones(
    spark: Any, tiny_store: Path
) -> None:
    on_spark = feature_frame(AS_OF, backend="pyspark", con=spark, stock_dir=tiny_store)

    assert_same(on_spark, feature_frame(AS_OF, stock_dir=tiny_store))
    expected = pd.DataFrame.from_dict(EXPECTED, orient="index")[FEATURES].astype(float)
    actual = on_spark.set_index("customer_no")[FEATURES]
    pd.testing.assert_frame_equal(actual, expected, check_names=False, rtol=0, atol=5e-7)


def test_tiny_store_labels_on_spark_match_duckdb(spark: Any, tiny_store: Path) -> None:
    assert_same(
        label_frame(AS_OF, backend="pyspark", con=spark, stock_dir=tiny_store),
        label_frame(AS_OF, stock_dir=tiny_store),
    )


@pytest.mark.parametrize("as_of", [date(2025, 6, 30), date(2026, 2, 14)])
def test_generated_store_gives_identical_frames(
    spark: Any, medium_store: Path, as_of: date
) -> None:
    on_spark = feature_frame(as_of, backend="pyspark", con=spark, stock_dir=medium_store)
    on_duckdb = feature_frame(as_of, stock_dir=medium_store)

    assert len(on_duckdb) > 200  # most of the 300 customers are open by then
    assert on_duckdb.txn_count_90d.sum() > 0 and on_duckdb.ever_defaulted.sum() > 0
    assert_same(on_spark, on_duckdb)
    assert_same(
        label_frame(as_of, backend="pyspark", con=spark, stock_dir=medium_store),
        label_frame(as_of, stock_dir=medium_store),
    )
