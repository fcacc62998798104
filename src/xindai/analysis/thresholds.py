"""Analysis thresholds and loan-to-value rates as data (pure: stdlib and ``xindai.core`` only).

``Thresholds`` holds the bounds the ratio flags compare with: asset-liability ratio at most
70 %, current ratio at least 1.5, quick ratio at least 1.0 (the defaults of issue 6). They are
rules of thumb of Chinese credit practice, not regulation: textbooks quote a current ratio of
2 and a quick ratio of 1 for a manufacturer, and banks relax them for trade and services. An
industry may have its own bounds (GB/T 4754 code prefix → bounds, kept in the admin as
``models.IndustryThreshold``); the longest prefix of the customer's code applies.

``LoanToValue`` holds the loan-to-value rate (抵押率/质押率) by kind of collateral for the
secured credit-limit method. Housing 70 %, land-use rights 50 % and deposits 90 % come from
issue 6; commercial property 60 % and machinery 40 % are common practice of rural banks, not
a rule. The lead engineer may later merge both into the versioned credit policy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from xindai.core.problems import Problem
from xindai.core.problems import mark as _

if TYPE_CHECKING:
    from xindai.analysis.ratios import Ratio

ISSUE_6 = _("议题 6 默认值（信贷实务经验值）")
PRACTICE = _("行业惯例")


def _param(default: Any, label: str, source: str, unit: str = "") -> Any:
    return dataclasses.field(
        default=default, metadata={"label": label, "source": source, "unit": unit}
    )


@dataclass(frozen=True)
class Thresholds:
    """Bounds of the flagged ratios: the asset-liability ratio in percent, the others in 倍."""

    max_asset_liability_ratio: Decimal = _param(  # noqa: RUF009 (field() with metadata)
        Decimal(70), _("资产负债率上限"), ISSUE_6, "%"
    )
    min_current_ratio: Decimal = _param(Decimal("1.5"), _("流动比率下限"), ISSUE_6, _("倍"))  # noqa: RUF009
    min_quick_ratio: Decimal = _param(Decimal("1.0"), _("速动比率下限"), ISSUE_6, _("倍"))  # noqa: RUF009

    def with_overrides(self, overrides: Mapping[str, Decimal | None]) -> Thresholds:
        """These bounds with the given ones replaced (a None override keeps the bound)."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"unknown thresholds: {sorted(unknown)}")
        given = {key: value for key, value in overrides.items() if value is not None}
        return dataclasses.replace(self, **given)

    def to_params(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in dataclasses.fields(self)}


DEFAULT = Thresholds()


def parameters() -> list[tuple[str, str, str, str, Any]]:
    """(key, label, source, unit, default) of every bound, in order (for forms and docs)."""
    return [
        (f.name, f.metadata["label"], f.metadata["source"], f.metadata["unit"], f.default)
        for f in dataclasses.fields(Thresholds)
    ]


def for_industry(
    industry_code: str,
    overrides: Mapping[str, Mapping[str, Decimal | None]],
    base: Thresholds = DEFAULT,
) -> tuple[Thresholds, str | None]:
    """The bounds for a GB/T 4754 code: ``base`` with the overrides of the longest code
    prefix among ``overrides`` (code → bounds), and that prefix (None: no industry bounds)."""
    matching = [code for code in overrides if code and industry_code.startswith(code)]
    if not matching:
        return base, None
    prefix = max(matching, key=len)
    return base.with_overrides(overrides[prefix]), prefix


# ---- flags -----------------------------------------------------------------------------------


class Bound(StrEnum):
    MAX = "max"
    MIN = "min"


class FlagStatus(StrEnum):
    OK = "ok"
    WARN = "warn"
    UNKNOWN = "unknown"  # the ratio could not be computed


@dataclass(frozen=True)
class Rule:
    ratio: str  # the key of a ``ratios.Ratio``
    threshold: str  # the field of ``Thresholds``
    bound: Bound


RULES: tuple[Rule, ...] = (
    Rule("asset_liability_ratio", "max_asset_liability_ratio", Bound.MAX),
    Rule("current_ratio", "min_current_ratio", Bound.MIN),
    Rule("quick_ratio", "min_quick_ratio", Bound.MIN),
)


