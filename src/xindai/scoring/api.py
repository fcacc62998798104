"""Precision-marketing scoring over REST (``/api/v1/scoring``): the model registry (list,
detail, approval or rejection by 风险合规, training), batch score runs, the stock customers
with their grade (ID numbers and phones masked), a customer's score card with its reasons, the
grade distribution by branch and village, stock-data imports and drift monitoring.

A rule that says no (approving a model that is not pending, the trainer approving his own
model, scoring without approved models) answers 409 ``{code, message, details}``; bad input
(a date that is not one, a wrong table) 400 or 422."""

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.errors import InvalidInput
from xindai.core.masking import mask_id_number, mask_phone
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.scoring import importer, queries, services
from xindai.scoring.features import FEATURE_LABELS
from xindai.scoring.models import (
    CustomerScore,
    ImportBatch,
    ModelKind,
    ModelStatus,
    MonitoringReport,
    ScoreRun,
    ScoringModel,
    StockTable,
)

router = Router(tags=["精准营销评分"])

VIEW_CUSTOMERS = "scoring.view_stockcustomer"
VIEW_SCORES = "scoring.view_customerscore"
VIEW_MODELS = "scoring.view_scoringmodel"
VIEW_RUNS = "scoring.view_scorerun"
VIEW_IMPORTS = "scoring.view_importbatch"
VIEW_MONITORING = "scoring.view_monitoringreport"
IMPORT = "scoring.import_stock"


# ---- schemas -------------------------------------------------------------------------------


class ModelOut(Schema):
    id: int
    kind: str
    kind_label: str
    version: int
    status: str
    status_label: str
    trained_as_of: dt.date
    data_fingerprint: str
    features: list[str]
    params: dict[str, Any]
    metrics: dict[str, Any] = Field(description="auc, ks, gini, capture_10, capture_20, ...")
    gains: list[list[float]] = Field(description="累积捕获曲线 [[客户占比, 捕获率], ...]")
    artifact: str
    artifact_sha256: str
    trained_by: str | None
    trained_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str
    baseline: dict[str, Any] | None = None
    points_table: list[dict[str, Any]] | None = None


class ModelFilter(PageQuery):
    kind: str = Field("", description="propensity 借款意愿模型 / scorecard 信用评分卡")
    status: str = Field("", description="pending / approved / rejected / retired")


class DecisionIn(Schema):
    note: str = Field("", max_length=500, description="审批意见（否决时必填）")


class DateIn(Schema):
    as_of: dt.date = Field(description="数据截止日 YYYY-MM-DD")


class TrainOut(Schema):
    propensity: ModelOut
    scorecard: ModelOut


class RunOut(Schema):
    id: int
    as_of: dt.date
    status: str
    customers_scored: int
    customers_opted_out: int
    grade_counts: dict[str, int]
    seconds: float
    propensity_model: int
    scorecard_model: int
    started_by: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None


class CustomerFilter(PageQuery):
    grade: str = Field("", description="A / B / C / D")
    org: int | None = Field(None, description="机构 id（含下级）")
    village: str = Field("", description="村代码（12位）")
    q: str = Field("", description="客户名称或客户号")
    kind: str = Field("", description="farmer / business / enterprise")
    as_of: dt.date | None = Field(None, description="评分日期（默认最近一次）")


class CustomerOut(Schema):
    id: int
    customer_no: str
    name: str
    kind: str
    id_number: str = Field(description="已脱敏")
    phone: str = Field(description="已脱敏")
    org_unit: str
    org_unit_id: int
    village_code: str
    village_name: str
    opted_out: bool
    grade: str | None
    propensity: float | None
    points: int | None


class CustomerPage(Paged[CustomerOut]):
    as_of: dt.date | None


class ReasonOut(Schema):
    model: str
    feature: str
    label: str
    text: str
    effect: float


class FeatureOut(Schema):
    feature: str
    label: str
    value: float | None


class ScoreCardOut(Schema):
    customer: CustomerOut
    as_of: dt.date | None
    grade: str | None
    grade_label: str | None
    propensity: float | None
    points: int | None
    pd: float | None
    reasons: list[ReasonOut]
    features: list[FeatureOut]


class GradeRow(Schema):
    key: Any
    label: str
    total: int
    counts: dict[str, int]


class GradesOut(Schema):
    as_of: dt.date | None
    totals: dict[str, int]
    by_branch: list[GradeRow]
    by_village: list[GradeRow]


class GradesQuery(Schema):
    as_of: dt.date | None = Field(None, description="评分日期（默认最近一次）")


class ImportOut(Schema):
    id: int
    table: str
    file_name: str
    file_format: str
    sha256: str
    status: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_new: int
    rows_updated: int
    errors: list[dict[str, Any]]
    message: str
    started_at: dt.datetime
    finished_at: dt.datetime | None


