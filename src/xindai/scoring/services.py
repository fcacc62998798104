"""Use cases of precision-marketing scoring: training models into the registry, their approval
by 风险合规 (never by the trainer), the batch scoring of one date (跑批, idempotent per date) and
the drift monitoring of the approved models (PSI of the score and of the top features).

The heavy numbers come from ``features`` (DuckDB), ``ml`` and ``domain``; this module loads,
checks, saves and audits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid, InvalidInput
from xindai.org.models import User
from xindai.org.scope import visible
from xindai.scoring import domain, features, ml
from xindai.scoring.models import (
    CustomerScore,
    ModelKind,
    ModelStatus,
    MonitoringReport,
    RunStatus,
    ScoreRun,
    ScoringModel,
    StockCustomer,
)

TRAIN = "scoring.train_model"
APPROVE = "scoring.approve_model"
RUN = "scoring.run_scoring"
MODEL = "scoring.scoringmodel"
SCORE_RUN = "scoring.scorerun"

SEED = 0
TEST_SHARE = 0.25
BINS = 10
TOP_FEATURES = 5
CHUNK = 100_000
PSI_WATCH = 0.1
PSI_DRIFT = 0.25


class ModelRefused(DomainError):
    code = "model_refused"


class ModelNotApproved(DomainError):
    code = "model_not_approved"


class ScoringRefused(DomainError):
    code = "scoring_refused"


def _require(user: Any, permission: str) -> None:
    """``None`` is the system (the CLI, a scheduled job): it may do anything."""
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(permission)


def _staff(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def parse_as_of(text: str | None) -> dt.date:
    """A date given as YYYY-MM-DD (the CLI's ``--as-of``), or a clear error."""
    value = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # 2026-02-30 and the like
            pass
    raise InvalidInput(
        gettext("日期格式应为 YYYY-MM-DD：%(text)s") % {"text": value}, code="bad_date"
    )


def actor_of(username: str | None) -> Any:
    """The active user named on the command line (None: the system)."""
    if not username:
        return None
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise InvalidInput(gettext("没有用户：%(name)s") % {"name": username}, code="no_user")
    return found


# ---- training ------------------------------------------------------------------------------


def feature_frame(as_of: dt.date) -> pd.DataFrame:
    """The features of every customer known on ``as_of`` (a clear error without a store)."""
    try:
        return features.feature_frame(as_of)
    except FileNotFoundError as exc:
        raise InvalidInput(
            gettext("尚未导入存量客户数据（缺少客户表），无法计算特征"), code="no_stock_data"
        ) from exc


def training_frame(as_of: dt.date, horizon_days: int = 180) -> pd.DataFrame:
    """Features of ``as_of`` with the labels of the horizon after it, sorted by customer."""
    frame = feature_frame(as_of)
    labels = features.label_frame(as_of, horizon_days=horizon_days)
    data = frame.merge(labels[["customer_no", "borrowed", "bad"]], on="customer_no", how="inner")
    return data.sort_values("customer_no", kind="stable").reset_index(drop=True)


def fingerprint(data: pd.DataFrame, as_of: dt.date) -> str:
    """sha256 of the training rows (in customer order, fixed columns) and the date."""
    columns = ["customer_no", *features.FEATURES, "borrowed", "bad"]
    # Rounded: DuckDB's parallel sums may differ in the last bits from one run to the next.
    canonical = data[columns].round({name: 6 for name in features.FEATURES}).astype(str)
    digest = hashlib.sha256(as_of.isoformat().encode())
    digest.update("\x1f".join(columns).encode())
    digest.update(pd.util.hash_pandas_object(canonical, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _split(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the training and held-out parts (stratified, fixed seed)."""
    from sklearn.model_selection import train_test_split

    positions = np.arange(len(y))
    if len(y) < 20 or min(int(y.sum()), int(len(y) - y.sum())) < 4:
        raise InvalidInput(
            gettext("训练样本不足：正负样本各至少需要 4 个（共 %(n)s 行）") % {"n": len(y)},
            code="too_few_samples",
        )
    train, test = train_test_split(positions, test_size=TEST_SHARE, random_state=SEED, stratify=y)
    return np.sort(train), np.sort(test)


def evaluate(y: np.ndarray, score: np.ndarray) -> dict[str, float]:
    return {
        "auc": float(domain.auc(y, score)),
        "ks": float(domain.ks(y, score)),
        "gini": float(domain.gini(y, score)),
        "capture_10": float(domain.capture_at(y, score, 0.1)),
        "capture_20": float(domain.capture_at(y, score, 0.2)),
    }


def distribution(values: Any) -> dict[str, list[float]]:
    values = np.asarray(values, dtype=float)
    edges = domain.bin_edges(values, bins=BINS)
    return {
        "edges": [float(e) for e in edges],
        "shares": [float(s) for s in domain.shares(values, edges)],
    }


def _importance(kind: str, model: Any, X: pd.DataFrame) -> list[str]:
    """The features that move the score most: split gain for the propensity model, the spread
    of points between bins for the scorecard."""
    if kind == ModelKind.PROPENSITY:
        weight = dict(model.feature_importance())
    else:
        spread: dict[str, list[int]] = {}
        for row in model.points_table():
            spread.setdefault(row["feature"], []).append(row["points"])
        weight = {name: max(p) - min(p) for name, p in spread.items()}
    ranked = sorted((n for n in weight if n in X.columns), key=lambda n: -weight[n])
    return ranked[:TOP_FEATURES]


def _score_of(kind: str, model: Any, X: pd.DataFrame) -> np.ndarray:
    if kind == ModelKind.PROPENSITY:
        return np.asarray(model.predict(X), dtype=float)
    return np.asarray(model.points(X), dtype=float)


def _baseline(kind: str, model: Any, X: pd.DataFrame) -> dict[str, Any]:
    """What monitoring compares against: the score and top features over the whole population
    of the training date."""
    top = _importance(kind, model, X)
    return {
        "score": distribution(_score_of(kind, model, X)),
        "features": {name: distribution(X[name]) for name in top},
    }


def _fit(kind: str, X: pd.DataFrame, y: np.ndarray) -> tuple[Any, dict[str, Any], list[Any]]:
    """Model trained on the training part, its metrics and gains on the held-out part."""
    train, test = _split(y)
    held_out = X.iloc[test]
    model: Any
    if kind == ModelKind.PROPENSITY:
        model = ml.train_propensity(X.iloc[train], y[train], seed=SEED)
        score = np.asarray(model.predict(held_out), dtype=float)
    else:  # the event is a default: rank by the default probability, not by points
        model = ml.train_scorecard(X.iloc[train], y[train], seed=SEED)
        score = np.asarray(model.pd(held_out), dtype=float)
    metrics = evaluate(y[test], score) | {
        "n_train": len(train),
        "n_test": len(test),
        "event_rate": float(y.mean()),
    }
    gains = [[float(a), float(b)] for a, b in domain.gains_curve(y[test], score, points=20)]
    return model, metrics, gains


def _params(kind: str, model: Any, horizon_days: int) -> dict[str, Any]:
    own = getattr(model, "params", None)
    found = {"horizon_days": horizon_days, "seed": SEED, "test_share": TEST_SHARE}
    if kind == ModelKind.SCORECARD:
        found |= {"base_points": 600, "base_odds": 50, "pdo": 20}
    if isinstance(own, dict):
        found["model"] = json.loads(json.dumps(own, default=str))
    return found


def _save_artifact(kind: str, version: int, blob: bytes) -> tuple[str, str]:
    name = f"{kind}-v{version}.bin"
    folder = Path(settings.MODEL_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(blob)
    return name, hashlib.sha256(blob).hexdigest()


def _register(
    kind: str, model: Any, fit: tuple[dict[str, Any], list[Any]], common: dict[str, Any]
) -> ScoringModel:
    metrics, gains = fit
    version = (ScoringModel.objects.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1
    artifact, sha256 = _save_artifact(kind, version, model.to_bytes())
    points = model.points_table() if kind == ModelKind.SCORECARD else []
    made = ScoringModel.objects.create(
        kind=kind,
        version=version,
        metrics=metrics,
        gains=gains,
        points_table=json.loads(json.dumps(points, default=float)),
        artifact=artifact,
        artifact_sha256=sha256,
        **common,
    )
    audit.record(
        "scoring.model_trained",
        actor=common["trained_by"],
        object_type=MODEL,
        object_id=made.pk,
        changes={"kind": kind, "version": version, "metrics": metrics, "sha256": sha256},
    )
    return made


def train_models(
    as_of: dt.date, *, user: Any, horizon_days: int = 180, sample: int | None = None
) -> tuple[ScoringModel, ScoringModel]:
    """The propensity model (who borrows in the horizon) and the scorecard (who of the
    borrowers defaults), both PENDING approval by 风险合规. ``sample``: train on that many
    customers drawn at random (fixed seed) when there are more."""
    _require(user, TRAIN)
    data = training_frame(as_of, horizon_days)
    if sample is not None and len(data) > sample:
        data = data.sample(n=sample, random_state=SEED).sort_values("customer_no")
        data = data.reset_index(drop=True)
    if data.empty:
        raise InvalidInput(
            gettext("%(day)s 没有可用于训练的客户数据") % {"day": as_of}, code="no_data"
        )
    X = data[features.FEATURES]
    borrowed = data["borrowed"].astype(float).to_numpy().astype(int)
    rated = data["bad"].notna().to_numpy()
    bad = data.loc[rated, "bad"].astype(float).to_numpy().astype(int)
    propensity = _fit(ModelKind.PROPENSITY, X, borrowed)
    scorecard = _fit(ModelKind.SCORECARD, X[rated].reset_index(drop=True), bad)
    common = {
        "trained_as_of": as_of,
        "data_fingerprint": fingerprint(data, as_of),
        "features": list(features.FEATURES),
        "trained_by": _staff(user),
    }
    cuts = domain.train_grade_cuts(
        _score_of(ModelKind.PROPENSITY, propensity[0], X),
        _score_of(ModelKind.SCORECARD, scorecard[0], X),
    )
    made = []
    with transaction.atomic():
        for kind, (model, metrics, gains) in (
            (ModelKind.PROPENSITY, propensity),
            (ModelKind.SCORECARD, scorecard),
        ):
            extra = {
                "params": _params(kind, model, horizon_days) | {"grade_cuts": asdict(cuts)},
                "baseline": _baseline(kind, model, X),
            }
            made.append(_register(kind, model, (metrics, gains), common | extra))
    return made[0], made[1]


# ---- approval ------------------------------------------------------------------------------


def _locked_pending(model: ScoringModel, user: Any) -> ScoringModel:
    _require(user, APPROVE)
    locked = ScoringModel.objects.select_for_update().get(pk=model.pk)
    if locked.status != ModelStatus.PENDING:
        raise ModelRefused(
            gettext("只有待审批的模型可以审批，%(model)s 当前状态为“%(status)s”")
            % {"model": locked, "status": locked.get_status_display()},
            code="model_not_pending",
            details={"status": locked.status},
        )
    if user is not None and locked.trained_by_id is not None and locked.trained_by_id == user.pk:
        raise ModelRefused(
            gettext("职责分离：模型训练人不得审批自己训练的模型，请由其他风险合规人员审批"),
            code="separation_of_duties",
        )
    return locked


def _decide(locked: ScoringModel, user: Any, status: str, note: str) -> None:
    locked.status = status
    locked.decided_by = _staff(user)
    locked.decided_at = timezone.now()
    locked.decision_note = note[:500]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def approve_model(model: ScoringModel, *, user: Any, note: str = "") -> ScoringModel:
    """Put the model in use; the previously approved model of its kind is retired."""
    with transaction.atomic():
        locked = _locked_pending(model, user)
        previous = list(
            ScoringModel.objects.select_for_update().filter(
                kind=locked.kind, status=ModelStatus.APPROVED
            )
        )
        for old in previous:
            old.status = ModelStatus.RETIRED
            old.save(update_fields=["status"])
            audit.record(
                "scoring.model_retired",
                actor=user,
                object_type=MODEL,
                object_id=old.pk,
                changes={"status": ModelStatus.RETIRED, "replaced_by": locked.pk},
            )
        _decide(locked, user, ModelStatus.APPROVED, note)
        audit.record(
            "scoring.model_approved",
            actor=user,
            object_type=MODEL,
            object_id=locked.pk,
            changes={"status": ModelStatus.APPROVED, "retired": [m.pk for m in previous]},
            reason=note,
        )
    return locked


def reject_model(model: ScoringModel, *, user: Any, note: str) -> ScoringModel:
    if not (note or "").strip():
        raise FormInvalid(
            gettext("否决模型须填写审批意见"), details={"note": [gettext("请填写否决理由")]}
        )
    with transaction.atomic():
        locked = _locked_pending(model, user)
        _decide(locked, user, ModelStatus.REJECTED, note.strip())
        audit.record(
            "scoring.model_rejected",
            actor=user,
            object_type=MODEL,
            object_id=locked.pk,
            changes={"status": ModelStatus.REJECTED},
            reason=note,
        )
    return locked


# ---- the models in use ---------------------------------------------------------------------


def approved_model(kind: str) -> ScoringModel:
    found = ScoringModel.objects.filter(kind=kind, status=ModelStatus.APPROVED).first()
    if found is None:
        raise ModelNotApproved(
            gettext("没有已批准的%(kind)s：请先训练模型并由风险合规审批")
            % {"kind": ModelKind(kind).label},
            details={"kind": kind},
        )
    return found


def load_model(model: ScoringModel) -> Any:
    """The trained object behind a registry row, after checking its file's sha256."""
    path = Path(settings.MODEL_DIR) / model.artifact
    blob = path.read_bytes() if path.is_file() else b""
    if hashlib.sha256(blob).hexdigest() != model.artifact_sha256:
        raise ScoringRefused(
            gettext("模型文件 %(file)s 缺失或已被改动（SHA-256 校验不符），拒绝使用")
            % {"file": model.artifact},
            code="artifact_mismatch",
        )
    loader = ml.PropensityModel if model.kind == ModelKind.PROPENSITY else ml.Scorecard
    return loader.from_bytes(blob)


# ---- batch scoring -------------------------------------------------------------------------


def _stock_index() -> pd.DataFrame:
    """customer_no → (id, opted out) of every stock customer, read in one query."""
    table = StockCustomer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT customer_no, id, opted_out_at IS NOT NULL FROM {table}"  # noqa: S608
        )
        rows = cursor.fetchall()
    found = pd.DataFrame(rows, columns=["customer_no", "customer_id", "opted_out"])
    found["opted_out"] = found["opted_out"].astype(bool)
    return found


def scoring_population(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The rows of ``frame`` to score (stock customers who did not opt out) with their
    ``customer_id``, and how many opted-out customers were left out."""
    index = _stock_index()
    merged = frame.merge(index, on="customer_no", how="inner")
    opted_out = int(merged["opted_out"].sum())
    kept = merged[~merged["opted_out"]].drop(columns="opted_out")
    return kept.reset_index(drop=True), opted_out


def grade_cuts(propensity: ScoringModel, scorecard: ScoringModel) -> domain.GradeCuts:
    """Where the grades split: the propensity cuts of the propensity model, the points cuts of
    the scorecard (each set at training on the whole population of its date)."""
    default = domain.GradeCuts()
    p_cuts = propensity.params.get("grade_cuts", {})
    s_cuts = scorecard.params.get("grade_cuts", {})
    return domain.GradeCuts(
        high_propensity=p_cuts.get("high_propensity", default.high_propensity),
        mid_propensity=p_cuts.get("mid_propensity", default.mid_propensity),
        good_points=s_cuts.get("good_points", default.good_points),
        low_points=s_cuts.get("low_points", default.low_points),
    )


def _scored_chunk(
    chunk: pd.DataFrame, propensity: Any, scorecard: Any, cuts: domain.GradeCuts
) -> pd.DataFrame:
    X = chunk[features.FEATURES]
    probability = np.asarray(propensity.predict(X), dtype=float)
    points = np.asarray(scorecard.points(X)).astype(int)
    defaulted = X["ever_defaulted"].to_numpy() > 0
    return pd.DataFrame(
        {
            "customer_id": chunk["customer_id"].to_numpy(),
            "propensity": probability,
            "points": points,
            "pd": np.asarray(scorecard.pd(X), dtype=float),
            "grade": domain.grades(probability, points, cuts, defaulted),
            "reasons": reasons_json(ml.reasons(propensity, scorecard, X)),
        }
    )


def _chunks(frame: pd.DataFrame, size: int = CHUNK) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]


COLUMNS = ("run_id", "customer_id", "as_of", "propensity", "points", "pd", "grade", "reasons")
_JSON = json.JSONEncoder(ensure_ascii=False)


def reasons_json(reasons: list[list[dict[str, Any]]]) -> list[str]:
    """Each row's reasons as JSON text; a reason met before (same feature, text and effect:
    the usual case, texts come from a few templates) is encoded once."""
    encoded: dict[tuple[Any, ...], str] = {}
    found = []
    for row in reasons:
        parts = []
        for reason in row:
            key = tuple(reason.values())
            text = encoded.get(key)
            if text is None:
                text = encoded[key] = _JSON.encode(reason)
            parts.append(text)
        found.append("[" + ", ".join(parts) + "]")
    return found


def _copy_text(rows: pd.DataFrame, run: ScoreRun) -> str:
    """Rows in PostgreSQL's COPY text format (tab-separated; backslashes doubled)."""
    head, day = f"{run.pk}\t", f"\t{run.as_of.isoformat()}\t"
    columns = zip(
        map(str, rows["customer_id"].tolist()),
        map(repr, rows["propensity"].tolist()),
        map(str, rows["points"].tolist()),
        map(repr, rows["pd"].tolist()),
        rows["grade"].tolist(),
        (text.replace("\\", "\\\\") for text in rows["reasons"].tolist()),
        strict=True,
    )
    return "".join(f"{head}{c}{day}{p}\t{q}\t{d}\t{g}\t{r}\n" for c, p, q, d, g, r in columns)


@contextmanager
def _score_writer(run: ScoreRun) -> Iterator[Callable[[pd.DataFrame], None]]:
    """A function appending chunks of scores. PostgreSQL: one COPY for the whole run, sent by
    a writer thread so that the next chunk is computed while the server stores this one;
    SQLite: one executemany per chunk."""
    table = CustomerScore._meta.db_table
    names = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg.copy import QueuedLibpqWriter

            raw = cursor.cursor
            sql = f"COPY {table} ({names}) FROM STDIN"
            with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
                yield lambda rows: copy.write(_copy_text(rows, run))
        else:
            marks = ", ".join(["%s"] * len(COLUMNS))
            insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608

            def write(rows: pd.DataFrame) -> None:
                rows = rows.assign(run_id=run.pk, as_of=run.as_of.isoformat())
                cursor.executemany(insert, rows[list(COLUMNS)].itertuples(index=False, name=None))

            yield write


def _claim_run(as_of: dt.date, models: tuple[ScoringModel, ScoringModel], user: Any) -> ScoreRun:
    """This date's run row, locked, with its earlier scores deleted (a run again replaces)."""
    run = ScoreRun.objects.select_for_update().filter(as_of=as_of).first()
    if run is None:
        try:
            with transaction.atomic():
                run = ScoreRun.objects.create(
                    as_of=as_of, propensity_model=models[0], scorecard_model=models[1]
                )
        except IntegrityError as exc:
            raise ScoringRefused(
                gettext("%(day)s 的批量评分正在由他人运行") % {"day": as_of}, code="run_busy"
            ) from exc
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {CustomerScore._meta.db_table} WHERE run_id = %s",  # noqa: S608
                [run.pk],
            )
    run.propensity_model, run.scorecard_model = models
    run.started_by = _staff(user)
    run.started_at = timezone.now()
    run.status = RunStatus.RUNNING
    return run


def run_scoring(
    as_of: dt.date,
    *,
    user: Any = None,
    progress: bool = False,
    frame: pd.DataFrame | None = None,
) -> ScoreRun:
    """Score every stock customer known on ``as_of`` who did not opt out: propensity, points,
    default probability, grade and reasons. One run per date; running again replaces it, in
    one transaction. ``frame``: the features of ``as_of`` when already computed."""
    from tqdm import tqdm

    _require(user, RUN)
    started = time.perf_counter()
    models = (approved_model(ModelKind.PROPENSITY), approved_model(ModelKind.SCORECARD))
    propensity, scorecard = load_model(models[0]), load_model(models[1])
    if frame is None:
        frame = feature_frame(as_of)
    population, opted_out = scoring_population(frame)
    cuts = grade_cuts(*models)
    counts: dict[str, int] = {}
    with transaction.atomic():
        run = _claim_run(as_of, models, user)
        run.save()
        with (
            tqdm(
                total=len(population),
                desc=gettext("评分"),
                unit="户",
                file=sys.stderr,
                disable=not progress,
            ) as bar,
            _score_writer(run) as write,
        ):
            for chunk in _chunks(population):
                rows = _scored_chunk(chunk, propensity, scorecard, cuts)
                write(rows)
                for grade, n in rows["grade"].value_counts().items():
                    counts[str(grade)] = counts.get(str(grade), 0) + int(n)
                bar.update(len(chunk))
        run.customers_scored = len(population)
        run.customers_opted_out = opted_out
        run.grade_counts = {g: counts.get(g, 0) for g in sorted(counts)}
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.seconds = round(time.perf_counter() - started, 3)
        run.save()
        audit.record(
            "scoring.run",
            actor=user,
            object_type=SCORE_RUN,
            object_id=run.pk,
            changes={
                "as_of": as_of,
                "scored": run.customers_scored,
                "opted_out": opted_out,
                "grades": run.grade_counts,
                "models": [models[0].pk, models[1].pk],
            },
        )
    return run


def latest_run() -> ScoreRun | None:
    return ScoreRun.objects.filter(status=RunStatus.DONE).order_by("-as_of").first()


def run_summary(run: ScoreRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "as_of": run.as_of.isoformat(),
        "status": run.status,
        "customers_scored": run.customers_scored,
        "customers_opted_out": run.customers_opted_out,
        "grade_counts": run.grade_counts,
        "seconds": run.seconds,
        "propensity_model": run.propensity_model_id,
        "scorecard_model": run.scorecard_model_id,
    }


# ---- monitoring ----------------------------------------------------------------------------


def psi_level(value: float) -> str:
    """stable (< 0.1), watch (0.1–0.25: 关注), drift (> 0.25: 显著漂移)."""
    if value > PSI_DRIFT:
        return "drift"
    return "watch" if value >= PSI_WATCH else "stable"


def _psi(expected: dict[str, Any], values: Any) -> float:
    actual = domain.shares(np.asarray(values, dtype=float), np.asarray(expected["edges"]))
    return round(float(domain.psi(np.asarray(expected["shares"]), np.asarray(actual))), 6)


def _stored_scores(model: ScoringModel, as_of: dt.date) -> np.ndarray | None:
    """The scores written by this date's run when it used ``model``."""
    run = ScoreRun.objects.filter(as_of=as_of, status=RunStatus.DONE).first()
    if run is None or model.pk not in (run.propensity_model_id, run.scorecard_model_id):
        return None
    column = "propensity" if model.kind == ModelKind.PROPENSITY else "points"
    values = CustomerScore.objects.filter(run=run).values_list(column, flat=True)
    return np.fromiter(values, dtype=float)


def monitor(as_of: dt.date, *, frame: pd.DataFrame | None = None) -> list[MonitoringReport]:
    """PSI of each approved model's score and baseline features on ``as_of`` against its
    training date; drift when any PSI exceeds 0.25. One report per model and date."""
    reports = []
    for model in ScoringModel.objects.filter(status=ModelStatus.APPROVED).order_by("kind"):
        if frame is None:
            frame = feature_frame(as_of)
        scores = _stored_scores(model, as_of)
        if scores is None or len(scores) == 0:
            scores = _score_of(model.kind, load_model(model), frame[features.FEATURES])
        psi_score = _psi(model.baseline["score"], scores)
        psi_features = {
            name: _psi(baseline, frame[name])
            for name, baseline in model.baseline.get("features", {}).items()
        }
        drift = max([psi_score, *psi_features.values()]) > PSI_DRIFT
        report, _ = MonitoringReport.objects.update_or_create(
            model=model,
            as_of=as_of,
            defaults={"psi_score": psi_score, "psi_features": psi_features, "drift": drift},
        )
        reports.append(report)
    return reports


def report_summary(report: MonitoringReport) -> dict[str, Any]:
    worst = max([report.psi_score, *report.psi_features.values()])
    return {
        "id": report.pk,
        "model": report.model_id,
        "model_name": str(report.model),
        "as_of": report.as_of.isoformat(),
        "psi_score": report.psi_score,
        "psi_features": report.psi_features,
        "level": psi_level(worst),
        "drift": report.drift,
    }


# ---- what pages and lists read -------------------------------------------------------------


def visible_stock_customers(user: Any) -> QuerySet[StockCustomer]:
    found = StockCustomer.objects.select_related("org_unit")
    return visible(found, user, unit_field="org_unit")


def latest_score(customer: StockCustomer) -> CustomerScore | None:
    return customer.scores.select_related("run").order_by("-as_of").first()


_FRAMES: dict[tuple[Any, ...], pd.DataFrame] = {}


def _store_signature() -> tuple[Any, ...]:
    folder = Path(settings.STOCK_DIR)
    return tuple(
        (p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.parquet")) if p.is_file()
    )


def cached_feature_frame(as_of: dt.date) -> pd.DataFrame:
    """The features of a date, kept in this process while the store does not change (a score
    card shows one customer's values; the frame is computed once for all)."""
    key = (str(settings.STOCK_DIR), as_of, _store_signature())
    if key not in _FRAMES:
        _FRAMES.clear()
        _FRAMES[key] = features.feature_frame(as_of).set_index("customer_no")
    return _FRAMES[key]


def feature_values(customer: StockCustomer, as_of: dt.date) -> dict[str, float | None]:
    """The customer's FEATURES on ``as_of`` (name → value; empty when he is not in the store)."""
    try:
        frame = cached_feature_frame(as_of)
    except FileNotFoundError:  # the store is gone since the run: the score stands alone
        return {}
    if customer.customer_no not in frame.index:
        return {}
    row = frame.loc[customer.customer_no]
    return {name: None if pd.isna(row[name]) else float(row[name]) for name in features.FEATURES}


def score_card(customer: StockCustomer, *, with_features: bool = True) -> dict[str, Any]:
    """A customer's latest score (with its reasons) and his feature values on its date
    (``features``: name → value; ``features.FEATURE_LABELS`` has the Chinese labels)."""
    score = latest_score(customer)
    card: dict[str, Any] = {"customer": customer, "score": score, "features": {}}
    if score is not None and with_features:
        card["features"] = feature_values(customer, score.as_of)
    return card
