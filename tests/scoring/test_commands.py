"""``xindai train / score / monitor --as-of D``: JSON on stdout, a progress bar on stderr, a
clear CommandError for a bad date, a missing approval, an unknown user or a missing right.
The synthetic bank is imported once for the module (nothing trained); each test runs in a
savepoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.scoring.test_services import DAY, Bank, expected_population, scoring_bank
from xindai.scoring import services
from xindai.scoring.models import ScoringModel


@pytest.fixture(scope="module")
def bank(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Bank]:
    folder = tmp_path_factory.mktemp("cli_bank")
    with django_db_blocker.unblock(), scoring_bank(folder, train=False, approve=False) as found:
        yield found


def run(*args: str) -> Any:
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_train_approve_score_and_monitor(
    bank: Bank, db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    trained = run("train", "--as-of", "2026-10-31", "--user", "s_admin")
    assert {k: (v["version"], v["status"]) for k, v in trained.items()} == {
        "propensity": (1, "pending"),
        "scorecard": (1, "pending"),
    }
    for model in ScoringModel.objects.all():
        services.approve_model(model, user=bank.people["risk"])

    first = run("score", "--as-of", "2026-10-31")
    assert "评分" in capsys.readouterr().err  # the progress bar
    scored, opted = expected_population(bank.tables)
    assert (first["as_of"], first["status"]) == ("2026-10-31", "done")
    assert (first["customers_scored"], first["customers_opted_out"]) == (len(scored), len(opted))
    assert sum(first["grade_counts"].values()) == len(scored)

    again = run("score", "--as-of", "2026-10-31", "--no-progress")
    assert capsys.readouterr().err == ""
    assert {k: v for k, v in again.items() if k != "seconds"} == {
        k: v for k, v in first.items() if k != "seconds"
    }

    reports = run("monitor", "--as-of", "2026-10-31")
    assert sorted(r["model"] for r in reports) == sorted(trained[k]["id"] for k in trained)
    assert {r["level"] for r in reports} == {"stable"}


@pytest.mark.parametrize("command", ["train", "score", "monitor"])
@pytest.mark.parametrize("day", ["2026-02-30", "20261031", "yesterday"])
def test_a_bad_date_is_a_clear_error(bank: Bank, db: Any, command: str, day: str) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command(command, "--as-of", day, stdout=StringIO())


def test_scoring_before_any_approval_is_refused(bank: Bank, db: Any) -> None:
    with pytest.raises(CommandError, match="风险合规"):
        call_command("score", "--as-of", DAY.isoformat(), "--no-progress", stdout=StringIO())


def test_unknown_users_and_missing_rights_are_refused(bank: Bank, db: Any) -> None:
    with pytest.raises(CommandError, match="没有用户"):
        call_command("train", "--as-of", "2026-10-31", "--user", "ghost", stdout=StringIO())
    with pytest.raises(CommandError, match="权限"):
        call_command("train", "--as-of", "2026-10-31", "--user", "s_risk", stdout=StringIO())
    assert ScoringModel.objects.count() == 0


def test_training_without_stock_data_is_refused(
    bank: Bank, db: Any, settings: Any, tmp_path: Any
) -> None:
    settings.STOCK_DIR = tmp_path / "empty"
    with pytest.raises(CommandError, match="存量客户数据"):
        call_command("train", "--as-of", "2026-10-31", stdout=StringIO())
