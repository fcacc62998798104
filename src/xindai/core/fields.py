"""Field helpers so every amount, area and identity column is declared the same way."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator
from django.db import models

from xindai.core.validators import (
    validate_credit_code,
    validate_mobile,
    validate_non_negative,
    validate_resident_id,
)


def money(label: Any, **kwargs: Any) -> models.DecimalField:
    """An amount in 元: NUMERIC(18,2), never negative."""
    kwargs.setdefault("default", 0)
    return models.DecimalField(
        label, max_digits=18, decimal_places=2, validators=[validate_non_negative], **kwargs
    )


def quantity(label: Any, **kwargs: Any) -> models.DecimalField:
    """A non-negative quantity (亩, 头, 平方米, ...) with two decimals."""
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, validators=[validate_non_negative], **kwargs
    )


def percent(label: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        validators=[validate_non_negative, MaxValueValidator(100)],
        **kwargs,
    )


def resident_id(label: Any, **kwargs: Any) -> models.CharField:
    return models.CharField(label, max_length=18, validators=[validate_resident_id], **kwargs)


def credit_code(label: Any, **kwargs: Any) -> models.CharField:
    return models.CharField(label, max_length=18, validators=[validate_credit_code], **kwargs)


def mobile(label: Any, **kwargs: Any) -> models.CharField:
    return models.CharField(label, max_length=11, validators=[validate_mobile], **kwargs)
