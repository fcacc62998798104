"""The contract pages: the contracts of an application (generate, check, sign, verify,
download), the list of all contracts, and the template versions. Thin: the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xindai.audit import services as audit
from xindai.contracts import domain, queries, services
from xindai.contracts import signing as signing_service
from xindai.contracts.gate import KIND_LABELS, contract_for, needed
from xindai.contracts.models import (
    Capacity,
    Contract,
    ContractKind,
    ContractStatus,
    SigningStatus,
)
from xindai.core.access import requires
from xindai.core.errors import DomainError
from xindai.core.paging import page_of
from xindai.credit.approved import current_terms
from xindai.credit.models import ApplicationCollateral, ApplicationGuarantor, CreditApplication
from xindai.credit.views.common import application_for
from xindai.org.models import User

VIEW = "contracts.view_contract"
VIEW_TEMPLATES = "contracts.view_contracttemplate"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def application_url(application: CreditApplication) -> str:
    return reverse("contracts:application", args=[application.pk])


def detail_url(contract: Contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])


@requires(VIEW)
def contract_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "kind", "status")}
    found = queries.contracts_for(request.user, **filters)
    context = {
        "page": page_of(found, request.GET.get("page")),
        "filters": filters,
        "kinds": ContractKind.choices,
        "statuses": ContractStatus.choices,
    }
    return render(request, "contracts/list.html", context)


def need_rows(application: CreditApplication) -> list[dict[str, Any]]:
    terms = current_terms(application)
    if terms is None:
        return []
    rows = []
    for need in needed(terms):
        party = need.guarantor.guarantor.name if need.guarantor else ""
        if need.collateral is not None:
            party = f"{need.collateral.description}（{need.collateral.owner_name}）"
        rows.append(
            {
                "need": need,
                "label": _(KIND_LABELS[need.kinds[0]]),
                "party": party or application.customer.name,
                "contract": contract_for(terms, need),
                "kinds": [(kind, _(KIND_LABELS[kind])) for kind in need.kinds],
            }
        )
    return rows


@requires(VIEW)
def application_contracts(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    context = {
        "application": application,
        "terms": current_terms(application),
        "rows": need_rows(application),
        "contracts": application.contracts.select_related("template").order_by("-pk"),
        "can_generate": request.user.has_perm(services.ADD)
        and request.user.pk == application.manager_id
        and application.stage == "disbursement",
    }
    return render(request, "contracts/application.html", context)


@requires(services.ADD)
@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    guarantor = collateral = None
    if request.POST.get("guarantor"):
        guarantor = get_object_or_404(
            ApplicationGuarantor, application=application, pk=request.POST["guarantor"]
        )
    if request.POST.get("collateral"):
        collateral = get_object_or_404(
            ApplicationCollateral, application=application, pk=request.POST["collateral"]
        )
    kind = request.POST.get("kind", "")
    try:
        if kind == "all":
            made = services.generate_all(request.user, application)
        else:
            made = [services.generate(request.user, application, kind, guarantor, collateral)]
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        numbers = "、".join(c.number for c in made) or _("无（均已生成）")
        messages.success(request, _("已生成合同：%(numbers)s") % {"numbers": numbers})
    return redirect(application_url(application))


@requires(VIEW)
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = queries.contract_for(request.user, pk)
    signings = contract.signings.select_related(
        "witness_one", "witness_two", "recorded_by", "verified_by"
    ).prefetch_related("parties")
    pending = next((s for s in signings if s.status == SigningStatus.RECORDED), None)
    context = {
        "contract": contract,
        "application": contract.application,
        "figures": figure_rows(contract),
        "signings": signings,
        "pending": pending,
        "may_verify": pending is not None
        and request.user.has_perm(services.VERIFY)
        and request.user.pk not in pending.witness_ids | {pending.recorded_by_id},
    }
    return render(request, "contracts/detail.html", context)


def figure_rows(contract: Contract) -> list[tuple[str, str]]:
    figures = contract.terms.get("figures", {})
    return [(_(label), figures.get(key, "—")) for key, label in domain.TERM_LABELS.items()]


@requires(services.ADD)
@require_POST
def check(request: HttpRequest, pk: int) -> HttpResponse:
    contract = queries.contract_for(request.user, pk)
    try:
        services.check(request.user, contract)
    except DomainError as refused:
        messages.error(request, refused.message)
        for texts in refused.details.values():
            for text in texts:
                messages.warning(request, text)
    else:
        messages.success(request, _("核对通过：合同与批复及模板一致，可以面签"))
    return redirect(detail_url(contract))


class SigningForm(forms.Form):
    place = forms.CharField(label=gettext_lazy("签约地点"), max_length=100, required=False)
    signed_at = forms.DateTimeField(
        label=gettext_lazy("签约时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    witness_one = forms.ModelChoiceField(User.objects.none(), label=gettext_lazy("见证人一"))
    witness_two = forms.ModelChoiceField(User.objects.none(), label=gettext_lazy("见证人二"))
    name = forms.CharField(label=gettext_lazy("签字人姓名"), max_length=100, required=False)
    capacity = forms.ChoiceField(label=gettext_lazy("签字身份"), choices=Capacity.choices)
    id_number = forms.CharField(
        label=gettext_lazy("签字人身份证号码"), max_length=18, required=False
    )
    identity_checked = forms.BooleanField(
        label=gettext_lazy("已当场核验签字人身份证件原件"), required=False
    )
    seal_checked = forms.BooleanField(
        label=gettext_lazy("所盖印章已与预留印鉴核对相符"), required=False
    )
    authority_document = forms.FileField(
        label=gettext_lazy("授权文件（授权委托书 / 法定代表人身份证明书）"), required=False
    )
    notes = forms.CharField(
        label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("witness_one", "witness_two"):
            self.fields[name].queryset = staff  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = lambda u: u.full_name or u.username  # type: ignore[attr-defined]

    def signing(self, role: str) -> domain.Signing:
        data = self.cleaned_data
        person = domain.Signatory(
            role=role,
            name=data["name"],
            capacity=data["capacity"],
            id_number=data["id_number"],
            identity_checked=data["identity_checked"],
            seal_checked=data["seal_checked"],
            has_authority_document=data["authority_document"] is not None,
        )
        return domain.Signing(
            place=data["place"],
            signed_at=data["signed_at"],
            witnesses=(data["witness_one"].pk, data["witness_two"].pk),
            staff_ids=frozenset(),
            recorder_id=0,
            signatories=(person,),
            notes=data["notes"],
        )


def staff_for(application: CreditApplication) -> Any:
    """The staff who may witness: the active staff of the case's branch."""
    unit = application.org_unit
    branch = unit.parent if unit.parent is not None and unit.parent.parent_id else unit
    found = User.objects.filter(is_active=True, org_unit__path__startswith=branch.path)
    return found.order_by("org_unit__path", "username")


