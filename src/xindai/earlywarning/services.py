"""Early warning (风险预警): raising a signal (once per loan, kind and source while open; a
high one triggers a post-loan inspection), the officer's handling (take, note, close with the
resolution) and the staff's collateral revaluation (押品重估) that raises a collateral-drop
signal when the value falls by more than the policy's ratio."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid
from xindai.credit.facts import current_policy
from xindai.credit.models import ApplicationCollateral
from xindai.customers.services import as_of_today
from xindai.earlywarning import domain
from xindai.earlywarning.models import (
    CollateralRevaluation,
    Severity,
    Warning,
    WarningNote,
    WarningStatus,
)
from xindai.loans.models import LoanAccount
from xindai.org.scope import visible

VIEW = "earlywarning.view_warning"
HANDLE = "earlywarning.handle_warning"
ADD_SIGNAL = "earlywarning.add_signal"
WARNING = "earlywarning.warning"
REVALUATION = "earlywarning.collateralrevaluation"


class WarningRefused(DomainError):
    code = "warning_refused"


def visible_warnings(user: Any) -> QuerySet[Warning]:
    found = Warning.objects.select_related(
        "loan", "loan__org_unit", "loan__manager", "customer", "handler"
    )
    return visible(found, user, unit_field="loan__org_unit", owner_field="loan__manager")


# ---- raising -------------------------------------------------------------------------------


def raise_signal(
    loan: LoanAccount,
    today: dt.date,
    *,
    kind: str,
    detail: str,
    source: str = "",
    actor: Any = None,
) -> Warning | None:
    """A warning on ``loan`` of ``kind`` with the severity and required action of the rule
    table; None when an open one for the same loan, kind and source exists already. A high
    one triggers an inspection (``postloan.services.add_triggered``)."""
    rule = domain.rule_of(kind)
    with transaction.atomic():
        try:
            with transaction.atomic():
                made = Warning.objects.create(
                    loan=loan,
                    customer_id=loan.customer_id,
                    kind=kind,
                    severity=rule.severity.value,
                    detail=detail,
                    action=gettext(rule.action),
                    source=source[:120],
                    raised_on=today,
                    raised_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:  # an open one for this loan, kind and source
            return None
        audit.record(
            "earlywarning.raised",
            actor=actor,
            object_type=WARNING,
            object_id=made.pk,
            changes={
                "loan": loan.pk,
                "kind": kind,
                "severity": made.severity,
                "source": made.source,
            },
            reason=detail,
        )
        if made.severity == Severity.HIGH:
            _trigger_inspection(made, today)
    return made


def _trigger_inspection(warning: Warning, today: dt.date) -> None:
    from xindai.postloan.services import add_triggered

    reason = gettext("风险预警：%(kind)s") % {"kind": warning.get_kind_display()}
    add_triggered(warning.loan, today, reason=reason, source=f"warning:{warning.pk}")


# ---- handling ------------------------------------------------------------------------------


def _locked(warning: Warning) -> Warning:
    return Warning.objects.select_for_update().select_related("loan").get(pk=warning.pk)


def _note(warning: Warning, actor: Any, text: str, day: dt.date) -> None:
    WarningNote.objects.create(warning=warning, text=text, written_on=day, author=actor)


def take(actor: Any, warning: Warning, note: str = "") -> Warning:
    """The officer takes the warning in hand (待处理 → 处理中)."""
    with transaction.atomic():
        locked = _locked(warning)
        if locked.status == WarningStatus.CLOSED:
            raise WarningRefused(gettext("预警已关闭"))
        if locked.status == WarningStatus.HANDLING and locked.handler_id == actor.pk:
            return locked
        locked.status, locked.handler = WarningStatus.HANDLING, actor
        locked.save(update_fields=["status", "handler"])
        if note.strip():
            _note(locked, actor, note.strip(), as_of_today())
        audit.record(
            "earlywarning.taken",
            actor=actor,
            object_type=WARNING,
            object_id=locked.pk,
            changes={"status": locked.status},
        )
    return locked


def add_note(actor: Any, warning: Warning, text: str) -> WarningNote:
    text = text.strip()
    if not text:
        raise FormInvalid(gettext("请填写处理记录"), details={"note": [gettext("必填")]})
    with transaction.atomic():
        locked = _locked(warning)
        if locked.status == WarningStatus.CLOSED:
            raise WarningRefused(gettext("预警已关闭"))
        if locked.status == WarningStatus.OPEN:
            locked.status, locked.handler = WarningStatus.HANDLING, actor
            locked.save(update_fields=["status", "handler"])
        made = WarningNote.objects.create(
            warning=locked, text=text, written_on=as_of_today(), author=actor
        )
        audit.record(
            "earlywarning.noted",
            actor=actor,
            object_type=WARNING,
            object_id=locked.pk,
            changes={"note": text},
        )
    return made


def close(actor: Any, warning: Warning, resolution: str) -> Warning:
    """Close with the resolution (处理结果), on the business date."""
    resolution = resolution.strip()
    if not resolution:
        raise FormInvalid(
            gettext("关闭预警须填写处理结果"), details={"resolution": [gettext("必填")]}
        )
    with transaction.atomic():
        locked = _locked(warning)
        if locked.status == WarningStatus.CLOSED:
            raise WarningRefused(gettext("预警已关闭"))
        locked.status = WarningStatus.CLOSED
        locked.handler = locked.handler or actor
        locked.resolution = resolution
        locked.closed_on = as_of_today()
        locked.save(update_fields=["status", "handler", "resolution", "closed_on"])
        audit.record(
            "earlywarning.closed",
            actor=actor,
            object_type=WARNING,
            object_id=locked.pk,
            changes={"status": "closed"},
            reason=resolution,
        )
    return locked


# ---- 押品重估 ------------------------------------------------------------------------------


def collateral_of(loan: LoanAccount) -> QuerySet[ApplicationCollateral]:
    if loan.application_id is None:
        return ApplicationCollateral.objects.none()
    return ApplicationCollateral.objects.filter(application_id=loan.application_id).order_by("pk")


def _amount(text: Any) -> Decimal:
    try:
        value = Decimal(str(text).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise FormInvalid(
            gettext("请输入重估价值"), details={"value": [gettext("请输入不小于 0 的金额（元）")]}
        )
    return value


def revalue(
    actor: Any,
    loan: LoanAccount,
    collateral_id: Any,
    value: Any,
    *,
    appraiser: str = "",
    note: str = "",
) -> CollateralRevaluation:
    """Record a revaluation; a drop of more than ``collateral_drop_ratio`` against the
    estimated value raises a collateral-drop warning (high: it triggers an inspection)."""
    collateral = collateral_of(loan).filter(pk=collateral_id).first()
    if collateral is None:
        raise FormInvalid(
            gettext("请选择本笔贷款的押品"), details={"collateral": [gettext("必填")]}
        )
    amount = _amount(value)
    today = as_of_today()
    ratio = current_policy()[1].collateral_drop_ratio
    with transaction.atomic():
        made = CollateralRevaluation.objects.create(
            loan=loan,
            collateral=collateral,
            estimated_value=collateral.estimated_value,
            value=amount,
            revalued_on=today,
            appraiser=appraiser.strip()[:100],
            note=note.strip()[:200],
            entered_by=actor,
        )
        audit.record(
            "earlywarning.revalued",
            actor=actor,
            object_type=REVALUATION,
            object_id=made.pk,
            changes={
                "collateral": collateral.pk,
                "estimated": str(collateral.estimated_value),
                "value": str(amount),
            },
        )
        if domain.collateral_dropped(collateral.estimated_value, amount, ratio):
            detail = gettext(
                "押品“%(name)s”重估价值 %(value)s 元，较评估价值 %(estimated)s 元下降 "
                "%(drop)s%%，超过 %(ratio)s%%"
            ) % {
                "name": collateral.description,
                "value": f"{amount:,.2f}",
                "estimated": f"{collateral.estimated_value:,.2f}",
                "drop": f"{domain.drop_ratio(collateral.estimated_value, amount) * 100:.2f}",
                "ratio": f"{ratio * 100:.0f}",
            }
            made.warning = raise_signal(
                loan,
                today,
                kind=domain.Kind.COLLATERAL_DROP,
                detail=detail,
                source=f"revaluation:{made.pk}",
                actor=actor,
            )
            made.save(update_fields=["warning"])
    return made
