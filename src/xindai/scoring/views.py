"""Pages of 存量客户评分: the scored customers and a customer's score card with its reasons, the
grade distribution by branch and village, the model registry with approval by 风险合规, the
imports of core-system data and the batch score runs."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError, InvalidInput
from xindai.core.paging import page_of
from xindai.customers.models import CustomerKind
from xindai.org.models import OrgUnit
from xindai.org.scope import visible
from xindai.scoring import importer, queries, services
from xindai.scoring.features import FEATURE_LABELS, NO_LOAN_MONTHS
from xindai.scoring.models import (
    CustomerScore,
    Grade,
    ImportBatch,
    ModelKind,
    ModelStatus,
    MonitoringReport,
    ScoreRun,
    ScoringModel,
    StockTable,
)

VIEW_CUSTOMERS = "scoring.view_stockcustomer"
VIEW_SCORES = "scoring.view_customerscore"
VIEW_MODELS = "scoring.view_scoringmodel"
APPROVE = "scoring.approve_model"
VIEW_IMPORTS = "scoring.view_importbatch"
IMPORT = "scoring.import_stock"
VIEW_RUNS = "scoring.view_scorerun"
RUN = "scoring.run_scoring"
VIEW_MONITORING = "scoring.view_monitoringreport"

GRADE_MEANINGS: dict[str, Any] = {
    Grade.A: _("借款意愿高且信用评分好：优先上门走访，主动授信。"),
    Grade.B: _("借款意愿高但信用一般，或意愿中等而信用好：结合农时和产品择机营销。"),
    Grade.C: _("借款意愿较低：先维护关系、补全档案，培育需求。"),
    Grade.D: _("信用评分低或曾有违约：暂不主动营销。"),
}


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None


def _labels(names: Any) -> list[dict[str, Any]]:
    return [{"name": n, "label": FEATURE_LABELS.get(n, n)} for n in names or []]


@requires(VIEW_CUSTOMERS)
def customer_list(request: HttpRequest) -> HttpResponse:
    mine = services.visible_stock_customers(request.user)
    run = services.latest_run()
    found = queries.ordered(
        queries.filtered(queries.with_score(mine, run.as_of if run else None), request.GET)
    )
    context = {
        "page": page_of(found, request.GET.get("page")),
        "filters": {key: request.GET.get(key, "") for key in queries.FILTERS},
        "run": run,
        "grades": Grade.choices,
        "kinds": CustomerKind.choices,
        "units": visible(OrgUnit.objects.all(), request.user, unit_field=None).order_by("path"),
        "villages": queries.villages(mine),
        "any_customer": mine.exists(),
    }
    return render(request, "scoring/customers.html", context)


@requires(VIEW_CUSTOMERS)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(services.visible_stock_customers(request.user), pk=pk)
    history = list(customer.scores.order_by("-as_of")[:24])
    score = history[0] if history else None
    context = {
        "customer": customer,
        "score": score,
        "history": history,
        "reasons": _reasons(score.reasons if score else []),
        "features": _features(customer, score),
        "meaning": GRADE_MEANINGS.get(score.grade) if score else None,
        "meanings": [(g, label, GRADE_MEANINGS[g]) for g, label in Grade.choices],
        "may_see_archive": request.user.has_perm("customers.view_customer"),
        "cross_sell": _cross_sell(customer),
    }
    return render(request, "scoring/customer.html", context)


def _cross_sell(customer: Any) -> list[Any] | None:
    """What to offer next by product role (None for a customer who refused personalised
    marketing: no automated recommendation about him)."""
    from xindai.marketing.crosssell import cross_sell

    if customer.opted_out_at is not None:
        return None
    return cross_sell(customer)


def _reasons(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kinds = dict(ModelKind.choices)
    return [
        {
            "text": r.get("text", ""),
            "label": FEATURE_LABELS.get(r.get("feature", ""), ""),
            "model_label": kinds.get(r.get("model", ""), ""),
            "up": float(r.get("effect") or 0) > 0,
        }
        for r in reasons
    ]


def _features(customer: Any, score: Any) -> list[dict[str, Any]]:
    """The customer's feature values on his latest score date, labelled in Chinese."""
    if score is None:
        return []
    values = services.score_card(customer).get("features") or {}
    return [
        {"name": name, "label": FEATURE_LABELS.get(name, name), "value": _shown(name, value)}
        for name, value in values.items()
    ]