class MonitoringOut(Schema):
    id: int
    model: int
    model_name: str
    as_of: dt.date
    psi_score: float
    psi_features: dict[str, float]
    level: str = Field(description="stable 稳定 (<0.1) / watch 关注 (0.1–0.25) / drift 漂移")
    drift: bool


class MonitoringFilter(PageQuery):
    model: int | None = None
    as_of: dt.date | None = None


# ---- shaping -------------------------------------------------------------------------------


def _name(user: Any) -> str | None:
    return str(user) if user is not None else None


def model_of(model: ScoringModel, full: bool = False) -> dict[str, Any]:
    found = {
        "id": model.pk,
        "kind": model.kind,
        "kind_label": str(model.get_kind_display()),
        "version": model.version,
        "status": model.status,
        "status_label": str(model.get_status_display()),
        "trained_as_of": model.trained_as_of,
        "data_fingerprint": model.data_fingerprint,
        "features": model.features,
        "params": model.params,
        "metrics": model.metrics,
        "gains": model.gains,
        "artifact": model.artifact,
        "artifact_sha256": model.artifact_sha256,
        "trained_by": _name(model.trained_by),
        "trained_at": model.trained_at,
        "decided_by": _name(model.decided_by),
        "decided_at": model.decided_at,
        "decision_note": model.decision_note,
    }
    if full:
        found |= {"baseline": model.baseline, "points_table": model.points_table}
    return found


def run_of(run: ScoreRun) -> dict[str, Any]:
    return services.run_summary(run) | {
        "as_of": run.as_of,
        "started_by": _name(run.started_by),
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }


def customer_of(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "customer_no": c.customer_no,
        "name": c.name,
        "kind": c.kind,
        "id_number": mask_id_number(c.id_number),
        "phone": mask_phone(c.phone),
        "org_unit": c.org_unit.name,
        "org_unit_id": c.org_unit_id,
        "village_code": c.village_code,
        "village_name": c.village_name,
        "opted_out": c.opted_out_at is not None,
        "grade": getattr(c, "grade", None),
        "propensity": getattr(c, "propensity", None),
        "points": getattr(c, "points", None),
    }


def _grade_row(row: dict[str, Any]) -> dict[str, Any]:
    counts = {cell["grade"]: cell["count"] for cell in row["cells"]}
    return {"key": row["key"], "label": str(row["label"]), "total": row["total"], "counts": counts}


def _model(model_id: int) -> ScoringModel:
    return get_object_or_404(
        ScoringModel.objects.select_related("trained_by", "decided_by"), pk=model_id
    )


def _as_of(requested: dt.date | None) -> dt.date | None:
    if requested is not None:
        return requested
    run = services.latest_run()
    return run.as_of if run else None


# ---- the model registry --------------------------------------------------------------------


@router.get(
    "/models",
    response=Paged[ModelOut],
    summary="模型列表（版本、状态、指标）",
    auth=requires(VIEW_MODELS),
)
def list_models(request: HttpRequest, filters: Query[ModelFilter]) -> dict[str, Any]:
    found = ScoringModel.objects.select_related("trained_by", "decided_by")
    if filters.kind in ModelKind.values:
        found = found.filter(kind=filters.kind)
    if filters.status in ModelStatus.values:
        found = found.filter(status=filters.status)
    page = paged(found.order_by("kind", "-version"), filters)
    return page | {"items": [model_of(m) for m in page["items"]]}


@router.get(
    "/models/{model_id}",
    response=ModelOut,
    summary="模型详情（含基准分布和评分卡分值表）",
    auth=requires(VIEW_MODELS),
)
def get_model(request: HttpRequest, model_id: int) -> dict[str, Any]:
    return model_of(_model(model_id), full=True)


@router.post(
    "/models/{model_id}/approve",
    response=ModelOut,
    summary="批准模型投入使用（风险合规；训练人不得审批）",
    auth=requires(services.APPROVE),
)
def approve(request: HttpRequest, model_id: int, body: DecisionIn) -> dict[str, Any]:
    services.approve_model(_model(model_id), user=request.user, note=body.note)
    return model_of(_model(model_id), full=True)


@router.post(
    "/models/{model_id}/reject",
    response=ModelOut,
    summary="否决模型（须填写意见）",
    auth=requires(services.APPROVE),
)
def reject(request: HttpRequest, model_id: int, body: DecisionIn) -> dict[str, Any]:
    services.reject_model(_model(model_id), user=request.user, note=body.note)
    return model_of(_model(model_id), full=True)


@router.post(
    "/train",
    response={201: TrainOut},
    summary="以某日数据训练借款意愿模型和信用评分卡（待审批）",
    auth=requires(services.TRAIN),
)
def train(request: HttpRequest, body: DateIn) -> Status[dict[str, Any]]:
    propensity, scorecard = services.train_models(body.as_of, user=request.user)
    return Status(201, {"propensity": model_of(propensity), "scorecard": model_of(scorecard)})


# ---- batch scoring -------------------------------------------------------------------------


