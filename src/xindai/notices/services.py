"""Notices (通知书): made by the post-loan day (``notices.daily``) or on demand (a 催收通知书
issued by a collection officer), rendered as DOCX the first time someone opens or prints one
(from the figures frozen on the notice, so the document never changes; stored with its
SHA-256), delivered (送达) and receipted (回执). A signed receipt of an 逾期 or 催收 notice by
the borrower or a guarantor interrupts that party's limitation period
(``collection.services.record_interruption``)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.money import rmb_uppercase
from xindai.credit.models import ApplicationGuarantor
from xindai.customers.models import Customer
from xindai.customers.services import as_of_today
from xindai.loans.models import LoanAccount, LoanStatus
from xindai.loans.models_servicing import LoanState
from xindai.notices import document, domain
from xindai.notices.models import (
    Delivery,
    DeliveryMethod,
    Notice,
    NoticeKind,
    NoticeStatus,
    Receipt,
    RecipientRole,
)
from xindai.org.scope import visible

VIEW = "notices.view_notice"
SEND = "notices.send_notice"
NOTICE = "notices.notice"
RECEIPT_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
MAX_RECEIPT_BYTES = 10 * 1024 * 1024


class NoticeRefused(DomainError):
    code = "notice_refused"


def visible_notices(user: Any) -> QuerySet[Notice]:
    found = Notice.objects.select_related(
        "loan", "loan__org_unit", "loan__manager", "loan__customer", "recipient", "issued_by"
    )
    return visible(found, user, unit_field="loan__org_unit", owner_field="loan__manager")


# ---- making notices ------------------------------------------------------------------------

FIGURE_FIELDS = {
    "principal": "principal_fen",
    "principal_due": "principal_due_fen",
    "overdue_principal": "overdue_principal_fen",
    "interest_accrued": "interest_accrued_fen",
    "interest_due": "interest_due_fen",
    "overdue_interest": "overdue_interest_fen",
    "penalty_due": "penalty_due_fen",
    "compound_due": "compound_due_fen",
}


def figures_of(row: Any) -> domain.Figures:
    """The figures of a ``LoanState`` (or a ``values()`` row with the same names)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    values: dict[str, int] = {k: int(get(column) or 0) for k, column in FIGURE_FIELDS.items()}
    return domain.Figures(**values)


def notice_for(
    *,
    loan_id: int,
    kind: str,
    recipient_id: int,
    role: str,
    period: dt.date,
    today: dt.date,
    owed: domain.Owed,
    due_date: dt.date | None,
    days_past_due: int = 0,
    actor: Any = None,
    reason: str = "",
) -> Notice:
    """An unsaved notice with its amounts in 元."""
    return Notice(
        loan_id=loan_id,
        kind=kind,
        recipient_id=recipient_id,
        recipient_role=role,
        period=period,
        issued_on=today,
        due_date=due_date,
        days_past_due=days_past_due,
        principal=domain.yuan(owed.principal),
        interest=domain.yuan(owed.interest),
        penalty=domain.yuan(owed.penalty),
        total=domain.yuan(owed.total),
        outstanding=domain.yuan(owed.outstanding),
        issued_by=actor,
        reason=reason,
    )


CHUNK = 500


def save_new(notices: list[Notice]) -> int:
    """Save the notices not made before (same loan, kind, period and recipient); how many.
    In chunks of loans (a day's reminders on a large portfolio are tens of thousands)."""
    made = 0
    for start in range(0, len(notices), CHUNK):
        chunk = notices[start : start + CHUNK]
        seen = set(
            Notice.objects.filter(
                loan_id__in={n.loan_id for n in chunk}, kind__in={n.kind for n in chunk}
            ).values_list("loan_id", "kind", "period", "recipient_id")
        )
        fresh = [n for n in chunk if (n.loan_id, n.kind, n.period, n.recipient_id) not in seen]
        Notice.objects.bulk_create(fresh, ignore_conflicts=True)
        made += len(fresh)
    return made


def guarantors_of(loan_ids: set[int]) -> dict[int, list[int]]:
    """Each loan's guarantors (customers) from its credit application."""
    found: dict[int, list[int]] = {}
    rows = ApplicationGuarantor.objects.filter(application__loan__id__in=loan_ids).values_list(
        "application__loan__id", "guarantor_id"
    )
    for loan_id, guarantor_id in rows.order_by("pk"):
        found.setdefault(loan_id, []).append(guarantor_id)
    return found


def may_collect(loan: LoanAccount, state: LoanState) -> bool:
    return state.days_past_due > 0 or loan.status == LoanStatus.WRITTEN_OFF