@requires(services.SIGN)
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    contract = queries.contract_for(request.user, pk)
    need = signing_service.party_needed(contract)
    staff = staff_for(contract.application)
    initial = {
        "signed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "witness_one": request.user.pk,
        "name": need.name if not need.company else "",
        "capacity": Capacity.LEGAL_REP if need.company else Capacity.SELF,
    }
    form = SigningForm(request.POST or None, request.FILES or None, staff=staff, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        files = {0: form.cleaned_data["authority_document"]}
        try:
            signing_service.sign(request.user, contract, form.signing(need.role), files)
        except DomainError as refused:
            errors = [refused.message] + [t for ts in refused.details.values() for t in ts]
        else:
            messages.success(request, _("面签已登记：待另一人签约复核"))
            return redirect(detail_url(contract))
    context = {"contract": contract, "form": form, "need": need, "errors": errors}
    return render(request, "contracts/sign.html", context)


@requires(services.VERIFY)
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    contract = queries.contract_for(request.user, pk)
    passed = request.POST.get("result") == "pass"
    try:
        signing_service.verify(
            request.user, contract, passed=passed, note=request.POST.get("note", "")
        )
    except DomainError as refused:
        reasons = [t for ts in refused.details.values() for t in ts]
        messages.error(request, " ".join([refused.message, *reasons]))
    else:
        done = _("签约复核通过") if passed else _("签约复核未通过：合同退回“已核对”，须重新面签")
        messages.success(request, done)
    return redirect(detail_url(contract))


@requires(VIEW)
def download(request: HttpRequest, pk: int) -> FileResponse:
    contract = queries.contract_for(request.user, pk)
    content = services.stored_docx(contract)
    if content is None:
        raise Http404(_("合同文件缺失"))
    audit.record(
        "contracts.downloaded",
        actor=request.user,
        object_type=services.OBJECT_TYPE,
        object_id=contract.pk,
        changes={"number": contract.number},
    )
    return FileResponse(
        contract.docx.open("rb"),
        as_attachment=True,
        filename=f"{contract.number}.docx",
        content_type=DOCX_TYPE,
    )


@requires(VIEW_TEMPLATES)
def template_list(request: HttpRequest) -> HttpResponse:
    versions = list(queries.template_versions())
    newest = {}
    for version in versions:
        if version.approved_at and version.kind not in newest:
            newest[version.kind] = version.pk
    context = {"versions": versions, "in_use": set(newest.values())}
    return render(request, "contracts/templates.html", context)
