from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xindai.org import domain
from xindai.org.roles import SPEC_BY_GROUP, Role, RoleSpec


class UnitKind(models.TextChoices):
    UNION = domain.UnitKind.UNION.value, _("联社/总行")
    BRANCH = domain.UnitKind.BRANCH.value, _("支行")
    OUTLET = domain.UnitKind.OUTLET.value, _("网点")


class OrgUnit(models.Model):
    """A node of the organisation: 联社/总行 → 支行 → 网点."""

    code = models.CharField(_("机构代码"), max_length=20, unique=True)
    name = models.CharField(_("机构名称"), max_length=100)
    kind = models.CharField(_("机构层级"), max_length=10, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("机构路径"), max_length=255, unique=True, editable=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self._stored_path() if self.pk else None
        self.path = domain.unit_path(self.parent.path if self.parent else None, self.code)
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in OrgUnit.objects.filter(parent=self):
                child.save()  # re-roots the subtree below a moved or renamed unit

    def clean(self) -> None:
        parent_kind = domain.UnitKind(self.parent.kind) if self.parent else None
        problem = domain.hierarchy_problem(domain.UnitKind(self.kind), parent_kind)
        if problem:
            raise ValidationError({"parent": problem})
        if self.pk and self.parent and self.parent.path.startswith(self._stored_path()):
            raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构")})

    def _stored_path(self) -> str:
        return OrgUnit.objects.values_list("path", flat=True).get(pk=self.pk)

    def subtree(self) -> models.QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(path__startswith=self.path)


class User(AbstractUser):
    """A member of staff: a Django user who belongs to an org unit and holds roles (groups)."""

    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    employee_no = models.CharField(_("工号"), max_length=20, blank=True)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")
        ordering = ["org_unit__path", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def role_specs(self) -> list[RoleSpec]:
        names = [group.name for group in self.groups.all()]
        return [SPEC_BY_GROUP[name] for name in names if name in SPEC_BY_GROUP]

    def roles(self) -> set[Role]:
        return {spec.role for spec in self.role_specs()}

    def role_names(self) -> str:
        return "、".join(spec.group_name for spec in self.role_specs())


class Share(models.Model):
    """A record shared with a colleague, who then sees it as if it were his own."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("共享给"),
        on_delete=models.CASCADE,
        related_name="shares_received",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("共享人"),
        on_delete=models.PROTECT,
        related_name="shares_given",
    )
    reason = models.CharField(_("原因"), max_length=200)
    created_at = models.DateTimeField(_("共享时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("记录共享")
        verbose_name_plural = _("记录共享")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "grantee"], name="org_share_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model}#{self.object_id} → {self.grantee}"


class ApiToken(models.Model):
    """A bearer token for programs calling the API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("员工"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked = models.BooleanField(_("已吊销"), default=False)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    def is_usable(self) -> bool:
        return not self.revoked and self.expires_at > timezone.now() and self.user.is_active
