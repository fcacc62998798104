"""信贷合同 (issue 7, points 4–5): the bank's contract templates, versioned with a hash, and the
contracts made from them out of the approved terms."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class ContractKind(models.TextChoices):
    LOAN = "loan", _("借款合同")
    GUARANTEE = "guarantee", _("保证合同")
    MORTGAGE = "mortgage", _("抵押合同")
    PLEDGE = "pledge", _("权利质押合同")
    MAX_MORTGAGE = "max_mortgage", _("最高额抵押合同")


class ContractTemplate(models.Model):
    """One version of the bank's uniform contract (统一制式合同) of a kind: a DOCX with
    placeholders. Never edited: a change is a new version; only an approved version is used."""

    kind = models.CharField(_("合同种类"), max_length=16, choices=ContractKind.choices)
    version = models.PositiveSmallIntegerField(_("版本"))
    file = models.FileField(_("模板（DOCX）"), upload_to="contract_templates/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    clauses: Any = models.JSONField(_("条款目录"), default=list)
    note = models.CharField(_("版本说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准启用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合同模板")
        verbose_name_plural = _("合同模板")
        ordering = ["kind", "-version"]
        permissions = [("approve_contracttemplate", _("可批准启用合同模板"))]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="template_version")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} V{self.version}"


class ContractStatus(models.TextChoices):
    DRAFTED = "drafted", _("已生成")
    CHECKED = "checked", _("已核对")  # consistent with the approval, ready to sign
    SIGNED = "signed", _("已签约")  # signed face to face
    VERIFIED = "verified", _("签约已复核")  # post-signing check by a second person
    VOID = "void", _("已作废")


class Contract(models.Model):
    """A contract made from a template version and the approved terms. ``terms`` is the
    snapshot it was filled from; ``sha256`` the hash of the generated DOCX."""

    number = models.CharField(_("合同编号"), max_length=32, unique=True)
    application = models.ForeignKey(
        "credit.CreditApplication", on_delete=models.PROTECT, related_name="contracts"
    )
    approved_terms = models.ForeignKey(
        "credit.ApprovedTerms", on_delete=models.PROTECT, related_name="contracts"
    )
    kind = models.CharField(_("合同种类"), max_length=16, choices=ContractKind.choices)
    template = models.ForeignKey(ContractTemplate, on_delete=models.PROTECT, related_name="+")
    guarantor = models.ForeignKey(
        "credit.ApplicationGuarantor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    collateral = models.ForeignKey(
        "credit.ApplicationCollateral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    party_name = models.CharField(_("合同相对人"), max_length=100)
    terms: Any = models.JSONField(_("合同要素"))
    docx = models.FileField(_("合同文本（DOCX）"), upload_to="contracts/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.DRAFTED
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    checked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("核对时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("信贷合同")
        verbose_name_plural = _("信贷合同")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("sign_contract", _("可办理面签")),
            ("verify_signing", _("可复核签约")),
        ]

    def __str__(self) -> str:
        return self.number


class ContractCounter(models.Model):
    """The last contract number given for a kind and year; its row is locked while a number is
    taken, so two contracts made at once get consecutive numbers, never the same."""

    kind = models.CharField(max_length=16, choices=ContractKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="counter_kind_year")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class PartyRole(models.TextChoices):
    BORROWER = "borrower", _("借款人")
    GUARANTOR = "guarantor", _("保证人")
    MORTGAGOR = "mortgagor", _("抵押人")
    PLEDGOR = "pledgor", _("出质人")


class Capacity(models.TextChoices):
    SELF = "self", _("本人")
    LEGAL_REP = "legal_rep", _("法定代表人")
    AGENT = "agent", _("委托代理人")


class SigningStatus(models.TextChoices):
    RECORDED = "recorded", _("待复核")
    VERIFIED = "verified", _("复核通过")
    REJECTED = "rejected", _("复核未通过")


class SigningRecord(models.Model):
    """面签: the contract signed face to face before two staff witnesses (one of them the
    recorder), identities checked; then 签约复核 by a second person. A failed check keeps this
    record (rejected, with the reason) and the contract is signed again."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="signings")
    signed_at = models.DateTimeField(_("签约时间"))
    place = models.CharField(_("签约地点"), max_length=100)
    witness_one = models.ForeignKey(
        USER, verbose_name=_("见证人一"), on_delete=models.PROTECT, related_name="+"
    )
    witness_two = models.ForeignKey(
        USER, verbose_name=_("见证人二"), on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    status = models.CharField(
        _("复核结果"),
        max_length=10,
        choices=SigningStatus.choices,
        default=SigningStatus.RECORDED,
    )
    verified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    verification_note = models.TextField(_("复核意见"), blank=True)

    class Meta:
        verbose_name = _("面签记录")
        verbose_name_plural = _("面签记录")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.contract} {self.signed_at:%Y-%m-%d}"

    @property
    def witness_ids(self) -> set[int]:
        return {self.witness_one_id, self.witness_two_id}


class SigningParty(models.Model):
    """Who signed for a party of the contract: the party himself, its legal representative or
    an agent (with the authority document: 授权委托书 / 法定代表人身份证明书)."""

    signing = models.ForeignKey(SigningRecord, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("合同身份"), max_length=10, choices=PartyRole.choices)
    name = models.CharField(_("签字人"), max_length=100)
    capacity = models.CharField(_("签字身份"), max_length=10, choices=Capacity.choices)
    id_number = models.CharField(_("签字人证件号码"), max_length=18)
    identity_checked = models.BooleanField(_("身份已核实"), default=False)
    seal_checked = models.BooleanField(_("印章与预留印鉴核对相符"), default=False)
    authority_document = models.FileField(
        _("授权文件"), upload_to="contracts/authority/%Y/%m/", blank=True
    )
    authority_sha256 = models.CharField(_("授权文件 SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("签约当事人")
        verbose_name_plural = _("签约当事人")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"
