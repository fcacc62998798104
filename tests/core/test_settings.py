"""Settings come from the environment; importing them changes nothing on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SETTINGS_DUMP = (
    "import xindai.settings as s, json; print(json.dumps({'engine': s.DATABASES['default']"
    "['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), 'debug': s.DEBUG, "
    "'hosts': s.ALLOWED_HOSTS, 'data': str(s.DATA_DIR)}))"
)


def load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "XINDAI_DATA_DIR"}
    }
    clean["XINDAI_VAR_DIR"] = str(tmp_path / "var")
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", SETTINGS_DUMP],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("key", [None, "", "change-me", "django-insecure-abc"])
def test_missing_or_default_secret_key_is_refused_outside_debug(tmp_path, key) -> None:
    env = {} if key is None else {"SECRET_KEY": key}
    result = load_settings(tmp_path, **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "ImproperlyConfigured" in result.stderr


def test_debug_runs_without_a_secret_key(tmp_path) -> None:
    assert load_settings(tmp_path, DEBUG="1").returncode == 0


def test_defaults_are_an_sqlite_file_under_var_and_localhost(tmp_path) -> None:
    import json

    result = load_settings(tmp_path, SECRET_KEY="x" * 50)
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "var" / "xindai.sqlite3")
    assert values["hosts"] == ["127.0.0.1", "localhost"] and values["debug"] is False
    assert not (tmp_path / "var").exists()  # no import-time side effects


def test_environment_selects_postgres_hosts_and_data_dir(tmp_path) -> None:
    import json

    result = load_settings(
        tmp_path,
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://bank@db.internal:5432/xindai",
        ALLOWED_HOSTS="xindai.bank.local, 10.0.0.5",
        XINDAI_DATA_DIR=str(tmp_path / "docs"),
    )
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "xindai"
    assert values["hosts"] == ["xindai.bank.local", "10.0.0.5"]
    assert values["data"] == str(tmp_path / "docs")
