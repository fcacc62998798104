"""Analyses and credit limits as JSON-ready data: the one serialisation behind ``xindai
ratios``, the API and the pages (pure: the edge passes ``gettext`` as ``translate``).

Numbers are strings (``"17.98"``; amounts with two decimals), a value that cannot be computed
is ``null`` with its ``reason``; labels, units, formulas and messages are translated.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from xindai.analysis.limits import GuarantorCapacity, LimitResult, Step, Suggestion
from xindai.analysis.ratios import Analysis, PeriodAnalysis, Ratio, TrendLine
from xindai.analysis.thresholds import Flag
from xindai.core.problems import Problem

Translate = Callable[[str], str]


def number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _text(problem: Problem | None, translate: Translate) -> str | None:
    return None if problem is None else problem.text(translate)


def analysis_json(
    analysis: Analysis,
    translate: Translate = str,
    *,
    industry_code: str | None = None,
    industry_threshold: str | None = None,
) -> dict[str, Any]:
    """Every period's ratios, flags and warnings, the trend, and the bounds used."""
    return {
        "industry_code": industry_code,
        "industry_threshold": industry_threshold,
        "thresholds": analysis.thresholds.to_params(),
        "periods": [period_json(period, translate) for period in analysis.periods],
        "trend": [trend_json(line, translate) for line in analysis.trend],
    }


def period_json(period: PeriodAnalysis, translate: Translate = str) -> dict[str, Any]:
    return {
        "end": period.statements.period.end.isoformat(),
        "months": period.statements.period.months,
        "ratios": [ratio_json(ratio, translate) for ratio in period.ratios],
        "flags": [flag_json(flag, translate) for flag in period.flags],
        "problems": [
            {"field": problem.field, "message": problem.text(translate)}
            for problem in period.problems
        ],
    }


def ratio_json(ratio: Ratio, translate: Translate = str) -> dict[str, Any]:
    return {
        "key": ratio.key,
        "label": translate(ratio.label),
        "value": number(ratio.value),
        "unit": translate(ratio.unit),
        "formula": translate(ratio.formula),
        "reason": _text(ratio.reason, translate),
        "notes": [note.text(translate) for note in ratio.notes],
    }


def flag_json(flag: Flag, translate: Translate = str) -> dict[str, Any]:
    return {
        "ratio": flag.ratio,
        "label": translate(flag.label),
        "value": number(flag.value),
        "unit": translate(flag.unit),
        "bound": flag.bound.value,
        "threshold": number(flag.threshold),
        "status": flag.status.value,
        "message": flag.message.text(translate),
    }


def trend_json(line: TrendLine, translate: Translate = str) -> dict[str, Any]:
    return {
        "key": line.key,
        "label": translate(line.label),
        "unit": translate(line.unit),
        "points": [{"end": end.isoformat(), "value": number(value)} for end, value in line.points],
        "changes": [number(change) for change in line.changes],
    }


def step_json(step: Step, translate: Translate = str) -> dict[str, Any]:
    return {
        "key": step.key,
        "label": translate(step.label),
        "formula": step.formula.text(translate),
        "value": number(step.value),
        "unit": translate(step.unit),
    }


def limit_json(result: LimitResult, translate: Translate = str) -> dict[str, Any]:
    return {
        "method": result.method.value,
        "label": translate(result.label),
        "limit": number(result.limit),
        "steps": [step_json(step, translate) for step in result.steps],
        "reason": _text(result.reason, translate),
    }


def suggestion_json(suggestion: Suggestion, translate: Translate = str) -> dict[str, Any]:
    return {
        "limit": number(suggestion.limit),
        "method": suggestion.method.value if suggestion.method else None,
        "reason": suggestion.reason.text(translate),
    }


def guarantor_json(capacity: GuarantorCapacity, translate: Translate = str) -> dict[str, Any]:
    return {
        "capacity": number(capacity.capacity),
        "amount": number(capacity.amount),
        "sufficient": capacity.sufficient,
        "steps": [step_json(step, translate) for step in capacity.steps],
        "message": capacity.message.text(translate),
    }