def issue_collection(
    actor: Any, loan: LoanAccount, recipient_ids: list[int] | None = None, reason: str = ""
) -> list[Notice]:
    """催收通知书 on demand, today, to the borrower and the guarantors chosen (all when None)."""
    today = as_of_today()
    state = LoanState.objects.get(loan=loan)
    if not may_collect(loan, state):
        raise NoticeRefused(gettext("贷款未逾期，无需发出催收通知书"))
    parties = [(loan.customer_id, RecipientRole.BORROWER)] + [
        (g, RecipientRole.GUARANTOR) for g in guarantors_of({loan.pk}).get(loan.pk, [])
    ]
    if recipient_ids is not None:
        parties = [p for p in parties if p[0] in set(recipient_ids)]
    if not parties:
        raise FormInvalid(
            gettext("请选择收件人"), details={"recipients": [gettext("至少选择一位")]}
        )
    owed = domain.owed(domain.Kind.COLLECTION, figures_of(state))
    made = []
    try:
        with transaction.atomic():
            for recipient_id, role in parties:
                notice = notice_for(
                    loan_id=loan.pk,
                    kind=NoticeKind.COLLECTION,
                    recipient_id=recipient_id,
                    role=role,
                    period=today,
                    today=today,
                    owed=owed,
                    due_date=state.overdue_since,
                    days_past_due=state.days_past_due,
                    actor=actor,
                    reason=reason.strip()[:200],
                )
                notice.save()
                made.append(notice)
                audit.record(
                    "notices.issued",
                    actor=actor,
                    object_type=NOTICE,
                    object_id=notice.pk,
                    changes={
                        "loan": loan.pk,
                        "kind": notice.kind,
                        "recipient": recipient_id,
                        "total": str(notice.total),
                    },
                    reason=notice.reason,
                )
    except IntegrityError as exc:
        raise NoticeRefused(gettext("今日已向该收件人发出催收通知书")) from exc
    return made


# ---- the document --------------------------------------------------------------------------


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _amount(value: Any) -> str:
    return f"{value:,.2f}"


def notice_data(notice: Notice) -> document.NoticeData:
    loan = notice.loan
    kind = domain.Kind(notice.kind)
    title = domain.TITLES[kind]
    if (
        kind == domain.Kind.REMINDER
        and LoanState.objects.filter(loan=loan, interest_only=True).exists()
    ):
        title = domain.INTEREST_TITLE
    values = {
        "start": _date(loan.start_date),
        "principal": _amount(loan.principal),
        "number": loan.number,
        "due": _date(notice.due_date),
        "since": _date(notice.due_date),
        "as_of": _date(notice.issued_on),
        "outstanding": _amount(notice.outstanding),
        "days": notice.days_past_due,
        "borrower": loan.customer.name,
    }
    if notice.recipient_role == RecipientRole.GUARANTOR:
        body = gettext(domain.GUARANTOR_BODY) % values
    else:
        body = gettext(domain.BODIES[kind]) % values
    bank = loan.org_unit.name
    rows = [
        (gettext("本金"), _amount(notice.principal)),
        (gettext("利息"), _amount(notice.interest)),
        (gettext("罚息及复利"), _amount(notice.penalty)),
    ]
    return document.NoticeData(
        number=notice.number,
        title=gettext(title),
        addressee=notice.recipient.name,
        body=body,
        rows=rows,
        total=_amount(notice.total),
        total_upper=rmb_uppercase(notice.total),
        bank=bank,
        issued_on=_date(notice.issued_on),
        receipt=gettext(domain.RECEIPT_TEXT)
        % {"bank": bank, "title": gettext(title), "no": notice.number},
    )


def ensure_document(notice: Notice) -> Notice:
    """The notice with its DOCX, rendered and stored once (first opening)."""
    if notice.sha256:
        return notice
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if not locked.sha256:
            content = document.render(notice_data(notice))
            locked.sha256 = hashlib.sha256(content).hexdigest()
            name = f"{notice.loan.number}-{notice.kind}-{notice.pk}.docx"
            locked.docx.save(name, ContentFile(content), save=False)
            locked.save(update_fields=["docx", "sha256"])
    notice.docx, notice.sha256 = locked.docx, locked.sha256
    return notice


def document_bytes(notice: Notice) -> bytes:
    ensure_document(notice)
    with notice.docx.open("rb") as handle:
        content: bytes = handle.read()
    if hashlib.sha256(content).hexdigest() != notice.sha256:
        raise DomainError(gettext("通知书文件与登记的 SHA-256 不符"), code="document_tampered")
    return content


# ---- delivery and receipt ------------------------------------------------------------------