@router.post(
    "/runs",
    response={201: RunOut},
    summary="运行某日的批量评分（同一日期再运行即替换）",
    auth=requires(services.RUN),
)
def create_run(request: HttpRequest, body: DateIn) -> Status[dict[str, Any]]:
    run = services.run_scoring(body.as_of, user=request.user, progress=False)
    return Status(201, run_of(ScoreRun.objects.select_related("started_by").get(pk=run.pk)))


@router.get(
    "/runs",
    response=Paged[RunOut],
    summary="批量评分记录",
    auth=requires(VIEW_RUNS),
)
def list_runs(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    page = paged(ScoreRun.objects.select_related("started_by").order_by("-as_of"), filters)
    return page | {"items": [run_of(r) for r in page["items"]]}


# ---- customers and grades ------------------------------------------------------------------


@router.get(
    "/customers",
    response=CustomerPage,
    summary="存量客户及评分等级（证件号、电话已脱敏）",
    auth=requires(VIEW_CUSTOMERS),
)
def list_customers(request: HttpRequest, filters: Query[CustomerFilter]) -> dict[str, Any]:
    as_of = _as_of(filters.as_of)
    mine = queries.with_score(services.visible_stock_customers(request.user), as_of)
    params = filters.dict() | {"unit": filters.org}
    page = paged(queries.ordered(queries.filtered(mine, params)), filters)
    return page | {"items": [customer_of(c) for c in page["items"]], "as_of": as_of}


@router.get(
    "/customers/{customer_id}/score",
    response=ScoreCardOut,
    summary="客户评分卡：最近一次评分、等级、理由和特征值",
    auth=requires(VIEW_SCORES),
)
def customer_score(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    customer = get_object_or_404(services.visible_stock_customers(request.user), pk=customer_id)
    card = services.score_card(customer)
    score: CustomerScore | None = card["score"]
    reasons = [
        {
            "model": r.get("model", ""),
            "feature": r.get("feature", ""),
            "label": str(FEATURE_LABELS.get(r.get("feature", ""), r.get("feature", ""))),
            "text": r.get("text", ""),
            "effect": float(r.get("effect") or 0),
        }
        for r in (score.reasons if score else [])
    ]
    return {
        "customer": customer_of(customer),
        "as_of": score.as_of if score else None,
        "grade": score.grade if score else None,
        "grade_label": str(score.get_grade_display()) if score else None,
        "propensity": score.propensity if score else None,
        "points": score.points if score else None,
        "pd": score.pd if score else None,
        "reasons": reasons,
        "features": [
            {"feature": name, "label": str(FEATURE_LABELS.get(name, name)), "value": value}
            for name, value in card["features"].items()
        ],
    }


@router.get(
    "/grades",
    response=GradesOut,
    summary="客户等级分布（按支行、按村）",
    auth=requires(VIEW_SCORES),
)
def grades(request: HttpRequest, query: Query[GradesQuery]) -> dict[str, Any]:
    as_of = _as_of(query.as_of)
    mine = CustomerScore.objects.filter(customer__in=services.visible_stock_customers(request.user))
    scores = mine.filter(as_of=as_of) if as_of is not None else mine.none()
    return {
        "as_of": as_of,
        "totals": queries.totals(scores),
        "by_branch": [_grade_row(r) for r in queries.by_branch(scores)],
        "by_village": [_grade_row(r) for r in queries.by_village(scores)],
    }


# ---- imports and monitoring ----------------------------------------------------------------


@router.get(
    "/imports",
    response=Paged[ImportOut],
    summary="存量数据导入批次",
    auth=requires(VIEW_IMPORTS),
)
def list_imports(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    return paged(ImportBatch.objects.order_by("-started_at", "-pk"), filters)


@router.post(
    "/imports",
    response={201: ImportOut},
    summary="导入存量数据文件（CSV 或 Parquet；table 缺省时按文件名识别）",
    auth=requires(IMPORT),
)
def create_import(
    request: HttpRequest, file: File[UploadedFile], table: Form[str] = ""
) -> Status[ImportBatch]:
    if table and table not in StockTable.values:
        raise InvalidInput(
            gettext("数据表不正确：%(table)s") % {"table": table},
            details={"table": list(StockTable.values)},
        )
    name = Path(file.name or "upload.csv").name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        batch = importer.import_file(path, table or None, user=request.user)
    return Status(201, batch)


@router.get(
    "/monitoring",
    response=Paged[MonitoringOut],
    summary="模型监测（评分和主要特征的 PSI，漂移预警）",
    auth=requires(VIEW_MONITORING),
)
def list_monitoring(request: HttpRequest, filters: Query[MonitoringFilter]) -> dict[str, Any]:
    found = MonitoringReport.objects.select_related("model").order_by("-as_of", "model__kind")
    if filters.model is not None:
        found = found.filter(model_id=filters.model)
    if filters.as_of is not None:
        found = found.filter(as_of=filters.as_of)
    page = paged(found, filters)
    return page | {"items": [services.report_summary(r) for r in page["items"]]}
