"""The investigation report (调查报告): its content put together, the manager's narratives per
section, and finalising: a DOCX (and a PDF where LibreOffice is installed) frozen with its
SHA-256 as version n + 1. A finalised version is never rewritten; a case returned for rework
is finalised again as a new version. Downloads are audited.

Only the case's investigators write and finalise, only during 实地调查, and only once a credit
limit has been assessed and the conclusion carries the manager's opinion.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid
from xindai.credit import investigation, limit, report_docx, services
from xindai.credit.forms import ReportSectionsForm
from xindai.credit.models import (
    CreditApplication,
    CreditLimitAssessment,
    InvestigationReport,
    ReportSection,
)
from xindai.credit.report_content import (
    BUILDERS,
    SECTIONS,
    ReportData,
    Section,
    Table,
    amount_text,
    guarantees,
    months,
    rate_of,
    yuan,
)
from xindai.customers.forms import errors_of

NUMERALS = "一二三四五六七"
NARRATIVE_LABELS = {"conclusion": gettext_noop("客户经理意见")}
FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
FORMATS["pdf"] = "application/pdf"


# ---- content ---------------------------------------------------------------------------------


def build(application: CreditApplication, as_of: dt.date) -> ReportData:
    """Everything the report says, in the active language."""
    assessment = limit.latest(application)
    narratives = dict(application.report_sections.values_list("key", "text"))
    sections = []
    for number, (key, title) in enumerate(SECTIONS):
        section = Section(key, f"{NUMERALS[number]}、{_(title)}")
        (conclusion if key == "conclusion" else BUILDERS[key])(application, section, assessment)
        section.narrative = narratives.get(key, "")
        section.narrative_label = _(NARRATIVE_LABELS.get(key, gettext_noop("调查人员意见")))
        sections.append(section)
    amount = min(assessment.suggested, application.amount) if assessment else None
    terms = [
        (_("申请编号"), application.number or ""),
        (_("借款人"), application.customer.name),
        (_("贷款产品"), application.product.name),
        (_("申请金额"), amount_text(application.amount)),
        (_("建议金额"), amount_text(amount) if amount is not None else _("尚未测算")),
        (_("期限"), months(application.term_months)),
        (_("年利率"), rate_of(assessment)),
        (_("还款方式"), str(application.get_repayment_method_display())),
        (_("担保方式"), guarantees(application)),
    ]
    people = _investigators(application)
    return ReportData(application, as_of, terms, sections, people, assessment, amount)


def _investigators(application: CreditApplication) -> list[tuple[str, str, str]]:
    confirmed = {
        c.investigator_id: c.confirmed_at for c in investigation.current_confirmations(application)
    }
    people = [(_("主调查人"), application.manager)]
    if application.co_investigator is not None:
        people.append((_("协办调查人"), application.co_investigator))
    found = []
    for role, person in people:
        moment = confirmed.get(person.pk)
        when = f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else _("尚未确认")
        found.append((role, person.full_name or person.username, when))
    return found


def conclusion(
    application: CreditApplication, section: Section, assessment: CreditLimitAssessment | None
) -> None:
    """七、调查结论: lend or not, how much (at most the amount applied for), how long, at what
    rate, and how the limit was reached, step by step."""
    if assessment is None:
        section.alerts.append(_("尚未进行授信额度测算"))
        return
    amount = min(assessment.suggested, application.amount)
    result = assessment.result
    section.facts += [
        (_("调查结论"), _("建议贷款") if amount > 0 else _("不建议贷款")),
        (_("建议金额"), amount_text(amount)),
        (_("建议期限"), months(application.term_months)),
        (_("建议年利率"), rate_of(assessment)),
        (_("还款方式"), str(application.get_repayment_method_display())),
        (_("担保方式"), guarantees(application)),
        (_("测算依据"), result["suggestion"]["reason"]),
    ]
    if assessment.suggested > application.amount:
        section.facts.append((_("说明"), _("测算额度高于申请金额，建议金额以申请金额为限")))
    rows = [[m["label"], yuan(m["limit"]), m["reason"] or ""] for m in result["methods"]]
    section.tables.append(Table([_("测算方法"), _("额度（元）"), _("说明")], rows, _("授信额度")))
    for method in result["methods"]:
        steps = [[s["label"], s["formula"], _value(s)] for s in method["steps"]]
        if steps:
            headers = [_("步骤"), _("计算过程"), _("结果")]
            section.tables.append(Table(headers, steps, method["label"]))
    section.alerts += result.get("notes", [])


def _value(step: Mapping[str, Any]) -> str:
    shown = yuan(step["value"]) if step["unit"] == "元" else step["value"]
    return f"{shown} {step['unit']}"


# ---- narratives ------------------------------------------------------------------------------


def sections_form(application: CreditApplication, data: Any = None) -> ReportSectionsForm:
    titles = [(key, _(title)) for key, title in SECTIONS]
    initial = dict(application.report_sections.values_list("key", "text"))
    return ReportSectionsForm(data, initial=initial, sections=titles)


def save_sections(
    actor: Any, application: CreditApplication, data: Mapping[str, Any]
) -> list[ReportSection]:
    """The narratives of the seven sections; only those that changed are written."""
    limit.require_investigator(actor, application)
    form = sections_form(application, data)
    if not form.is_valid():
        raise FormInvalid(gettext("调查报告内容有误，未保存"), details=errors_of(form))
    before = dict(application.report_sections.values_list("key", "text"))
    changed = {k: v.strip() for k, v in form.cleaned_data.items() if v.strip() != before.get(k, "")}
    with transaction.atomic():
        saved = [
            ReportSection.objects.update_or_create(
                application=application, key=key, defaults={"text": text, "updated_by": actor}
            )[0]
            for key, text in changed.items()
        ]
        if changed:
            audit.record(
                "credit.report_sections_saved",
                actor=actor,
                object_type=services.OBJECT_TYPE,
                object_id=application.pk,
                changes={"sections": sorted(changed)},
            )
    return saved


# ---- finalising ------------------------------------------------------------------------------


def finalise(actor: Any, application: CreditApplication, as_of: dt.date) -> InvestigationReport:
    """Version n + 1 of the report, frozen: the DOCX (in Chinese, the bank's working language),
    its SHA-256, the PDF where LibreOffice converts it, and an audit event."""
    limit.require_investigator(actor, application)
    if limit.latest(application) is None:
        raise DomainError(gettext("须先完成授信额度测算，才能定稿调查报告"), code="no_limit")
    opinion = application.report_sections.filter(key="conclusion").exclude(text="").exists()
    if not opinion:
        message = gettext("请先在“调查结论”中填写客户经理意见，再定稿")
        raise DomainError(message, code="no_opinion")
    with transaction.atomic():
        locked = CreditApplication.objects.select_for_update().get(pk=application.pk)
        found = locked.reports.aggregate(last=Max("version"))["last"]
        version = (found or 0) + 1
        with translation.override("zh-hans"):
            data = build(application, as_of)
            docx = report_docx.render(data, version)
        pdf, pdf_error = _pdf(docx)
        report = InvestigationReport(
            application=locked,
            version=version,
            docx_sha256=hashlib.sha256(docx).hexdigest(),
            suggested_amount=data.suggested_amount or 0,
            finalised_by=actor,
        )
        name = f"{locked.number}-investigation-report-v{version}"
        report.docx.save(f"{name}.docx", ContentFile(docx), save=False)
        if pdf is not None:
            report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        report.save()
        changes = {"version": version, "docx_sha256": report.docx_sha256}
        changes |= {"pdf_sha256": report.pdf_sha256 or None, "pdf_error": pdf_error}
        changes["suggested_amount"] = f"{report.suggested_amount:f}"
        audit.record(
            "credit.report_finalised",
            actor=actor,
            object_type=services.OBJECT_TYPE,
            object_id=application.pk,
            changes=changes,
        )
    return report


def _pdf(docx: bytes) -> tuple[bytes | None, str | None]:
    """The PDF, or None with the reason when LibreOffice failed: the DOCX is the record, a
    missing PDF does not stop finalising (the audit event says why it is missing)."""
    try:
        return report_docx.to_pdf(docx), None
    except report_docx.PdfFailed as failed:
        return None, str(failed)[:200]


def reports_of(application: CreditApplication) -> list[InvestigationReport]:
    return list(application.reports.select_related("finalised_by").order_by("-version"))


def open_report(actor: Any, report: InvestigationReport, fmt: str) -> Any:
    """The stored file of a finalised version, about to be downloaded (audited). The caller
    has found the report through an application within the actor's scope."""
    services.require(actor, "credit.view_creditapplication")
    stored = report.pdf if fmt == "pdf" else report.docx
    if fmt not in FORMATS or not stored:
        raise DomainError(gettext("该版本没有此格式的文件"), code="no_file")
    digest = report.pdf_sha256 if fmt == "pdf" else report.docx_sha256
    with transaction.atomic():
        audit.record(
            "credit.report_downloaded",
            actor=actor,
            object_type=services.OBJECT_TYPE,
            object_id=report.application_id,
            changes={"version": report.version, "format": fmt, "sha256": digest},
        )
    return stored


def download_name(report: InvestigationReport, fmt: str) -> str:
    return f"{report.application.number}-调查报告-V{report.version}.{fmt}"
