from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LprRate(models.Model):
    """Loan Prime Rate (贷款市场报价利率) as published, effective from its date (the 20th)."""

    effective_date = models.DateField(_("生效日期"), unique=True)
    one_year = models.DecimalField(_("1年期 LPR"), max_digits=8, decimal_places=6)
    five_year = models.DecimalField(_("5年期以上 LPR"), max_digits=8, decimal_places=6)

    class Meta:
        verbose_name = _("LPR 报价")
        verbose_name_plural = _("LPR 报价")
        ordering = ["-effective_date"]

    def __str__(self) -> str:
        return f"{self.effective_date}: {self.one_year:.2%} / {self.five_year:.2%}"