AMOUNTS = frozenset(
    {
        "txn_in_amount_90d",
        "txn_out_amount_90d",
        "avg_balance_3m",
        "avg_balance_12m",
        "remittance_in_12m",
        "loan_balance_proxy",
    }
)
FLAGS = ("has_", "is_", "ever_")


def _shown(name: str, value: float | None) -> str:
    """A feature value as staff read it: 是/否 for flags, 元 for amounts, % for shares."""
    if value is None:
        return "—"
    if name == "months_since_last_loan" and value >= NO_LOAN_MONTHS:
        return gettext("从未贷款")
    if name.startswith(FLAGS):
        return gettext("是") if value else gettext("否")
    if name in AMOUNTS:
        return f"{value:,.2f} " + gettext("元")
    if name == "archive_completeness":
        return f"{value:.0%}"
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".")


@requires(VIEW_SCORES)
def grades(request: HttpRequest) -> HttpResponse:
    dates = queries.run_dates()
    as_of = _date(request.GET.get("as_of"))
    if as_of not in dates:
        as_of = dates[0] if dates else None
    scores = (
        CustomerScore.objects.filter(
            as_of=as_of, customer__in=services.visible_stock_customers(request.user)
        )
        if as_of is not None
        else CustomerScore.objects.none()
    )
    branches, villages = queries.by_branch(scores), queries.by_village(scores)
    context = {
        "as_of": as_of,
        "dates": dates,
        "totals": queries.totals(scores),
        "sections": [
            {
                "key": "branch",
                "title": gettext("按机构"),
                "column": gettext("机构"),
                "rows": branches,
                "height": 120 + 28 * len(branches),
            },
            {
                "key": "village",
                "title": gettext("按村（客户数最多的30个村）"),
                "column": gettext("村"),
                "rows": villages,
                "height": 120 + 28 * len(villages),
            },
        ],
        "grades": Grade.choices,
        "charts": {
            "branch": queries.chart_series(branches),
            "village": queries.chart_series(villages),
        },
    }
    return render(request, "scoring/grades.html", context)


@requires(VIEW_MODELS)
def model_list(request: HttpRequest) -> HttpResponse:
    models = ScoringModel.objects.select_related("trained_by", "decided_by")
    context = {
        "models": models,
        "kinds": ModelKind.choices,
        "pending": models.filter(status=ModelStatus.PENDING).count(),
    }
    return render(request, "scoring/models.html", context)


@requires(VIEW_MODELS)
def model_detail(request: HttpRequest, pk: int, error: DomainError | None = None) -> HttpResponse:
    model = get_object_or_404(
        ScoringModel.objects.select_related("trained_by", "decided_by"), pk=pk
    )
    may_monitor = request.user.has_perm(VIEW_MONITORING)
    context = {
        "model": model,
        "features": _labels(model.features),
        "points_rows": [
            row | {"label": FEATURE_LABELS.get(row.get("feature", ""), row.get("feature", ""))}
            for row in model.points_table or []
        ],
        "chart": {
            "gains": model.gains,
            "labels": {
                "x": gettext("按评分从高到低覆盖的客户比例"),
                "model": gettext("模型捕获"),
                "random": gettext("随机选择"),
            },
        },
        "may_approve": request.user.has_perm(APPROVE) and model.status == ModelStatus.PENDING,
        "metrics": _metrics(model.metrics or {}),
        "params": [(key, _param_text(value)) for key, value in sorted(model.params.items())],
        "monitoring": _monitoring(model) if may_monitor else None,
        "error": error,
        "note": request.POST.get("note", "") if request.method == "POST" else "",
    }
    return render(request, "scoring/model.html", context, status=error.status if error else 200)


METRICS = (
    ("auc", "AUC", "{:.3f}"),
    ("ks", "KS", "{:.3f}"),
    ("gini", "Gini", "{:.3f}"),
    ("capture_10", _("前10%捕获率"), "{:.1%}"),
    ("capture_20", _("前20%捕获率"), "{:.1%}"),
    ("event_rate", _("目标事件率"), "{:.1%}"),
)


def _metrics(values: dict[str, Any]) -> list[dict[str, Any]]:
    shown = []
    for key, label, fmt in METRICS:
        value = values.get(key)
        shown.append(
            {"key": key, "label": label, "value": "—" if value is None else fmt.format(value)}
        )
    return shown


