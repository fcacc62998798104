"""Statements from JSON-like data: the statements file of ``xindai ratios`` and of
``POST /api/v1/analysis/ratios``, and the items stored per period (pure: stdlib, core).

The file (documented in docs/guide/08-财务分析.md)::

    {
      "industry_code": "1512",                        optional, GB/T 4754, industry bounds
      "thresholds": {"min_current_ratio": "1.2"},     optional, replaces bounds
      "periods": [
        {"end": "2023-12-31", "months": 12,
         "balance_sheet": {"cash": "69070136376.12", ...},
         "income_statement": {"revenue": "...", ...},
         "cash_flow": {...}, "supplement": {...}}
      ]
    }

Amounts are strings or numbers of yuan with at most two decimals ("1,234.50" too); an item
left out or null is "not given". Every problem of the file is reported at once, each with the
path of the value it is about (``periods[0].balance_sheet.cash``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from xindai.analysis import thresholds as th
from xindai.analysis.statements import (
    SECTIONS,
    EnterpriseStatements,
    Period,
    StatementKind,
    items_of,
)
from xindai.core.money import FEN
from xindai.core.problems import Problem
from xindai.core.problems import mark as _

MAX_AMOUNT = Decimal(10) ** 15

NOT_AMOUNT = _("应为金额（元），例如 12345.67")
FEN_ONLY = _("金额最多精确到分（两位小数）")
TOO_LARGE = _("金额超出可处理的范围")
NEGATIVE = _("不能为负数")
UNKNOWN_ITEM = _("未知项目")
NOT_OBJECT = _("应为 JSON 对象")
NOT_LIST = _("应为列表")
NOT_DATE = _("日期格式应为 YYYY-MM-DD，例如 2023-12-31")
NOT_MONTHS = _("月数应为 1 到 12 的整数")
DUPLICATE_END = _("期末日期与另一期重复")
NO_PERIODS = _("至少需要一期报表")
REQUIRED = _("必填")
NOT_THRESHOLD = _("阈值应为大于 0 的数字")
NOT_INDUSTRY = _("行业代码应为 2 到 4 位数字（GB/T 4754）")


class InvalidData(ValueError):
    """Data that cannot be read; ``problems`` says what and where, one per value."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("；".join(f"{p.field}：{p.text()}" for p in problems))
        self.problems = problems


class BadValue(Exception):
    def __init__(self, template: str) -> None:
        super().__init__(template)
        self.template = template


def parse_amount(raw: object, *, signed: bool = False) -> Decimal:
    """An amount of yuan from a string or a number, or ``BadValue`` with the reason."""
    value = parse_decimal(raw, NOT_AMOUNT)
    if abs(value) >= MAX_AMOUNT:
        raise BadValue(TOO_LARGE)
    if value != value.quantize(FEN):
        raise BadValue(FEN_ONLY)
    if value < 0 and not signed:
        raise BadValue(NEGATIVE)
    return value


