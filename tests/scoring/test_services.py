"""The registry, the batch scoring and the monitoring, on a small synthetic bank (1,500
households, seed 7, as of 2026-10-31) imported through the importer, trained once for the
module and approved by 风险合规. Each test runs in a savepoint of the module's transaction.

Expected numbers come from the synthetic tables themselves (who is known, who opted out), from
scikit-learn / scipy (AUC, KS), or from hashlib (artifact digests)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import override_settings

from xindai.audit.models import AuditEvent
from xindai.org.models import OrgUnit, UnitKind, User
from xindai.org.roles import Role, group_name
from xindai.scoring import features, importer, services, synth
from xindai.scoring.models import (
    CustomerScore,
    ImportStatus,
    ModelKind,
    ModelStatus,
    MonitoringReport,
    ScoreRun,
    ScoringModel,
    StockCustomer,
)

DAY = dt.date(2026, 10, 31)
SEED = 7
HOUSEHOLDS = 1500
OUTLETS = ("SO11", "SO12", "SO21")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Bank:
    tables: dict[str, pd.DataFrame]
    units: dict[str, OrgUnit]
    people: dict[str, User]
    folder: Path
    models: dict[str, ScoringModel] = field(default_factory=dict)
    trained_statuses: dict[str, str] = field(default_factory=dict)
    run: ScoreRun | None = None


def _units() -> dict[str, OrgUnit]:
    hq = OrgUnit.objects.create(code="SHQ", name="评分联社", kind=UnitKind.UNION)
    b1 = OrgUnit.objects.create(code="SB1", name="评分一支行", kind=UnitKind.BRANCH, parent=hq)
    b2 = OrgUnit.objects.create(code="SB2", name="评分二支行", kind=UnitKind.BRANCH, parent=hq)
    units = {"SHQ": hq, "SB1": b1, "SB2": b2}
    for code, parent in (("SO11", b1), ("SO12", b1), ("SO21", b2)):
        units[code] = OrgUnit.objects.create(
            code=code, name=f"{parent.name}{code}网点", kind=UnitKind.OUTLET, parent=parent
        )
    return units


def _person(username: str, unit: OrgUnit, *roles: Role) -> User:
    user = User.objects.create_user(username, password="Correct-horse-42", org_unit=unit)
    for role in roles:
        user.groups.add(Group.objects.get(name=group_name(role)))
    return user


def _people(units: dict[str, OrgUnit]) -> dict[str, User]:
    return {
        "trainer": _person("s_admin", units["SHQ"], Role.ADMIN),
        "risk": _person("s_risk", units["SHQ"], Role.RISK),
        "risk_trainer": _person("s_both", units["SHQ"], Role.RISK, Role.ADMIN),
        "manager": _person("s_manager", units["SO11"], Role.MANAGER),
        "head2": _person("s_head2", units["SB2"], Role.BRANCH_HEAD),
        "outsider": _person("s_nobody", units["SO11"]),
    }


@contextmanager
def scoring_bank(
    folder: Path, households: int = HOUSEHOLDS, *, train: bool = True, approve: bool = True
) -> Iterator[Bank]:
    """A bank in a transaction that is rolled back at the end: org units, staff, the synthetic
    stock data imported, and (optionally) the two models trained by the admin and approved by
    the risk officer."""
    with (
        override_settings(STOCK_DIR=folder / "stock", MODEL_DIR=folder / "models"),
        transaction.atomic(),
    ):
        units = _units()
        bank = Bank(
            tables=synth.generate(households, SEED, as_of=DAY, org_codes=list(OUTLETS)),
            units=units,
            people=_people(units),
            folder=folder,
        )
        paths = synth.write(bank.tables, folder / "upload")
        for name in synth.TABLES:
            batch = importer.import_file(paths[name], name)
            assert (batch.status, batch.rows_rejected) == (ImportStatus.DONE, 0), batch.errors
        if train:
            for model in services.train_models(DAY, user=bank.people["trainer"]):
                bank.models[model.kind] = model
                bank.trained_statuses[model.kind] = model.status
        if approve:
            for model in bank.models.values():
                services.approve_model(model, user=bank.people["risk"], note="同意")
        yield bank
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def bank(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Bank]:
    with django_db_blocker.unblock(), scoring_bank(tmp_path_factory.mktemp("bank")) as found:
        found.run = services.run_scoring(DAY)
        yield found


def fresh(model: ScoringModel) -> ScoringModel:
    return ScoringModel.objects.get(pk=model.pk)


def pending_copy(model: ScoringModel, trained_by: User) -> ScoringModel:
    """Another version of ``model`` waiting for approval (same artifact)."""
    fields = {
        f.name: getattr(model, f.name)
        for f in ScoringModel._meta.concrete_fields
        if f.name not in {"id", "version", "status", "decided_by", "decided_at", "trained_at"}
    }
    last = ScoringModel.objects.filter(kind=model.kind).order_by("-version").first()
    assert last is not None
    return ScoringModel.objects.create(
        **fields | {"trained_by": trained_by, "decision_note": ""},
        version=last.version + 1,
        status=ModelStatus.PENDING,
    )


def expected_population(tables: dict[str, pd.DataFrame]) -> tuple[set[str], set[str]]:
    """(customer numbers to score, customer numbers left out for the opt-out) on DAY."""
    customers = tables["customers"]
    known = pd.to_datetime(customers["opened_on"].astype(str)).dt.date <= DAY
    opted = customers["opt_out_personalised"].astype(bool)
    numbers = customers["customer_no"].astype(str)
    return set(numbers[known & ~opted]), set(numbers[known & opted])


# ---- training and the registry ------------------------------------------------------------


def test_training_registers_both_models_for_approval(bank: Bank, db: Any) -> None:
    assert bank.trained_statuses == {"propensity": "pending", "scorecard": "pending"}
    for kind, model in bank.models.items():
        model = fresh(model)
        assert (model.version, model.trained_as_of, model.features) == (
            1,
            DAY,
            list(features.FEATURES),
        )
        blob = (bank.folder / "models" / f"{kind}-v1.bin").read_bytes()
        assert model.artifact == f"{kind}-v1.bin"
        assert model.artifact_sha256 == hashlib.sha256(blob).hexdigest()
        assert re.fullmatch(r"[0-9a-f]{64}", model.data_fingerprint)
        metrics = model.metrics
        assert 0 <= metrics["auc"] <= 1 and 0 <= metrics["capture_10"] <= 1
        assert metrics["gini"] == pytest.approx(2 * metrics["auc"] - 1)
        assert model.gains[0] == [0.0, 0.0] and model.gains[-1] == [1.0, 1.0]
        assert 1 <= len(model.baseline["features"]) <= 5
        assert set(model.baseline["features"]) <= set(features.FEATURES)
        assert sum(model.baseline["score"]["shares"]) == pytest.approx(1)
        assert model.trained_by == bank.people["trainer"]
    # Borrowing is predictable from the history (the synthetic bank's 30 or so defaults are
    # too few to hold the scorecard to a figure here; the German Credit benchmark does).
    propensity = fresh(bank.models["propensity"]).metrics
    assert propensity["auc"] > 0.55 and propensity["capture_20"] > 0.2  # better than chance
    assert fresh(bank.models["scorecard"]).points_table  # the exportable points table
    trained = AuditEvent.objects.filter(action="scoring.model_trained")
    assert trained.count() == 2


def test_the_metrics_agree_with_scikit_learn_on_the_held_out_part(bank: Bank, db: Any) -> None:
    from scipy.stats import ks_2samp
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    data = services.training_frame(DAY)
    y = data["borrowed"].to_numpy().astype(int)
    _, test = train_test_split(np.arange(len(y)), test_size=0.25, random_state=0, stratify=y)
    test = np.sort(test)
    model = fresh(bank.models["propensity"])
    score = services.load_model(model).predict(data.iloc[test][features.FEATURES])
    assert model.metrics["n_test"] == len(test)
    assert model.metrics["auc"] == pytest.approx(roc_auc_score(y[test], score))
    ks = ks_2samp(score[y[test] == 1], score[y[test] == 0]).statistic
    assert model.metrics["ks"] == pytest.approx(ks)
    top = np.argsort(-score, kind="mergesort")[: round(0.1 * len(test))]
    assert model.metrics["capture_10"] == pytest.approx(y[test][top].sum() / y[test].sum())


def test_the_fingerprint_is_reproducible_and_follows_the_data(bank: Bank, db: Any) -> None:
    model = fresh(bank.models["propensity"])
    assert services.fingerprint(services.training_frame(DAY), DAY) == model.data_fingerprint
    other = DAY - dt.timedelta(days=30)
    assert services.fingerprint(services.training_frame(other), other) != model.data_fingerprint


def test_the_trainer_may_not_approve_his_own_model(bank: Bank, db: Any) -> None:
    own = pending_copy(bank.models["propensity"], trained_by=bank.people["risk_trainer"])
    with pytest.raises(services.ModelRefused) as refused:
        services.approve_model(own, user=bank.people["risk_trainer"])
    assert refused.value.code == "separation_of_duties"
    assert "职责分离" in refused.value.message
    assert fresh(own).status == ModelStatus.PENDING
    services.approve_model(own, user=bank.people["risk"])  # another officer may
    assert fresh(own).status == ModelStatus.APPROVED


def test_only_a_pending_model_can_be_decided(bank: Bank, db: Any) -> None:
    for decide in (services.approve_model, services.reject_model):
        with pytest.raises(services.ModelRefused) as refused:
            decide(bank.models["scorecard"], user=bank.people["risk"], note="再批")
        assert refused.value.code == "model_not_pending"
    assert fresh(bank.models["scorecard"]).status == ModelStatus.APPROVED


def test_approving_a_new_version_retires_the_one_in_use(bank: Bank, db: Any) -> None:
    old = bank.models["scorecard"]
    new = pending_copy(old, trained_by=bank.people["trainer"])
    services.approve_model(new, user=bank.people["risk"], note="新版本效果更好")
    new, old = fresh(new), fresh(old)
    assert (new.status, old.status) == (ModelStatus.APPROVED, ModelStatus.RETIRED)
    assert (new.decided_by, new.decision_note) == (bank.people["risk"], "新版本效果更好")
    assert services.approved_model(ModelKind.SCORECARD) == new
    assert fresh(bank.models["propensity"]).status == ModelStatus.APPROVED  # other kind stays
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"scoring.model_approved", "scoring.model_retired"} <= actions


def test_a_rejection_needs_a_reason(bank: Bank, db: Any) -> None:
    new = pending_copy(bank.models["propensity"], trained_by=bank.people["trainer"])
    with pytest.raises(services.FormInvalid):
        services.reject_model(new, user=bank.people["risk"], note="  ")
    services.reject_model(new, user=bank.people["risk"], note="KS 偏低")
    assert (fresh(new).status, fresh(new).decision_note) == (ModelStatus.REJECTED, "KS 偏低")
    assert fresh(bank.models["propensity"]).status == ModelStatus.APPROVED


def test_staff_without_the_permissions_are_refused(bank: Bank, db: Any) -> None:
    new = pending_copy(bank.models["propensity"], trained_by=bank.people["trainer"])
    with pytest.raises(PermissionDenied):
        services.approve_model(new, user=bank.people["manager"])
    with pytest.raises(PermissionDenied):
        services.train_models(DAY, user=bank.people["risk"])  # risk approves, never trains
    with pytest.raises(PermissionDenied):
        services.run_scoring(DAY, user=bank.people["manager"])


# ---- batch scoring -------------------------------------------------------------------------


def test_scoring_needs_approved_models(bank: Bank, db: Any) -> None:
    ScoringModel.objects.filter(kind=ModelKind.SCORECARD).update(status=ModelStatus.PENDING)
    with pytest.raises(services.ModelNotApproved) as refused:
        services.run_scoring(DAY)
    assert "信用评分卡" in refused.value.message
    assert CustomerScore.objects.filter(as_of=DAY).count() == bank.run.customers_scored


def test_a_tampered_model_file_is_refused(bank: Bank, db: Any) -> None:
    path = bank.folder / "models" / fresh(bank.models["propensity"]).artifact
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"x")
        with pytest.raises(services.ScoringRefused) as refused:
            services.run_scoring(DAY)
        assert refused.value.code == "artifact_mismatch"
    finally:
        path.write_bytes(original)


def scores_of(day: dt.date) -> dict[str, str]:
    rows = CustomerScore.objects.filter(as_of=day).values_list("customer__customer_no", "grade")
    return dict(rows)


def test_scoring_scores_every_known_customer_but_the_opted_out(bank: Bank, db: Any) -> None:
    scored, opted = expected_population(bank.tables)
    run = ScoreRun.objects.get(as_of=DAY)
    assert len(opted) > 0  # the synthetic bank has some
    assert (run.status, run.customers_scored, run.customers_opted_out) == (
        "done",
        len(scored),
        len(opted),
    )
    assert set(scores_of(DAY)) == scored
    assert run.propensity_model_id == bank.models["propensity"].pk
    assert run.scorecard_model_id == bank.models["scorecard"].pk
    assert run.seconds > 0


def test_scoring_a_date_again_replaces_its_scores(bank: Bank, db: Any) -> None:
    before = scores_of(DAY)
    again = services.run_scoring(DAY, user=bank.people["trainer"])
    assert ScoreRun.objects.filter(as_of=DAY).count() == 1
    assert again.pk == bank.run.pk
    assert CustomerScore.objects.filter(as_of=DAY).count() == len(before)
    assert scores_of(DAY) == before
    assert again.grade_counts == bank.run.grade_counts


def test_the_grade_counts_add_up(bank: Bank, db: Any) -> None:
    run = ScoreRun.objects.get(as_of=DAY)
    counted = pd.Series(list(scores_of(DAY).values())).value_counts().to_dict()
    assert run.grade_counts == counted
    assert sum(run.grade_counts.values()) == run.customers_scored
    assert set(run.grade_counts) <= {"A", "B", "C", "D"}
    assert len(run.grade_counts) >= 3  # the grades separate the customers


def test_every_score_has_reasons_in_plain_chinese(bank: Bank, db: Any) -> None:
    for score in CustomerScore.objects.filter(as_of=DAY).iterator():
        assert score.reasons, score.customer_id
        for reason in score.reasons:
            assert CHINESE.search(reason["text"]), reason
            assert reason["feature"] in features.FEATURES
            assert reason["model"] in ModelKind.values
        assert 0 <= score.propensity <= 1 and 0 <= score.pd <= 1


def test_a_customer_who_opts_out_is_left_out_of_the_next_run(bank: Bank, db: Any) -> None:
    number = sorted(scores_of(DAY))[0]
    StockCustomer.objects.filter(customer_no=number).update(opted_out_at=dt.datetime.now(dt.UTC))
    run = services.run_scoring(DAY)
    assert number not in scores_of(DAY)
    assert run.customers_opted_out == bank.run.customers_opted_out + 1
    assert run.customers_scored == bank.run.customers_scored - 1


def test_a_customer_missing_from_the_register_is_not_scored(bank: Bank, db: Any) -> None:
    number = sorted(scores_of(DAY))[-1]
    CustomerScore.objects.filter(customer__customer_no=number).delete()
    StockCustomer.objects.filter(customer_no=number).delete()
    run = services.run_scoring(DAY)
    assert run.customers_scored == bank.run.customers_scored - 1
    assert run.customers_opted_out == bank.run.customers_opted_out


# ---- monitoring ----------------------------------------------------------------------------


def test_the_training_date_shows_no_drift(bank: Bank, db: Any) -> None:
    reports = services.monitor(DAY)
    assert {r.model_id for r in reports} == {m.pk for m in bank.models.values()}
    for report in reports:
        assert report.psi_score < 0.02, report.psi_score  # only the 2 % opted out differ
        assert all(v < 0.01 for v in report.psi_features.values()), report.psi_features
        assert not report.drift
        assert services.report_summary(report)["level"] == "stable"


def test_a_shifted_population_is_flagged_as_drift(bank: Bank, db: Any) -> None:
    frame = services.feature_frame(DAY)
    shifted = frame.copy()
    shifted[features.FEATURES] = frame[features.FEATURES] * 5 + 1
    later = DAY + dt.timedelta(days=30)  # not scored: the scores are computed again
    reports = services.monitor(later, frame=shifted)
    for report in reports:
        assert max(report.psi_features.values()) > 0.25
        assert report.drift
        assert services.report_summary(report)["level"] == "drift"
    assert max(r.psi_score for r in reports) > 0.25


def test_monitoring_a_date_again_updates_its_report(bank: Bank, db: Any) -> None:
    services.monitor(DAY)
    services.monitor(DAY)
    assert MonitoringReport.objects.filter(as_of=DAY).count() == 2  # one per model


def test_the_psi_levels() -> None:
    assert [services.psi_level(v) for v in (0, 0.099, 0.1, 0.25, 0.2501)] == [
        "stable",
        "stable",
        "watch",
        "watch",
        "drift",
    ]


# ---- what pages read -----------------------------------------------------------------------


def test_staff_see_the_stock_customers_of_their_units(bank: Bank, db: Any) -> None:
    customers = bank.tables["customers"]
    by_unit = customers["org_code"].astype(str).value_counts()
    seen = services.visible_stock_customers
    assert seen(bank.people["risk"]).count() == len(customers)
    assert seen(bank.people["manager"]).count() == by_unit.get("SO11", 0)
    assert seen(bank.people["head2"]).count() == by_unit.get("SO21", 0)
    assert seen(None).count() == 0


def test_the_score_card_has_the_latest_score_and_the_feature_values(bank: Bank, db: Any) -> None:
    number = sorted(scores_of(DAY))[0]
    customer = StockCustomer.objects.get(customer_no=number)
    card = services.score_card(customer)
    assert card["score"].as_of == DAY
    frame = services.feature_frame(DAY).set_index("customer_no")
    assert list(card["features"]) == list(features.FEATURES)
    for name, value in card["features"].items():
        assert value == pytest.approx(float(frame.loc[number, name]))
