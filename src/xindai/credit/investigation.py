"""Use cases of the on-site investigation (实地调查, 第二部分 五): the visit with its place and
coordinates, the checklist of the outline answered item by item, the repayment source and
timing, photos and evidence of the purpose, soft information of the three circles added to the
archive, and both investigators' confirmations (双人调查).

Only the case's two investigators (its manager and its co-investigator) may change the record
or confirm it, and only while the application is in 实地调查. Each use case locks the
application row, validates everything first, saves in one transaction and writes an audit
event. The record is the visit and checklist (``Investigation``) and its files: any change to
it after a confirmation clears the confirmations (both must confirm again), with an audit
event saying so. A soft-information note belongs to the customer's archive, not to the record.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xindai.core.errors import DomainError, FormInvalid
from xindai.core.problems import Problem, by_field, mark
from xindai.credit import facts, investigation_items, stages
from xindai.credit.investigation_items import Answer, Item
from xindai.credit.models import (
    CreditApplication,
    Investigation,
    InvestigationFile,
    InvestigatorConfirmation,
)
from xindai.credit.services import audit_event as _audit
from xindai.credit.services import require
from xindai.customers import services as archive
from xindai.customers.documents import check_upload, sniff
from xindai.customers.forms import errors_of
from xindai.customers.models import SoftInfo
from xindai.customers.services import as_of_today

VIEW = "credit.view_creditapplication"
ANSWER_LABELS = {Answer.YES: _("符合"), Answer.NO: _("不符合"), Answer.NA: _("不适用")}
IMAGES = frozenset({"image/jpeg", "image/png"})
EVIDENCE_TYPES = IMAGES | {"application/pdf"}
MICRO_DEGREE = Decimal("0.000001")  # the six decimals stored: about 0.1 m
RECORD_FIELDS = (
    "visited_at",
    "place",
    "latitude",
    "longitude",
    "checklist",
    "repayment_source",
    "repayment_timing",
)
# The stage machine's words for what confirming needs (investigation_complete says them too).
VISIT_MISSING = mark("未登记走访时间和地点")
ITEM_MISSING = mark("调查核实事项未完成：%(item)s")
CLEARED = "确认后调查记录有变动，已清除确认，须两位调查人重新确认"  # the audit event's reason


class NotInvestigator(DomainError):
    status = 403
    code = "not_investigator"


# ---- forms ---------------------------------------------------------------------------------


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"  # the phone's own date and time picker


class RecordForm(forms.Form):
    """The visit, the repayment plan and one answer and note per checklist item of the
    customer's kind (fields ``<item>_result`` and ``<item>_note``)."""

    visited_at = forms.DateTimeField(
        label=_("走访时间"),
        required=False,
        widget=DateTimeLocalInput(format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("走访地点"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("纬度"),
        required=False,
        min_value=-90,
        max_value=90,
        error_messages={
            "min_value": _("纬度须在 -90 到 90 之间"),
            "max_value": _("纬度须在 -90 到 90 之间"),
            "invalid": _("纬度须是数字，如 30.274085"),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        required=False,
        min_value=-180,
        max_value=180,
        error_messages={
            "min_value": _("经度须在 -180 到 180 之间"),
            "max_value": _("经度须在 -180 到 180 之间"),
            "invalid": _("经度须是数字，如 120.155070"),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    repayment_source = forms.CharField(
        label=_("还款来源"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    repayment_timing = forms.CharField(
        label=_("还款时间安排"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = investigation_items.items_for(kind)
        for item in self.items:
            self.fields[f"{item.key}_result"] = forms.ChoiceField(
                label=_(item.label),
                required=False,
                choices=list(ANSWER_LABELS.items()),
                widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
            )
            self.fields[f"{item.key}_note"] = forms.CharField(
                label=_("说明"),
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("核实情况；“不符合”须说明原因")}),
            )

    def clean_latitude(self) -> Decimal | None:
        return _micro(self.cleaned_data["latitude"])

    def clean_longitude(self) -> Decimal | None:
        return _micro(self.cleaned_data["longitude"])

    def clean_visited_at(self) -> dt.datetime | None:
        visited = self.cleaned_data["visited_at"]
        if visited is not None and visited > timezone.now():
            raise forms.ValidationError(_("走访时间不能晚于现在"))
        return visited

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if ("latitude" in data and "longitude" in data) and (
            (data["latitude"] is None) != (data["longitude"] is None)
        ):
            self.add_error("longitude", _("经度和纬度须同时填写"))
        for item in self.items:
            if data.get(f"{item.key}_result") == Answer.NO and not data.get(f"{item.key}_note"):
                self.add_error(f"{item.key}_note", _("选择“不符合”须说明原因"))
        unknown = sorted(
            key.removesuffix("_result")
            for key in self.data
            if key.endswith("_result") and key not in self.fields
        )
        if unknown:
            known = "、".join(item.key for item in self.items)
            params = {"keys": "、".join(unknown), "known": known}
            self.add_error(None, _("没有此调查事项：%(keys)s（可填写：%(known)s）") % params)
        return data

    def values(self) -> dict[str, Any]:
        """The record's new values, as ``snapshot`` writes them."""
        data = self.cleaned_data
        answers = {
            item.key: {"result": data[f"{item.key}_result"], "note": data[f"{item.key}_note"]}
            for item in self.items
            if data[f"{item.key}_result"] or data[f"{item.key}_note"]
        }
        fields = ("visited_at", "place", "latitude", "longitude")
        return {name: data[name] for name in fields} | {
            "checklist": answers,
            "repayment_source": data["repayment_source"],
            "repayment_timing": data["repayment_timing"],
        }


def _micro(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(MICRO_DEGREE, rounding=ROUND_HALF_UP)


def record_initial(record: Investigation | None) -> dict[str, Any]:
    """The form's initial values from the stored record."""
    if record is None:
        return {}
    initial = {name: getattr(record, name) for name in RECORD_FIELDS if name != "checklist"}
    if record.visited_at is not None:
        initial["visited_at"] = timezone.localtime(record.visited_at)
    for key, answer in (record.checklist or {}).items():
        initial[f"{key}_result"] = answer.get("result", "")
        initial[f"{key}_note"] = answer.get("note", "")
    return initial


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=InvestigationFile.Kind.choices)
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)
    file = forms.FileField(label=_("文件"))


# ---- reads ---------------------------------------------------------------------------------


def record_of(application: CreditApplication) -> Investigation | None:
    return (
        Investigation.objects.filter(application=application).select_related("updated_by").first()
    )


def is_investigator(user: Any, application: CreditApplication) -> bool:
    return user.pk in {application.manager_id, application.co_investigator_id}


def may_edit(user: Any, application: CreditApplication) -> bool:
    return (
        user.has_perm(VIEW)
        and is_investigator(user, application)
        and application.stage == stages.Stage.INVESTIGATION
    )


def outstanding(application: CreditApplication) -> list[Problem]:
    """What the case still lacks before 提交调查, whoever asks: the conditions of
    ``submit_investigation`` as its manager would meet them."""
    case = facts.case_of(application, as_of_today())
    as_manager = stages.Actor(application.manager_id, frozenset({stages.MANAGER}))
    return stages.unmet("submit_investigation", case, as_manager)


def current_confirmations(application: CreditApplication) -> list[InvestigatorConfirmation]:
    """The confirmations that count (newer than the last return for rework)."""
    found = application.confirmations.select_related("investigator").order_by("confirmed_at")
    reopened = facts.reopened_at(application)
    return list(found.filter(confirmed_at__gt=reopened) if reopened else found)


# ---- use cases -----------------------------------------------------------------------------


def _locked(actor: Any, application: CreditApplication) -> CreditApplication:
    """The application locked for this transaction, if the actor may change its record now."""
    require(actor, VIEW)
    locked = (
        CreditApplication.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=application.pk)
    )
    if not is_investigator(actor, locked):
        raise NotInvestigator(gettext("只有本笔申请的主调查人和协办调查人可以办理实地调查"))
    if locked.stage != stages.Stage.INVESTIGATION:
        raise DomainError(
            gettext("申请不在实地调查阶段，调查记录不能修改"), code="not_investigating"
        )
    return locked


def snapshot(record: Investigation | None) -> dict[str, Any]:
    if record is None:
        return dict.fromkeys(RECORD_FIELDS) | {"checklist": {}}
    return {name: getattr(record, name) for name in RECORD_FIELDS}


def _differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed, for the audit event: each field (each checklist item) from → to."""
    found: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        old, new = _blank_as_none(before[name]), _blank_as_none(after[name])
        if name == "checklist":
            old, new = old or {}, new or {}
            items = {k: {"from": old.get(k), "to": new.get(k)} for k in sorted({*old, *new})}
            changed = {k: v for k, v in items.items() if v["from"] != v["to"]}
            if changed:
                found[name] = changed
        elif old != new:
            found[name] = {"from": old, "to": new}
    return found


def _blank_as_none(value: Any) -> Any:
    return None if value in ("", {}) else value


def save_record(actor: Any, application: CreditApplication, data: Any) -> Investigation:
    """Save the visit, the checklist and the repayment plan (a whole record: what is left
    blank is cleared). Nothing changed, nothing is written."""
    with transaction.atomic():
        locked = _locked(actor, application)
        form = RecordForm(data, kind=locked.customer.kind)
        if not form.is_valid():
            raise FormInvalid(gettext("调查记录有误，未保存"), details=errors_of(form))
        record = Investigation.objects.filter(application=locked).first()
        changes = _differences(snapshot(record), form.values())
        if record is not None and not changes:
            return record
        record = record or Investigation(application=locked)
        for name, value in form.values().items():
            setattr(record, name, value)
        record.updated_by = actor
        record.save()
        _audit(actor, "credit.investigation_saved", locked, changes=changes)
        _clear_confirmations(actor, locked, "credit.investigation_saved")
    return record


def add_file(
    actor: Any, application: CreditApplication, data: Any, files: Any
) -> InvestigationFile:
    """A photo (JPG or PNG) or evidence of the purpose (also PDF): the type read from the
    content, the size limited, stored with its SHA-256."""
    form = FileForm(data, files)
    with transaction.atomic():
        locked = _locked(actor, application)
        if not form.is_valid():
            raise FormInvalid(gettext("附件有误，未上传"), details=errors_of(form))
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        _accept_type(upload, kind)
        content_type, sha256 = check_upload(upload)
        item = InvestigationFile(
            application=locked,
            kind=kind,
            caption=form.cleaned_data["caption"],
            content_type=content_type,
            sha256=sha256,
            uploaded_by=actor,
        )
        name = f"{sha256[:16]}{settings.XINDAI_UPLOAD_TYPES[content_type]}"
        item.file.save(name, upload, save=False)
        item.save()
        changes = {"file": item.pk, "kind": kind, "sha256": sha256, "size": upload.size}
        _audit(actor, "credit.investigation_file_added", locked, changes=changes)
        _clear_confirmations(actor, locked, "credit.investigation_file_added")
    return item


def _accept_type(upload: Any, kind: str) -> None:
    """Photos must be JPG or PNG; evidence may also be PDF (by content, whatever the name)."""
    if not upload.size:
        return  # the archive's checks say the file is empty
    upload.seek(0)
    found = sniff(upload.read(16), upload.name or "")
    upload.seek(0)
    photo = kind == InvestigationFile.Kind.PHOTO
    if found not in (IMAGES if photo else EVIDENCE_TYPES):
        message = (
            gettext("现场照片只接受 JPG、PNG 图片（按文件内容判断）")
            if photo
            else gettext("用途证明只接受 JPG、PNG 图片或 PDF 文件（按文件内容判断）")
        )
        raise FormInvalid(gettext("文件类型不允许，未上传"), details={"file": [message]})


def add_soft_info(actor: Any, application: CreditApplication, data: Any) -> SoftInfo:
    """Soft information of the three circles learnt on the visit, into the customer's archive
    (the archive's own service checks, saves and audits it)."""
    with transaction.atomic():
        locked = _locked(actor, application)
        return archive.add_soft_info(actor, locked.customer, data)


def confirm(actor: Any, application: CreditApplication) -> InvestigatorConfirmation:
    """An investigator confirms the record as it stands (each once; the visit and the whole
    checklist must be recorded first)."""
    with transaction.atomic():
        locked = _locked(actor, application)
        record = Investigation.objects.filter(application=locked).first()
        problems = incomplete(locked, record)
        if problems:
            message = gettext("调查记录尚未完成，不能确认：")
            message += gettext("；").join(p.text(gettext) for p in problems)
            raise DomainError(
                message, code="record_incomplete", details=by_field(problems, gettext)
            )
        replaced = _drop_stale_confirmations(locked)
        if locked.confirmations.filter(investigator=actor).exists():
            raise DomainError(gettext("您已确认过本次调查结果"), code="already_confirmed")
        confirmation = InvestigatorConfirmation.objects.create(
            application=locked, investigator=actor
        )
        role = "manager" if actor.pk == locked.manager_id else "co_investigator"
        changes = {"investigator": actor.username, "as": role, "replaced_stale": replaced}
        _audit(actor, "credit.investigation_confirmed", locked, changes=changes)
    return confirmation


def incomplete(application: CreditApplication, record: Investigation | None) -> list[Problem]:
    """The visit and the checklist: what must be recorded before anyone confirms."""
    found = [] if facts.visit_recorded(record) else [Problem("visit", VISIT_MISSING)]
    missing = investigation_items.missing(
        application.customer.kind, record.checklist if record else {}
    )
    found += [Problem("checklist", ITEM_MISSING, {"item": label}) for label in missing]
    return found


def _drop_stale_confirmations(application: CreditApplication) -> int:
    """Confirmations given before the last return for rework no longer count: removed, so
    that the investigators can confirm the reworked record (once each)."""
    reopened = facts.reopened_at(application)
    if reopened is None:
        return 0
    deleted, _rows = application.confirmations.filter(confirmed_at__lte=reopened).delete()
    return deleted


def _clear_confirmations(actor: Any, application: CreditApplication, cause: str) -> None:
    """A change after a confirmation (``cause``: the audit action of the change): the
    confirmations no longer hold, and the audit trail says so."""
    confirmations = application.confirmations.select_related("investigator").order_by("pk")
    who = [c.investigator.username for c in confirmations]
    if not who:
        return
    confirmations.delete()
    changes = {"investigators": who, "cause": cause}
    _audit(
        actor,
        "credit.investigation_confirmations_cleared",
        application,
        changes=changes,
        reason=CLEARED,
    )


def items_with_answers(
    record: Investigation | None, kind: str
) -> list[tuple[Item, dict[str, str]]]:
    """Each checklist item of the customer's kind with its stored answer (empty if none)."""
    answers = record.checklist if record else {}
    return [(item, answers.get(item.key) or {}) for item in investigation_items.items_for(kind)]