def parse_decimal(raw: object, hint: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise BadValue(hint)
    text = repr(raw) if isinstance(raw, float) else str(raw)
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation as exc:
        raise BadValue(hint) from exc
    if not value.is_finite():
        raise BadValue(hint)
    return value


def parse_section(section: type, raw: object, path: str) -> tuple[Any, list[Problem]]:
    """A statement section (``BalanceSheet``, ...) from ``{item: amount}``, and its problems."""
    if raw is None:
        return section(), []
    if not isinstance(raw, Mapping):
        return section(), [Problem(path, NOT_OBJECT)]
    items = {info.key: info for info in items_of(section)}
    values, problems = {}, []
    for key, value in raw.items():
        info = items.get(str(key))
        if info is None:
            problems.append(Problem(f"{path}.{key}", UNKNOWN_ITEM))
        elif value is not None and not (isinstance(value, str) and not value.strip()):
            try:
                values[info.key] = parse_amount(value, signed=info.signed)
            except BadValue as bad:
                problems.append(Problem(f"{path}.{key}", bad.template))
    return section(**values), problems


def parse_sections(
    kind: StatementKind, raw: Mapping[str, Any], path: str = ""
) -> tuple[dict[str, Any], list[Problem]]:
    """The sections of a statement of ``kind`` (missing ones empty), and the problems."""
    prefix = f"{path}." if path else ""
    sections, problems = {}, []
    for name, section in SECTIONS[kind].items():
        sections[name], found = parse_section(section, raw.get(name), prefix + name)
        problems += found
    return sections, problems


def dump_section(section: Any) -> dict[str, str]:
    """The items given, as strings with two decimals (what ``parse_section`` reads back)."""
    return {
        f.name: f"{value:.2f}"
        for f in dataclasses.fields(section)
        if (value := getattr(section, f.name)) is not None
    }


def parse_period(raw: Mapping[str, Any], path: str) -> tuple[Period | None, list[Problem]]:
    problems = []
    end = None
    try:
        end = _date(raw.get("end"))
    except BadValue as bad:
        problems.append(Problem(f"{path}.end", bad.template))
    months = raw.get("months", 12)
    if isinstance(months, bool) or not isinstance(months, int | str):
        months = None
    elif isinstance(months, str):
        months = int(months) if months.strip().isdigit() else None
    if months is None or not 1 <= months <= 12:
        problems.append(Problem(f"{path}.months", NOT_MONTHS))
    if problems or end is None or months is None:
        return None, problems
    return Period(end, months), []


def _date(raw: object) -> dt.date:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise BadValue(REQUIRED)
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if not isinstance(raw, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
        raise BadValue(NOT_DATE)
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise BadValue(NOT_DATE) from exc


_PERIOD_KEYS = frozenset({"end", "months", *SECTIONS[StatementKind.ENTERPRISE]})


def parse_enterprise(raw: object, path: str) -> tuple[EnterpriseStatements | None, list[Problem]]:
    """One period of an enterprise's statements."""
    if not isinstance(raw, Mapping):
        return None, [Problem(path, NOT_OBJECT)]
    problems = [Problem(f"{path}.{key}", UNKNOWN_ITEM) for key in raw if key not in _PERIOD_KEYS]
    period, found = parse_period(raw, path)
    sections, section_problems = parse_sections(StatementKind.ENTERPRISE, raw, path)
    problems += found + section_problems
    if period is None or problems:
        return None, problems
    return EnterpriseStatements(
        period,
        sections["balance_sheet"],
        sections["income_statement"],
        sections["cash_flow"],
        sections["supplement"],
    ), []


@dataclass(frozen=True)
class RatioRequest:
    periods: tuple[EnterpriseStatements, ...]
    industry_code: str | None
    thresholds: dict[str, Decimal]  # the file's own bounds, over the industry's


_REQUEST_KEYS = frozenset({"periods", "industry_code", "thresholds"})


def parse_request(data: object) -> RatioRequest:
    """The statements file, or ``InvalidData`` listing every problem in it."""
    if not isinstance(data, Mapping):
        raise InvalidData([Problem("", NOT_OBJECT)])
    problems = [Problem(str(key), UNKNOWN_ITEM) for key in data if key not in _REQUEST_KEYS]
    periods, found = _periods(data.get("periods"))
    industry, industry_problems = _industry(data.get("industry_code"))
    bounds, bound_problems = parse_thresholds(data.get("thresholds"))
    problems += found + industry_problems + bound_problems
    if problems:
        raise InvalidData(problems)
    return RatioRequest(tuple(periods), industry, bounds)


def _periods(raw: object) -> tuple[list[EnterpriseStatements], list[Problem]]:
    if raw is None:
        return [], [Problem("periods", NO_PERIODS)]
    if not isinstance(raw, list):
        return [], [Problem("periods", NOT_LIST)]
    if not raw:
        return [], [Problem("periods", NO_PERIODS)]
    periods, problems, seen = [], [], set()
    for index, item in enumerate(raw):
        statements, found = parse_enterprise(item, f"periods[{index}]")
        problems += found
        if statements is None:
            continue
        if statements.period.end in seen:
            problems.append(Problem(f"periods[{index}].end", DUPLICATE_END))
        seen.add(statements.period.end)
        periods.append(statements)
    return periods, problems


def _industry(raw: object) -> tuple[str | None, list[Problem]]:
    if raw is None or raw == "":
        return None, []
    text = str(raw).strip()
    if isinstance(raw, bool) or not re.fullmatch(r"\d{2,4}", text):
        return None, [Problem("industry_code", NOT_INDUSTRY)]
    return text, []


def parse_thresholds(
    raw: object, path: str = "thresholds"
) -> tuple[dict[str, Decimal], list[Problem]]:
    """Bounds that replace the default (or industry) ones: ``{field: number}``."""
    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, [Problem(path, NOT_OBJECT)]
    known = {key for key, *_rest in th.parameters()}
    bounds, problems = {}, []
    for key, value in raw.items():
        if key not in known:
            problems.append(Problem(f"{path}.{key}", UNKNOWN_ITEM))
            continue
        try:
            bound = parse_decimal(value, NOT_THRESHOLD)
        except BadValue as bad:
            problems.append(Problem(f"{path}.{key}", bad.template))
            continue
        if bound <= 0 or abs(bound) >= MAX_AMOUNT:
            problems.append(Problem(f"{path}.{key}", NOT_THRESHOLD))
        else:
            bounds[key] = bound
    return bounds, problems
