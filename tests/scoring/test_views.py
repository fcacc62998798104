"""The scoring pages: who may open which, the customer list's filters and masking, the score
card's reasons, the grade distribution, approval by 风险合规 through the page, imports and runs.

Scores are written directly as rows (the models' arithmetic is tested elsewhere); the pages are
about what is shown to whom."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.scoring.conftest import write_frame
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.scoring import services
from xindai.scoring.models import (
    CustomerScore,
    ImportBatch,
    ModelKind,
    ModelStatus,
    MonitoringReport,
    ScoreRun,
    ScoringModel,
    StockCustomer,
)

DAY = dt.date(2026, 10, 31)
EARLIER = dt.date(2026, 9, 30)
ID_NUMBER = "110101199003071234"
PHONE = "13912345678"


def model_row(kind: str, version: int = 1, **fields: Any) -> ScoringModel:
    values: dict[str, Any] = {
        "kind": kind,
        "version": version,
        "trained_as_of": EARLIER,
        "data_fingerprint": "f" * 64,
        "features": ["txn_count_90d", "has_payroll"],
        "params": {"seed": 0},
        "metrics": {"auc": 0.812, "ks": 0.45, "gini": 0.624, "capture_10": 0.31},
        "gains": [[0.1, 0.31], [0.5, 0.8], [1.0, 1.0]],
        "artifact": f"{kind}-v{version}.bin",
        "artifact_sha256": "0" * 64,
    }
    return ScoringModel.objects.create(**(values | fields))


def customer(no: str, name: str, unit: OrgUnit, village: tuple[str, str], **fields: Any) -> Any:
    return StockCustomer.objects.create(
        customer_no=no,
        name=name,
        kind=fields.pop("kind", "farmer"),
        org_unit=unit,
        village_code=village[0],
        village_name=village[1],
        **fields,
    )


V1 = ("110101001001", "多福巷村")
V2 = ("110101001002", "东四村")


@pytest.fixture
def scored(tree: dict[str, OrgUnit]) -> dict[str, Any]:
    """Five customers scored on DAY: in 一支行 (O11, O12) 王大山 A, 李四海 A, 赵小花 B (V1, V1,
    V2); in 二支行 (O21) 钱多多 C and 孙一 D (V1). 王大山 was B on EARLIER."""
    p, s = model_row(ModelKind.PROPENSITY), model_row(ModelKind.SCORECARD)
    run = ScoreRun.objects.create(
        as_of=DAY, propensity_model=p, scorecard_model=s, status="done", customers_scored=5
    )
    old = ScoreRun.objects.create(
        as_of=EARLIER, propensity_model=p, scorecard_model=s, status="done", customers_scored=1
    )
    people = {
        "wang": customer(
            "C001", "王大山", tree["O11"], V1, id_number=ID_NUMBER, phone=PHONE, synthetic=True
        ),
        "li": customer("C002", "李四海", tree["O11"], V1, kind="business"),
        "zhao": customer("C003", "赵小花", tree["O12"], V2),
        "qian": customer("C004", "钱多多", tree["O21"], V1),
        "sun": customer("C005", "孙一", tree["O21"], V1),
    }
    reasons = [
        {
            "model": "propensity",
            "feature": "has_payroll",
            "text": "近12个月有代发工资入账",
            "effect": 0.8,
        },
        {
            "model": "scorecard",
            "feature": "ever_overdue",
            "text": "曾有贷款逾期记录",
            "effect": -12,
        },
    ]
    grades = {"wang": ("A", 0.42, 690), "li": ("A", 0.35, 680), "zhao": ("B", 0.2, 650),
              "qian": ("C", 0.05, 610), "sun": ("D", 0.3, 520)}  # fmt: skip
    for key, (grade, propensity, points) in grades.items():
        CustomerScore.objects.create(
            run=run, customer=people[key], as_of=DAY, grade=grade, propensity=propensity,
            points=points, pd=0.02, reasons=reasons if key == "wang" else [],
        )  # fmt: skip
    CustomerScore.objects.create(
        run=old, customer=people["wang"], as_of=EARLIER, grade="B", propensity=0.2, points=640,
        pd=0.03, reasons=[],
    )  # fmt: skip
    return {"people": people, "run": run, "propensity": p, "scorecard": s}


@pytest.fixture
def admin_user(tree: dict[str, OrgUnit], make_user: Callable[..., User]) -> User:
    return make_user("sysadmin", tree["HQ"], Role.ADMIN, full_name="系统管理员")


def get(client: Client, name: str, *args: Any, **query: Any) -> Any:
    return client.get(reverse(name, args=args), query)


# ---- who may open what ------------------------------------------------------------------


PAGES = ["scoring:customers", "scoring:grades", "scoring:models", "scoring:imports", "scoring:runs"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", [200, 200, 200, 403, 403]),
        ("branch_head", [200, 200, 200, 403, 403]),
        ("risk_officer", [200, 200, 200, 200, 200]),
        ("admin_user", [200, 200, 200, 200, 200]),
        ("outsider", [403, 403, 403, 403, 403]),
    ],
)
def test_each_page_opens_for_its_roles_only(
    who: str, expected: list[int], request: pytest.FixtureRequest, login: Callable[..., Client],
    scored: dict[str, Any],
) -> None:  # fmt: skip
    client = login(request.getfixturevalue(who))
    assert [get(client, name).status_code for name in PAGES] == expected


def test_a_manager_may_neither_import_nor_run_nor_approve(
    manager: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    client = login(manager)
    model = scored["propensity"]
    assert client.post(reverse("scoring:imports")).status_code == 403
    assert client.post(reverse("scoring:runs"), {"as_of": "2026-11-01"}).status_code == 403
    answer = client.post(reverse("scoring:model_decide", args=[model.pk]), {"decision": "approve"})
    assert answer.status_code == 403
    model.refresh_from_db()
    assert model.status == ModelStatus.PENDING


# ---- the customer list ------------------------------------------------------------------


def names_in(answer: Any) -> list[str]:
    return [c.name for c in answer.context["page"].object_list]


def test_the_list_shows_the_latest_grade_and_masks_personal_data(
    manager: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    answer = get(login(manager), "scoring:customers")
    text = answer.content.decode()
    # His outlet (O11) only, best grade first then by propensity: A 0.42, A 0.35.
    assert names_in(answer) == ["王大山", "李四海"]
    assert ID_NUMBER not in text and PHONE not in text
    assert "110101********1234" in text and "139****5678" in text
    assert "42.0%" in text and ">690<" in text
    assert text.count("synthetic-badge") == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"grade": "A"}, ["王大山", "李四海"]),
        ({"grade": "B"}, ["赵小花"]),
        ({"village": V2[0]}, ["赵小花"]),
        ({"kind": "business"}, ["李四海"]),
        ({"q": "C003"}, ["赵小花"]),
        ({"q": "大山"}, ["王大山"]),
        ({"unit": "O12"}, ["赵小花"]),
        ({"grade": "Z"}, ["王大山", "李四海", "赵小花"]),
    ],
)
def test_the_list_filters(
    query: dict[str, str], expected: list[str], branch_head: User,
    tree: dict[str, OrgUnit], login: Callable[..., Client], scored: dict[str, Any],
) -> None:  # fmt: skip
    if "unit" in query:
        query = {"unit": str(tree[query["unit"]].pk)}
    assert names_in(get(login(branch_head), "scoring:customers", **query)) == expected


def test_customers_not_scored_that_day_come_last_and_are_not_in_a_grade(
    manager: User, tree: dict[str, OrgUnit], login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    customer("C009", "新客户", tree["O11"], V1)
    client = login(manager)
    answer = get(client, "scoring:customers")
    assert names_in(answer) == ["王大山", "李四海", "新客户"]
    assert [c.grade for c in answer.context["page"].object_list] == ["A", "A", None]
    assert names_in(get(client, "scoring:customers", grade="A")) == ["王大山", "李四海"]


def test_the_risk_officer_at_head_office_sees_every_branch(
    risk_officer: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    answer = get(login(risk_officer), "scoring:customers")
    assert names_in(answer) == ["王大山", "李四海", "赵小花", "钱多多", "孙一"]


def test_an_empty_list_explains_how_to_get_scores(
    manager: User, login: Callable[..., Client]
) -> None:
    text = get(login(manager), "scoring:customers").content.decode()
    assert "还没有存量客户数据" in text and "批量评分" in text


# ---- the score card ---------------------------------------------------------------------


def test_the_score_card_says_why_the_customer_was_chosen(
    manager: User, login: Callable[..., Client], scored: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    values = {
        "txn_count_90d": 37.0,
        "has_payroll": 1.0,
        "avg_balance_3m": 12345.6,
        "age": None,
        "months_since_last_loan": 999.0,
    }
    monkeypatch.setattr(services, "feature_values", lambda customer, as_of: values)
    wang = scored["people"]["wang"]
    answer = get(login(manager), "scoring:customer", wang.pk)
    text = answer.content.decode()
    assert "为什么选中该客户" in text
    assert "近12个月有代发工资入账" in text and "曾有贷款逾期记录" in text
    assert "优先上门走访" in text  # the meaning of grade A
    assert [s.as_of for s in answer.context["history"]] == [DAY, EARLIER]
    shown = {f["label"]: f["value"] for f in answer.context["features"]}
    assert shown == {
        "近90天交易笔数": "37",
        "代发工资客户": "是",
        "近3个月日均存款": "12,345.60 元",
        "年龄": "—",
        "距最近一笔贷款月数": "从未贷款",
    }
    assert ID_NUMBER not in text and "110101********1234" in text


def test_another_branchs_customer_is_not_found(
    colleague: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    wang = scored["people"]["wang"]
    assert get(login(colleague), "scoring:customer", wang.pk).status_code == 404


# ---- grade distribution -----------------------------------------------------------------


def test_grades_by_branch_and_village_with_shares(
    risk_officer: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    answer = get(login(risk_officer), "scoring:grades")
    branch, village = answer.context["sections"]
    # 一支行: A 2, B 1 of 3; 二支行: C 1, D 1 of 2.
    by_branch = {r["label"]: [(c["count"], round(c["share"], 4)) for c in r["cells"]]
                 for r in branch["rows"]}  # fmt: skip
    assert by_branch == {
        "一支行": [(2, 0.6667), (1, 0.3333), (0, 0.0), (0, 0.0)],
        "二支行": [(0, 0.0), (0, 0.0), (1, 0.5), (1, 0.5)],
    }
    by_village = {r["label"]: r["total"] for r in village["rows"]}
    assert by_village == {"多福巷村": 4, "东四村": 1}
    assert answer.context["totals"] == {"A": 2, "B": 1, "C": 1, "D": 1}
    text = answer.content.decode()
    data = json.loads(
        text.split('id="grade-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["branch"]["categories"] == ["一支行", "二支行"]
    assert data["branch"]["series"][0] == {"grade": "A", "data": [2, 0]}
    assert "66.7%" in text


def test_grades_of_an_earlier_date_and_in_the_managers_scope(
    manager: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    answer = get(login(manager), "scoring:grades", as_of=EARLIER.isoformat())
    assert answer.context["as_of"] == EARLIER
    assert answer.context["totals"] == {"A": 0, "B": 1, "C": 0, "D": 0}
    answer = get(login(manager), "scoring:grades")  # his outlet O11: 王大山, 李四海
    assert answer.context["totals"] == {"A": 2, "B": 0, "C": 0, "D": 0}


# ---- models and approval ----------------------------------------------------------------


def test_the_model_page_shows_metrics_gains_and_monitoring(
    risk_officer: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    model = scored["scorecard"]
    model.points_table = [
        {"feature": "has_payroll", "bin": "[0, 1)", "points": 10, "woe": -0.3, "count": 50,
         "event_rate": 0.08},
        {"feature": "has_payroll", "bin": "[1, inf)", "points": 35, "woe": 0.6, "count": 20,
         "event_rate": 0.02},
    ]  # fmt: skip
    model.save()
    MonitoringReport.objects.create(
        model=model, as_of=DAY, psi_score=0.31, drift=True,
        psi_features={"txn_count_90d": 0.05, "has_payroll": 0.4},
    )  # fmt: skip
    answer = get(login(risk_officer), "scoring:model", model.pk)
    text = answer.content.decode()
    metrics = {m["key"]: m["value"] for m in answer.context["metrics"]}
    assert metrics["auc"] == "0.812" and metrics["capture_10"] == "31.0%"
    assert metrics["capture_20"] == "—"
    assert 'id="gains-data"' in text and 'id="gains-chart"' in text
    assert text.count("代发工资客户") >= 2  # features list and the points table
    assert answer.context["monitoring"][0]["top"][0] == {"label": "代发工资客户", "psi": 0.4}
    assert "发生漂移" in text
    assert 'id="approve-model"' in text and "data-confirm" in text


def test_the_risk_officer_approves_through_the_page(
    risk_officer: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    older = model_row(ModelKind.PROPENSITY, version=0, status=ModelStatus.APPROVED)
    model = scored["propensity"]
    client = login(risk_officer)
    answer = client.post(
        reverse("scoring:model_decide", args=[model.pk]),
        {"decision": "approve", "note": "区分能力达标"},
        follow=True,
    )
    assert answer.redirect_chain[-1][0] == reverse("scoring:model", args=[model.pk])
    model.refresh_from_db()
    older.refresh_from_db()
    assert (model.status, model.decided_by, model.decision_note) == (
        ModelStatus.APPROVED, risk_officer, "区分能力达标"
    )  # fmt: skip
    assert older.status == ModelStatus.RETIRED
    assert 'id="approve-model"' not in answer.content.decode()


def test_the_trainer_cannot_approve_his_own_model(
    risk_officer: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    model = scored["scorecard"]
    model.trained_by = risk_officer
    model.save()
    answer = login(risk_officer).post(
        reverse("scoring:model_decide", args=[model.pk]), {"decision": "approve"}
    )
    assert answer.status_code == 409
    assert "职责分离" in answer.content.decode()
    model.refresh_from_db()
    assert model.status == ModelStatus.PENDING


def test_rejecting_needs_a_note(
    risk_officer: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    model = scored["scorecard"]
    client = login(risk_officer)
    url = reverse("scoring:model_decide", args=[model.pk])
    answer = client.post(url, {"decision": "reject", "note": " "})
    assert answer.status_code == 422 and "否决模型须填写审批意见" in answer.content.decode()
    client.post(url, {"decision": "reject", "note": "KS 偏低"})
    model.refresh_from_db()
    assert (model.status, model.decision_note) == (ModelStatus.REJECTED, "KS 偏低")


def test_the_model_list(
    manager: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    text = get(login(manager), "scoring:models").content.decode()
    assert "借款意愿模型 v1" in text and "信用评分卡 v1" in text and "0.812" in text
    assert "2 个模型待审批" in text


# ---- imports ----------------------------------------------------------------------------


def test_upload_a_customer_file_with_a_bad_row_and_download_the_report(
    admin_user: User, login: Callable[..., Client], tree: dict[str, OrgUnit], stock_dir: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    rows = [
        {"customer_no": "K1", "name": "周大福", "kind": "farmer", "org_code": "O11",
         "opened_on": "2015-03-01", "phone": PHONE},
        {"customer_no": "K2", "name": "吴二", "kind": "farmer", "org_code": "NOPE",
         "opened_on": "2016-03-01"},
    ]  # fmt: skip
    path = write_frame(rows, tmp_path / "khxx.csv")
    client = login(admin_user)
    with path.open("rb") as handle:
        answer = client.post(
            reverse("scoring:imports"), {"table": "customers", "file": handle}, follow=True
        )
    batch = ImportBatch.objects.get()
    assert answer.redirect_chain[-1][0] == reverse("scoring:import", args=[batch.pk])
    assert (batch.rows_accepted, batch.rows_rejected, batch.created_by) == (1, 1, admin_user)
    text = answer.content.decode()
    assert "khxx.csv" in text and "NOPE" in text and 'id="report-download"' in text
    report = client.get(reverse("scoring:import_report", args=[batch.pk]))
    assert report.status_code == 200
    assert "NOPE" in b"".join(report.streaming_content).decode("utf-8-sig")
    assert list(StockCustomer.objects.values_list("customer_no", flat=True)) == ["K1"]
    listing = get(client, "scoring:imports").content.decode()
    assert "khxx.csv" in listing


def test_an_upload_of_an_unknown_table_shows_the_error(
    admin_user: User, login: Callable[..., Client], stock_dir: Path, tmp_path: Path
) -> None:
    path = write_frame([{"a": 1}], tmp_path / "whatever.csv")
    with path.open("rb") as handle:
        answer = login(admin_user).post(reverse("scoring:imports"), {"file": handle})
    assert answer.status_code == 400 and "无法确定数据表" in answer.content.decode()


def test_a_batch_without_report_has_no_download(
    risk_officer: User, login: Callable[..., Client], stock_dir: Path
) -> None:
    batch = ImportBatch.objects.create(table="customers", file_name="a.csv", file_format="csv",
                                       sha256="x")  # fmt: skip
    client = login(risk_officer)
    assert get(client, "scoring:import_report", batch.pk).status_code == 404
    batch.report_path = "../../etc/passwd"
    batch.save()
    assert get(client, "scoring:import_report", batch.pk).status_code == 404


# ---- runs -------------------------------------------------------------------------------


def test_runs_list_their_grade_counts(
    risk_officer: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    run = scored["run"]
    run.grade_counts = {"A": 2, "B": 1, "C": 1, "D": 1}
    run.seconds = 1.25
    run.save()
    answer = get(login(risk_officer), "scoring:runs")
    text = answer.content.decode()
    assert [r.as_of for r in answer.context["page"].object_list] == [DAY, EARLIER]
    assert "2026-10-31" in text and 'data-grade="A"' in text
    assert 'id="run-form"' not in text  # 风险合规 approves; the administrator runs


def test_running_without_approved_models_says_so(
    admin_user: User, login: Callable[..., Client], scored: dict[str, Any]
) -> None:
    answer = login(admin_user).post(reverse("scoring:runs"), {"as_of": "2026-11-30"})
    assert answer.status_code == 409
    assert "没有已批准的借款意愿模型" in answer.content.decode()
    assert not ScoreRun.objects.filter(as_of=dt.date(2026, 11, 30)).exists()


def test_running_needs_a_date(admin_user: User, login: Callable[..., Client]) -> None:
    answer = login(admin_user).post(reverse("scoring:runs"), {"as_of": "31/11"})
    assert answer.status_code == 400 and "请输入评分日期" in answer.content.decode()
