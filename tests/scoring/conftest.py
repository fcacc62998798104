"""Fixtures of the scoring tests: a private stock store and model folder, small data files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest


@pytest.fixture
def stock_dir(settings: Any, tmp_path: Path) -> Path:
    """``settings.STOCK_DIR`` pointed at an empty folder of this test."""
    path = tmp_path / "stock"
    path.mkdir()
    settings.STOCK_DIR = path
    return path


@pytest.fixture
def model_dir(settings: Any, tmp_path: Path) -> Path:
    """``settings.MODEL_DIR`` pointed at an empty folder of this test."""
    path = tmp_path / "models"
    path.mkdir()
    settings.MODEL_DIR = path
    return path


def write_frame(frame: pd.DataFrame | list[dict[str, Any]], path: Path) -> Path:
    """Write rows as CSV (UTF-8 with BOM, like Excel saves it) or Parquet, by the suffix."""
    frame = pd.DataFrame(frame) if isinstance(frame, list) else frame
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        frame.to_parquet(path, index=False)
    return path


@pytest.fixture
def data_file(tmp_path: Path) -> Callable[..., Path]:
    """``data_file(rows, "customers.csv")`` → the path of the file written in an upload folder."""

    def write(frame: pd.DataFrame | list[dict[str, Any]], name: str) -> Path:
        return write_frame(frame, tmp_path / "upload" / name)

    return write
