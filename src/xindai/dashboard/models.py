from django.db import models
from django.utils.translation import gettext_lazy as _


class Workbench(models.Model):
    """No table: the holder of the permission to use the workbench (every member of staff)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_workbench", _("可使用工作台"))]
        verbose_name = _("工作台")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