@dataclass(frozen=True)
class Flag:
    ratio: str
    label: str
    value: Decimal | None
    unit: str
    bound: Bound
    threshold: Decimal
    status: FlagStatus
    message: Problem


def flags(ratios: Iterable[Ratio], thresholds: Thresholds) -> tuple[Flag, ...]:
    """Each flagged ratio against its bound: ok, warn, or unknown when it is not computable."""
    by_key = {ratio.key: ratio for ratio in ratios}
    return tuple(
        _flag(by_key[rule.ratio], rule, getattr(thresholds, rule.threshold))
        for rule in RULES
        if rule.ratio in by_key
    )


def _flag(ratio: Ratio, rule: Rule, threshold: Decimal) -> Flag:
    def made(status: FlagStatus, message: Problem) -> Flag:
        unit = ratio.unit
        return Flag(
            ratio.key, ratio.label, ratio.value, unit, rule.bound, threshold, status, message
        )

    if ratio.value is None:
        reason = ratio.reason or Problem(ratio.key, _("无法计算"))
        return made(FlagStatus.UNKNOWN, reason)
    params = {
        "label": ratio.label,
        "value": f"{ratio.value:f}",
        "bound": f"{threshold:f}",
        "unit": ratio.unit,
    }
    if rule.bound == Bound.MAX and ratio.value > threshold:
        return made(FlagStatus.WARN, Problem(ratio.key, _WARN_MAX, params))
    if rule.bound == Bound.MIN and ratio.value < threshold:
        return made(FlagStatus.WARN, Problem(ratio.key, _WARN_MIN, params))
    ok = _OK_MAX if rule.bound == Bound.MAX else _OK_MIN
    return made(FlagStatus.OK, Problem(ratio.key, ok, params))


_WARN_MAX = _("%(label)s %(value)s%(unit)s，高于上限 %(bound)s%(unit)s")
_WARN_MIN = _("%(label)s %(value)s%(unit)s，低于下限 %(bound)s%(unit)s")
_OK_MAX = _("%(label)s %(value)s%(unit)s，不高于上限 %(bound)s%(unit)s")
_OK_MIN = _("%(label)s %(value)s%(unit)s，不低于下限 %(bound)s%(unit)s")


# ---- loan-to-value by collateral ---------------------------------------------------------------


class CollateralKind(StrEnum):
    RESIDENTIAL = "residential"  # 住房
    COMMERCIAL = "commercial"  # 商业用房
    LAND_USE = "land_use"  # 土地使用权
    DEPOSIT = "deposit"  # 存单、保证金等存款
    MACHINERY = "machinery"  # 机器设备、农机具


COLLATERAL_LABELS: dict[CollateralKind, str] = {
    CollateralKind.RESIDENTIAL: _("住房"),
    CollateralKind.COMMERCIAL: _("商业用房"),
    CollateralKind.LAND_USE: _("土地使用权"),
    CollateralKind.DEPOSIT: _("存单（存款质押）"),
    CollateralKind.MACHINERY: _("机器设备"),
}


@dataclass(frozen=True)
class LoanToValue:
    """The highest loan as a fraction of the appraised value, by kind of collateral."""

    residential: Decimal = _param(Decimal("0.70"), _("住房抵押率"), ISSUE_6)  # noqa: RUF009
    commercial: Decimal = _param(Decimal("0.60"), _("商业用房抵押率"), PRACTICE)  # noqa: RUF009
    land_use: Decimal = _param(Decimal("0.50"), _("土地使用权抵押率"), ISSUE_6)  # noqa: RUF009
    deposit: Decimal = _param(Decimal("0.90"), _("存单质押率"), ISSUE_6)  # noqa: RUF009
    machinery: Decimal = _param(Decimal("0.40"), _("机器设备抵押率"), PRACTICE)  # noqa: RUF009

    def rate(self, kind: CollateralKind) -> Decimal:
        rate: Decimal = getattr(self, CollateralKind(kind).value)
        return rate


DEFAULT_LTV = LoanToValue()