def _monitoring(model: ScoringModel) -> list[dict[str, Any]]:
    """The latest reports, each with the three features that drifted most."""
    rows = []
    for report in MonitoringReport.objects.filter(model=model)[:12]:
        top = sorted((report.psi_features or {}).items(), key=lambda kv: -kv[1])[:3]
        rows.append(
            {
                "as_of": report.as_of,
                "psi_score": report.psi_score,
                "drift": report.drift,
                "top": [{"label": FEATURE_LABELS.get(n, n), "psi": v} for n, v in top],
            }
        )
    return rows


def _param_text(value: Any) -> str:
    """A training parameter for the page: nested values as JSON, floats to 4 places."""

    def rounded(v: Any) -> Any:
        if isinstance(v, float):
            return round(v, 4)
        if isinstance(v, dict):
            return {k: rounded(x) for k, x in v.items()}
        if isinstance(v, list):
            return [rounded(x) for x in v]
        return v

    if isinstance(value, dict | list):
        return json.dumps(rounded(value), ensure_ascii=False)
    return str(rounded(value))


@requires(APPROVE)
@require_POST
def model_decide(request: HttpRequest, pk: int) -> HttpResponse:
    model = get_object_or_404(ScoringModel, pk=pk)
    note = request.POST.get("note", "").strip()
    try:
        if request.POST.get("decision") == "approve":
            services.approve_model(model, user=request.user, note=note)
            messages.success(request, gettext("已批准模型，批量评分将使用该版本"))
        elif request.POST.get("decision") == "reject":
            services.reject_model(model, user=request.user, note=note)
            messages.success(request, gettext("已否决模型"))
        else:
            raise InvalidInput(gettext("请选择批准或否决"))
    except DomainError as exc:
        return model_detail(request, pk, error=exc)
    return redirect("scoring:model", pk)


@requires(VIEW_IMPORTS)
def imports(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        if not request.user.has_perm(IMPORT):
            raise PermissionDenied
        try:
            batch = _import_upload(request)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, gettext("已导入文件，请核对导入结果"))
            return redirect("scoring:import", batch.pk)
    context = {
        "page": page_of(ImportBatch.objects.select_related("created_by"), request.GET.get("page")),
        "tables": StockTable.choices,
        "may_import": request.user.has_perm(IMPORT),
        "error": error,
    }
    return render(request, "scoring/imports.html", context, status=error.status if error else 200)


def _import_upload(request: HttpRequest) -> ImportBatch:
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput(gettext("请选择要导入的文件"))
    table = request.POST.get("table") or None
    if table is not None and table not in StockTable.values:
        raise InvalidInput(gettext("数据表不正确"))
    name = Path(upload.name or "upload").name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return importer.import_file(path, table, user=request.user)


@requires(VIEW_IMPORTS)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)
    counts = [
        (gettext("读取行数"), batch.rows_read, "read"),
        (gettext("接收行数"), batch.rows_accepted, "accepted"),
        (gettext("拒绝行数"), batch.rows_rejected, "rejected"),
        (gettext("新增行数"), batch.rows_new, "new"),
        (gettext("更新行数"), batch.rows_updated, "updated"),
    ]
    return render(request, "scoring/import.html", {"batch": batch, "counts": counts})


@requires(VIEW_IMPORTS)
def import_report(request: HttpRequest, pk: int) -> FileResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    root = Path(settings.STOCK_DIR).resolve()
    path = (root / batch.report_path).resolve() if batch.report_path else None
    if path is None or not path.is_relative_to(root) or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@requires(VIEW_RUNS)
def runs(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        if not request.user.has_perm(RUN):
            raise PermissionDenied
        try:
            run = _run(request)
        except DomainError as exc:
            error = exc
        else:
            messages.success(
                request,
                gettext("已完成 %(day)s 的批量评分，共 %(n)s 户")
                % {"day": run.as_of.isoformat(), "n": run.customers_scored},
            )
            return redirect("scoring:runs")
    context = {
        "page": page_of(
            ScoreRun.objects.select_related("propensity_model", "scorecard_model", "started_by"),
            request.GET.get("page"),
        ),
        "grades": Grade.values,
        "may_run": request.user.has_perm(RUN),
        "error": error,
        "as_of": _date(request.POST.get("as_of")) if error else None,
    }
    return render(request, "scoring/runs.html", context, status=error.status if error else 200)


def _run(request: HttpRequest) -> ScoreRun:
    as_of = _date(request.POST.get("as_of"))
    if as_of is None:
        raise InvalidInput(gettext("请输入评分日期"))
    return services.run_scoring(as_of, user=request.user, progress=False)