def deliver(
    actor: Any,
    notice: Notice,
    method: str,
    *,
    received_by: str = "",
    reference: str = "",
    note: str = "",
) -> Delivery:
    """Record a delivery (送达) on the business date."""
    if method not in DeliveryMethod.values:
        raise FormInvalid(gettext("请选择送达方式"), details={"method": [gettext("必填")]})
    if method == DeliveryMethod.IN_PERSON and not received_by.strip():
        raise FormInvalid(
            gettext("面送签收须填写签收人"), details={"received_by": [gettext("必填")]}
        )
    ensure_document(notice)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        made = Delivery.objects.create(
            notice=locked,
            method=method,
            delivered_on=as_of_today(),
            received_by=received_by.strip()[:50],
            reference=reference.strip()[:100],
            note=note.strip()[:200],
            delivered_by=actor,
        )
        if locked.status == NoticeStatus.ISSUED:
            locked.status = NoticeStatus.DELIVERED
            locked.save(update_fields=["status"])
        audit.record(
            "notices.delivered",
            actor=actor,
            object_type=NOTICE,
            object_id=locked.pk,
            changes={"delivery": made.pk, "method": method, "received_by": made.received_by},
        )
    return made


def _signed_on(value: Any, notice: Notice) -> dt.date:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
    except ValueError:
        day = None
    problem = None
    if day is None:
        problem = gettext("请填写签收日期")
    elif day < notice.issued_on:
        problem = gettext("签收日期不能早于通知书出具日期")
    elif day > as_of_today():
        problem = gettext("签收日期不能晚于会计日期")
    if problem is not None or day is None:
        raise FormInvalid(problem or "", details={"signed_on": [problem]})
    return day


def _scan(upload: Any) -> bytes:
    suffix = Path(getattr(upload, "name", "") or "").suffix.lower()
    if upload is None or suffix not in RECEIPT_TYPES:
        raise FormInvalid(
            gettext("请上传签收回执的扫描件或照片（PDF、JPG、PNG）"),
            details={"file": [gettext("PDF、JPG 或 PNG 文件")]},
        )
    if upload.size > MAX_RECEIPT_BYTES or upload.size == 0:
        raise FormInvalid(
            gettext("回执文件须小于 10 MB"), details={"file": [gettext("文件过大或为空")]}
        )
    content: bytes = upload.read()
    return content


def record_receipt(
    actor: Any, notice: Notice, upload: Any, signed_on: Any, signed_by: str = ""
) -> Receipt:
    """The signed receipt (回执); on an 逾期 / 催收 notice it interrupts the recipient's
    limitation period from the signing date."""
    day = _signed_on(signed_on, notice)
    content = _scan(upload)
    signer = signed_by.strip()[:50] or notice.recipient.name
    with transaction.atomic():
        locked = Notice.objects.select_for_update().select_related("loan").get(pk=notice.pk)
        if locked.status == NoticeStatus.ISSUED:
            raise NoticeRefused(gettext("请先登记送达，再上传回执"))
        if Receipt.objects.filter(notice=locked).exists():
            raise NoticeRefused(gettext("该通知书已上传回执"))
        digest = hashlib.sha256(content).hexdigest()
        receipt = Receipt(
            notice=locked,
            sha256=digest,
            signed_on=day,
            signed_by=signer,
            interrupts=locked.kind in domain.INTERRUPTING,
            uploaded_by=actor,
        )
        suffix = Path(upload.name).suffix.lower()
        receipt.file.save(f"{locked.pk}-receipt{suffix}", ContentFile(content), save=False)
        receipt.save()
        locked.status = NoticeStatus.RECEIPTED
        locked.save(update_fields=["status"])
        audit.record(
            "notices.receipted",
            actor=actor,
            object_type=NOTICE,
            object_id=locked.pk,
            changes={
                "signed_on": day.isoformat(),
                "signed_by": signer,
                "sha256": digest,
                "interrupts": receipt.interrupts,
            },
        )
        if receipt.interrupts:
            _interrupt(locked, day, digest, actor)
    return receipt


def _interrupt(notice: Notice, day: dt.date, digest: str, actor: Any) -> None:
    from xindai.collection.models import InterruptionKind
    from xindai.collection.services import record_interruption

    customer = Customer.objects.get(pk=notice.recipient_id)
    evidence = gettext("通知书 %(no)s 回执（SHA-256 %(sha)s）") % {
        "no": notice.number,
        "sha": digest[:16],
    }
    record_interruption(
        notice.loan, customer, on=day, kind=InterruptionKind.NOTICE, evidence=evidence, actor=actor
    )
