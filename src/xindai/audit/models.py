from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xindai.audit.domain import GENESIS_HASH


class AppendOnlyError(RuntimeError):
    """Audit events are never updated or deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("审计事件只能追加，不能修改")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("审计事件只能追加，不能删除")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("审计事件只能追加，不能修改")


class AuditEvent(models.Model):
    """Who did what, when, from where and why; sealed into a hash chain."""

    seq = models.PositiveBigIntegerField(_("序号"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(_("操作人账号"), max_length=150, blank=True)
    roles = models.CharField(_("角色"), max_length=200, blank=True)
    org_unit_code = models.CharField(_("机构"), max_length=20, blank=True, db_index=True)
    ip = models.CharField(_("来源地址"), max_length=45, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    changes = models.JSONField(_("变更字段"), default=dict, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    prev_hash = models.CharField(_("上一哈希"), max_length=64, editable=False)
    hash = models.CharField(_("哈希"), max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-seq"]
        default_permissions = ("view",)
        permissions = [("verify_chain", _("可校验审计链"))]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("审计事件只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("审计事件只能追加，不能删除")

    def content(self) -> dict[str, Any]:
        """The sealed content: every field but the hashes, in a database-independent form."""
        return {
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "roles": self.roles,
            "org_unit_code": self.org_unit_code,
            "ip": self.ip,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "changes": self.changes,
            "reason": self.reason,
        }


class AuditChainHead(models.Model):
    """The chain's last link; locking this row serialises writers so the chain never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    count = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.count} @ {self.last_hash[:12]}"
