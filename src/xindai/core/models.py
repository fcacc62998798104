from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessDate(models.Model):
    """The accounting date (会计日期): one row, moved by end-of-day or by an administrator."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    value = models.DateField(_("会计日期"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("会计日期")
        verbose_name_plural = _("会计日期")
        default_permissions = ("view", "change")

    def __str__(self) -> str:
        return self.value.isoformat()
