"""``/api/v1/scoring``: the registry with approval by 风险合规, runs, customers (masked), score
cards, grade distribution, imports and monitoring; every refusal is JSON {code, message,
details} with a 4xx status. The synthetic bank is imported and trained once for the module
(models left pending); each test runs in a savepoint."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.test import Client

from tests.scoring.test_services import (
    CHINESE,
    DAY,
    Bank,
    expected_population,
    pending_copy,
    scoring_bank,
)
from xindai.org.models import User
from xindai.scoring import features, services
from xindai.scoring.models import StockCustomer

API = "/api/v1/scoring"


@pytest.fixture(scope="module")
def bank(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Bank]:
    folder = tmp_path_factory.mktemp("api_bank")
    with django_db_blocker.unblock(), scoring_bank(folder, approve=False) as found:
        yield found


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def approve_both(bank: Bank) -> None:
    for model in bank.models.values():
        services.approve_model(model, user=bank.people["risk"])


def assert_refused(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"] and "details" in body, body
    return body


# ---- registry ------------------------------------------------------------------------------


def test_the_registry_lists_the_trained_models(bank: Bank, db: Any) -> None:
    client = as_user(bank.people["risk"])
    listed = client.get(f"{API}/models").json()
    assert listed["count"] == 2
    assert {(m["kind"], m["version"], m["status"]) for m in listed["items"]} == {
        ("propensity", 1, "pending"),
        ("scorecard", 1, "pending"),
    }
    card = client.get(f"{API}/models/{bank.models['scorecard'].pk}").json()
    assert card["points_table"] and card["baseline"]["score"]["shares"]
    assert card["features"] == list(features.FEATURES)
    assert set(card["metrics"]) >= {"auc", "ks", "gini", "capture_10", "capture_20"}
    assert client.get(f"{API}/models?status=approved").json()["count"] == 0
    assert_refused(client.get(f"{API}/models/999999"), 404, "not_found")


def test_the_risk_officer_approves_once(bank: Bank, db: Any) -> None:
    client = as_user(bank.people["risk"])
    url = f"{API}/models/{bank.models['propensity'].pk}/approve"
    approved = post(client, url, {"note": "同意投产"})
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["decision_note"]) == ("approved", "同意投产")
    body = assert_refused(post(client, url), 409, "model_not_pending")
    assert body["details"] == {"status": "approved"}


def test_the_trainer_may_not_approve_his_own_model(bank: Bank, db: Any) -> None:
    own = pending_copy(bank.models["scorecard"], trained_by=bank.people["risk_trainer"])
    response = post(as_user(bank.people["risk_trainer"]), f"{API}/models/{own.pk}/approve")
    body = assert_refused(response, 409, "separation_of_duties")
    assert "职责分离" in body["message"]


def test_a_rejection_needs_a_note(bank: Bank, db: Any) -> None:
    client = as_user(bank.people["risk"])
    url = f"{API}/models/{bank.models['scorecard'].pk}/reject"
    body = assert_refused(post(client, url, {"note": ""}), 422, "validation_error")
    assert "note" in body["details"]
    rejected = post(client, url, {"note": "样本太少"})
    assert rejected.json()["status"] == "rejected"


def test_staff_without_the_permission_are_refused(bank: Bank, db: Any) -> None:
    manager = as_user(bank.people["manager"])
    model = bank.models["scorecard"].pk
    assert_refused(post(manager, f"{API}/models/{model}/approve"), 403, "forbidden")
    assert_refused(post(manager, f"{API}/train", {"as_of": "2026-10-31"}), 403, "forbidden")
    assert_refused(post(manager, f"{API}/runs", {"as_of": "2026-10-31"}), 403, "forbidden")


# ---- training and runs ---------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2026-13-01", "31/10/2026", "", "tomorrow"])
def test_bad_dates_are_refused_with_422(bank: Bank, db: Any, day: str) -> None:
    client = as_user(bank.people["trainer"])
    for url in (f"{API}/runs", f"{API}/train"):
        assert_refused(post(client, url, {"as_of": day}), 422, "validation_error")
    assert_refused(client.get(f"{API}/grades", {"as_of": day}), 422, "validation_error")


def test_scoring_without_approved_models_is_refused(bank: Bank, db: Any) -> None:
    response = post(as_user(bank.people["trainer"]), f"{API}/runs", {"as_of": "2026-10-31"})
    body = assert_refused(response, 409, "model_not_approved")
    assert "风险合规" in body["message"]


def test_training_over_the_api_adds_pending_versions(bank: Bank, db: Any) -> None:
    response = post(as_user(bank.people["trainer"]), f"{API}/train", {"as_of": "2026-10-31"})
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["propensity"]["version"], made["scorecard"]["version"]) == (2, 2)
    assert {made["propensity"]["status"], made["scorecard"]["status"]} == {"pending"}
    assert made["propensity"]["data_fingerprint"] == bank.models["propensity"].data_fingerprint


def test_a_run_and_what_it_shows(bank: Bank, db: Any) -> None:
    approve_both(bank)
    response = post(as_user(bank.people["trainer"]), f"{API}/runs", {"as_of": "2026-10-31"})
    assert response.status_code == 201, response.content
    run = response.json()
    scored, opted = expected_population(bank.tables)
    assert (run["customers_scored"], run["customers_opted_out"]) == (len(scored), len(opted))
    assert sum(run["grade_counts"].values()) == len(scored)
    risk = as_user(bank.people["risk"])
    runs = risk.get(f"{API}/runs").json()
    assert runs["count"] == 1 and runs["items"][0]["as_of"] == "2026-10-31"

    grades = risk.get(f"{API}/grades").json()
    assert grades["as_of"] == "2026-10-31"
    assert {g: n for g, n in grades["totals"].items() if n} == run["grade_counts"]
    assert sum(row["total"] for row in grades["by_branch"]) == len(scored)
    assert {row["label"] for row in grades["by_branch"]} == {"评分一支行", "评分二支行"}

    for grade, count in run["grade_counts"].items():
        listed = risk.get(f"{API}/customers", {"grade": grade, "page_size": 100}).json()
        assert listed["count"] == count
        assert {c["grade"] for c in listed["items"]} == {grade}


def test_the_customer_list_masks_personal_data_and_keeps_to_the_units(bank: Bank, db: Any) -> None:
    customers = bank.tables["customers"]
    phones = dict(zip(customers["customer_no"].astype(str), customers["phone"], strict=True))
    listed = as_user(bank.people["risk"]).get(f"{API}/customers", {"page_size": 100}).json()
    assert listed["count"] == len(customers)
    for item in listed["items"]:
        raw = phones[item["customer_no"]]
        if isinstance(raw, str) and raw:
            assert item["phone"] != raw and re.fullmatch(r"\d{3}\*+\d{4}", item["phone"])
        assert item["id_number"] in ("",) or "*" in item["id_number"]
    own = as_user(bank.people["manager"]).get(f"{API}/customers").json()
    assert own["count"] == int((customers["org_code"].astype(str) == "SO11").sum())
    village = listed["items"][0]["village_code"]
    in_village = as_user(bank.people["risk"]).get(f"{API}/customers", {"village": village})
    assert in_village.json()["count"] == int((customers["village_code"] == village).sum())


def test_a_customers_score_card(bank: Bank, db: Any) -> None:
    approve_both(bank)
    services.run_scoring(DAY)
    mine = StockCustomer.objects.filter(org_unit__code="SO11", opted_out_at=None).first()
    other = StockCustomer.objects.filter(org_unit__code="SO21").first()
    assert mine is not None and other is not None
    manager = as_user(bank.people["manager"])
    card = manager.get(f"{API}/customers/{mine.pk}/score").json()
    assert card["as_of"] == "2026-10-31" and card["grade"] in "ABCD"
    assert card["reasons"] and all(CHINESE.search(r["text"]) for r in card["reasons"])
    assert [f["feature"] for f in card["features"]] == list(features.FEATURES)
    assert all(CHINESE.search(f["label"]) for f in card["features"])
    assert "*" in card["customer"]["phone"] or not card["customer"]["phone"]
    assert_refused(manager.get(f"{API}/customers/{other.pk}/score"), 404, "not_found")


# ---- imports and monitoring ----------------------------------------------------------------


def test_a_file_is_imported_over_the_api(
    bank: Bank, db: Any, settings: Any, tmp_path: Path
) -> None:
    settings.STOCK_DIR = tmp_path / "stock"  # keep the module's store as it is
    rows = pd.DataFrame(
        [
            {
                "customer_no": "API0001",
                "name": "试导入甲",
                "kind": "farmer",
                "org_code": "SO11",
                "opened_on": "2020-01-02",
            },
            {
                "customer_no": "API0002",
                "name": "试导入乙",
                "kind": "business",
                "org_code": "SO21",
                "opened_on": "2021-03-04",
            },
        ]
    )
    path = tmp_path / "customers.csv"
    rows.to_csv(path, index=False)
    client = as_user(bank.people["trainer"])
    with path.open("rb") as upload:
        response = client.post(f"{API}/imports", {"file": upload, "table": "customers"})
    assert response.status_code == 201, response.content
    assert (response.json()["rows_accepted"], response.json()["status"]) == (2, "done")
    assert StockCustomer.objects.filter(customer_no__startswith="API").count() == 2
    with path.open("rb") as upload:
        bad = client.post(f"{API}/imports", {"file": upload, "table": "accounts"})
    assert_refused(bad, 400, "invalid_input")
    listed = client.get(f"{API}/imports").json()
    assert listed["count"] == 6  # the five tables of the bank and this file


def test_monitoring_reports(bank: Bank, db: Any) -> None:
    approve_both(bank)
    services.monitor(DAY)
    listed = as_user(bank.people["risk"]).get(f"{API}/monitoring").json()
    assert listed["count"] == 2
    for report in listed["items"]:
        assert report["as_of"] == "2026-10-31" and report["level"] == "stable"
        assert report["drift"] is False and report["psi_score"] < 0.25
