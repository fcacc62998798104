"""Economic archives (经济档案): the customer, the areas households live in, soft information,
documents and relationships. The per-kind sections are in :mod:`section_models`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xindai.core import fields
from xindai.core.validators import validate_industry_code
from xindai.org.models import OrgUnit


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("村")


class Area(models.Model):
    """An administrative area down to the village (统计用区划代码, 12 digits)."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT
    )
    full_name = models.CharField(_("全称"), max_length=200, editable=False)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name or self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name = f"{self.parent.full_name}{self.name}" if self.parent else self.name
        super().save(*args, **kwargs)


class CustomerKind(models.TextChoices):
    FARMER = "farmer", _("农户")
    BUSINESS = "business", _("个体工商户")
    ENTERPRISE = "enterprise", _("企业")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")


ID_TYPE_OF_KIND = {
    CustomerKind.FARMER: IdType.RESIDENT_ID,
    CustomerKind.BUSINESS: IdType.CREDIT_CODE,
    CustomerKind.ENTERPRISE: IdType.CREDIT_CODE,
}


class ArchiveStatus(models.TextChoices):
    DRAFT = "draft", _("未梳理")
    CONFIRMED = "confirmed", _("已梳理")
    RECONFIRM = "reconfirm", _("待重新确认")


class Customer(models.Model):
    """One customer per legal identity: a household (by its head's resident ID), an individual
    business or an enterprise (by the unified social credit code)."""

    kind = models.CharField(_("客户类型"), max_length=12, choices=CustomerKind.choices)
    name = models.CharField(_("客户名称"), max_length=100, db_index=True)
    id_type = models.CharField(_("证件类型"), max_length=12, choices=IdType.choices, editable=False)
    id_number = models.CharField(_("证件号码"), max_length=18, unique=True)
    phone = fields.mobile(_("联系电话"), blank=True)
    address = models.CharField(_("住址/经营地址"), max_length=200, blank=True)
    village = models.ForeignKey(
        Area,
        verbose_name=_("所在村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": AreaLevel.VILLAGE},
        related_name="customers",
    )
    industry_code = models.CharField(
        _("行业代码（GB/T 4754）"), max_length=4, blank=True, validators=[validate_industry_code]
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("管户客户经理"),
        on_delete=models.PROTECT,
        related_name="customers",
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("管户机构"), on_delete=models.PROTECT, related_name="customers"
    )
    archive_status = models.CharField(
        _("档案状态"), max_length=10, choices=ArchiveStatus.choices, default=ArchiveStatus.DRAFT
    )
    confirmed_at = models.DateTimeField(_("梳理确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("梳理确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completeness = models.PositiveSmallIntegerField(_("完整度"), default=0, db_index=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["completeness", "updated_at"])

    class Meta:
        verbose_name = _("客户")
        verbose_name_plural = _("客户")
        ordering = ["-updated_at"]
        permissions = [("view_full_pii", _("可查看完整证件号、手机号和账号"))]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id_type = ID_TYPE_OF_KIND[CustomerKind(self.kind)]
        self.id_number = self.id_number.strip().upper()
        super().save(*args, **kwargs)


class Circle(models.TextChoices):
    BUSINESS = "business", _("生意圈")
    LIFE = "life", _("生活圈")
    SOCIAL = "social", _("社交圈")


class SoftInfo(models.Model):
    """Soft information of the three circles (软信息): what people say, and who said it."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="soft_info")
    circle = models.CharField(_("圈子"), max_length=10, choices=Circle.choices)
    note = models.TextField(_("内容"))
    source = models.CharField(_("信息来源"), max_length=100)
    noted_on = models.DateField(_("了解日期"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("软信息")
        verbose_name_plural = _("软信息")
        ordering = ["-noted_on"]

    def __str__(self) -> str:
        return f"{self.get_circle_display()} {self.noted_on}"


class RelationKind(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    FAMILY = "family", _("家庭成员")
    SHAREHOLDER = "shareholder", _("股东")
    GUARANTOR = "guarantor", _("担保人")
    RELATED_PARTY = "related_party", _("关联方")
    GROUP = "group", _("同一集团")


class Relationship(models.Model):
    """A link between two customers, read as ``source`` is ``kind`` of ``target``."""

    source = models.ForeignKey(
        Customer, verbose_name=_("客户"), on_delete=models.CASCADE, related_name="relations_out"
    )
    target = models.ForeignKey(
        Customer, verbose_name=_("关系人"), on_delete=models.CASCADE, related_name="relations_in"
    )
    kind = models.CharField(_("关系"), max_length=16, choices=RelationKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("客户关系")
        verbose_name_plural = _("客户关系")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="relation_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.get_kind_display()})"


class DocumentType(models.TextChoices):
    ID_CARD = "id_card", _("身份证")
    HOUSEHOLD_REGISTER = "household_register", _("户口簿")
    MARRIAGE = "marriage", _("婚姻证明")
    LICENCE = "licence", _("营业执照")
    PERMIT = "permit", _("特许经营许可证")
    LAND_CONTRACT = "land_contract", _("土地承包/流转合同")
    PROPERTY = "property", _("房产证/不动产权证")
    LEASE = "lease", _("租赁合同")
    ARTICLES = "articles", _("公司章程")
    STATEMENT = "statement", _("财务报表")
    BANK_STATEMENT = "bank_statement", _("银行流水")
    PHOTO = "photo", _("照片")
    OTHER = "other", _("其他")


class Document(models.Model):
    """An uploaded file of the archive, kept under XINDAI_DATA_DIR with its SHA-256."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("资料类型"), max_length=20, choices=DocumentType.choices)
    title = models.CharField(_("说明"), max_length=100, blank=True)
    file = models.FileField(_("文件"), upload_to="customers/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        verbose_name = _("档案资料")
        verbose_name_plural = _("档案资料")
        ordering = ["doc_type", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.original_name}"


from xindai.customers.section_models import *  # noqa: E402, F403
