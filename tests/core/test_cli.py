from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def xindai_script() -> str:
    beside = Path(sys.executable).with_name("xindai")
    return str(beside) if beside.exists() else (shutil.which("xindai") or "xindai")


def run_xindai(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DEBUG"] = "1"
    return subprocess.run(
        [xindai_script(), *args], capture_output=True, text=True, env=env, check=True
    )


def test_console_script_lists_the_xindai_commands() -> None:
    result = run_xindai("help")
    for command in ("demo", "seed", "serve", "audit", "business-date", "token", "migrate"):
        assert command in result.stdout


def test_audit_command_explains_itself() -> None:
    result = run_xindai("audit", "--help")
    assert "verify" in result.stdout
