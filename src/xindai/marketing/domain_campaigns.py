"""Campaign rules (pure): checking a marketing material before 风险合规 sees it, matching a
scored customer against a campaign's target rules with the reasons in plain Chinese, and
assigning targets to managers by territory and capacity."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# ---- materials -------------------------------------------------------------------------------

PROMISE_WORDS = (
    "保证获批",
    "保证通过",
    "包过",
    "包批",
    "100%通过",
    "百分百通过",
    "无需审核",
    "免审核",
    "秒批",
    "秒到账",
    "不看征信",
    "不查征信",
    "黑户可贷",
    "零门槛",
    "无门槛",
    "人人可贷",
)
FEE_WORDS = ("手续费", "服务费", "保证金", "管理费", "咨询费")
VAGUE_WORDS = ("详询", "详情咨询", "以实际为准", "具体以", "另行收取")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:元|%|％|‰)|免收|免费|不收取|无")
_FREE = re.compile(r"无|免|不收|不另收|不收取|零")
_RATE = re.compile(r"年化(?:利率)?[^0-9%％]{0,8}(\d+(?:\.\d+)?)\s*[%％]")


def _finding(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def check_material(body: str, *, annual_rate: Decimal | None, loan: bool) -> list[dict[str, str]]:
    """The problems found in a material's text (empty = none): promises of approval, fees
    mentioned without their amount or terms replaced by "详询", and — for loan marketing — the
    annualised rate not shown (or not the one declared: ``annual_rate`` is a fraction, 0.0435)."""
    text = re.sub(r"\s+", "", body or "")
    found: list[dict[str, str]] = []
    promises = [w for w in PROMISE_WORDS if w in text]
    if promises:
        found.append(
            _finding(
                "promise",
                "含有承诺审批结果或降低风险认知的用语：" + "、".join(promises),
            )
        )
    hidden = []
    for word in FEE_WORDS:
        for match in re.finditer(word, text):
            near = text[match.end() : match.end() + 12]
            before = text[max(0, match.start() - 4) : match.start()]
            if not _AMOUNT.search(near) and not _FREE.search(before):
                hidden.append(word)
                break
    if hidden:
        found.append(
            _finding("hidden_fee", "提及" + "、".join(hidden) + "但未写明收费标准（金额或费率）")
        )
    vague = [w for w in VAGUE_WORDS if w in text]
    if vague:
        found.append(_finding("vague_terms", "以“" + "、".join(vague) + "”代替写明的条件"))
    if loan:
        rates = [Decimal(m) for m in _RATE.findall(text)]
        if not rates:
            found.append(
                _finding("no_annual_rate", "贷款营销材料未明示年化利率（如“年化利率4.35%”）")
            )
        elif annual_rate is not None:
            expected = (Decimal(annual_rate) * 100).quantize(Decimal("0.01"))
            if all(r.quantize(Decimal("0.01")) != expected for r in rates):
                shown = "、".join(f"{r}%" for r in rates)
                found.append(
                    _finding(
                        "rate_mismatch", f"材料所示年化利率 {shown} 与申报的 {expected}% 不一致"
                    )
                )
    return found


# ---- target rules ----------------------------------------------------------------------------

RULE_KEYS = (
    "grades",
    "min_propensity",
    "min_points",
    "max_points",
    "kinds",
    "village_codes",
    "industry_codes",
    "holdings_required",
    "holdings_absent",
)
GRADE_TEXT = {"A": "优先走访", "B": "重点营销", "C": "一般维护", "D": "审慎营销"}
KIND_TEXT = {"farmer": "农户", "business": "个体工商户", "enterprise": "小微企业"}
HOLDING_TEXT = {
    "deposit": "存款",
    "card": "借记卡",
    "social_security_card": "社保卡",
    "e_payment": "聚合支付",
    "mobile_banking": "手机银行",
    "payroll": "代发工资",
    "agency_insurance": "代理保险",
    "loan": "贷款",
    "credit_line": "授信额度",
    "wealth": "理财",
}


def has_rules(rules: Mapping[str, Any]) -> bool:
    """At least one target rule is set."""
    for key in RULE_KEYS:
        value = rules.get(key)
        if value not in (None, "", [], ()):
            return True
    return False


@dataclass
class Candidate:
    """What the rules look at for one scored customer."""

    grade: str
    propensity: float
    points: int
    kind: str
    village_code: str
    village_name: str
    industry_code: str
    holdings: frozenset[str] = field(default_factory=frozenset)


def match(rules: Mapping[str, Any], c: Candidate) -> list[str] | None:
    """The rules ``c`` meets, in plain Chinese, or None when he fails one."""
    reasons: list[str] = []
    grades = rules.get("grades") or []
    if grades:
        if c.grade not in grades:
            return None
        reasons.append(f"客户等级 {c.grade}（{GRADE_TEXT.get(c.grade, '')}）")
    low: Any = rules.get("min_propensity")
    if low not in (None, ""):
        if c.propensity < float(low):
            return None
        reasons.append(f"借款意愿 {c.propensity:.0%}，高于活动门槛 {float(low):.0%}")
    lo: Any = rules.get("min_points")
    hi: Any = rules.get("max_points")
    lo = None if lo in (None, "") else int(lo)
    hi = None if hi in (None, "") else int(hi)
    if lo is not None and c.points < lo:
        return None
    if hi is not None and c.points > hi:
        return None
    if lo is not None and hi is not None:
        reasons.append(f"信用评分 {c.points} 分，在 {lo}-{hi} 分之间")
    elif lo is not None:
        reasons.append(f"信用评分 {c.points} 分，不低于 {lo} 分")
    elif hi is not None:
        reasons.append(f"信用评分 {c.points} 分，不高于 {hi} 分")
    kinds = rules.get("kinds") or []
    if kinds:
        if c.kind not in kinds:
            return None
        reasons.append(f"客户类型：{KIND_TEXT.get(c.kind, c.kind)}")
    villages = rules.get("village_codes") or []
    if villages:
        if c.village_code not in villages:
            return None
        reasons.append(f"所在村：{c.village_name or c.village_code}")
    industries = rules.get("industry_codes") or []
    if industries:
        if not any(c.industry_code.startswith(code) for code in industries if code):
            return None
        reasons.append(f"行业：{c.industry_code}")
    required = rules.get("holdings_required") or []
    if required:
        if not set(required) <= c.holdings:
            return None
        reasons.append("已办理" + "、".join(HOLDING_TEXT.get(p, p) for p in required))
    absent = rules.get("holdings_absent") or []
    if absent:
        if set(absent) & c.holdings:
            return None
        reasons.append("尚未办理" + "、".join(HOLDING_TEXT.get(p, p) for p in absent))
    return reasons


# ---- assignment ------------------------------------------------------------------------------


def assign(
    targets: Iterable[tuple[int, int]],
    managers: Mapping[int, list[int]],
    load: Mapping[int, int],
    capacity: int,
) -> tuple[dict[int, int], list[int]]:
    """Assign ``targets`` ((target id, org unit id), in priority order) to the managers of
    their unit (``managers``: unit id → manager ids), each time to the one with the fewest open
    targets (``load``; ties by id), never beyond ``capacity`` open targets. Returns (target id
    → manager id, target ids left unassigned)."""
    counts = dict(load)
    done: dict[int, int] = {}
    left: list[int] = []
    for target, unit in targets:
        staff = [m for m in managers.get(unit, []) if counts.get(m, 0) < capacity]
        if not staff:
            left.append(target)
            continue
        chosen = min(staff, key=lambda m: (counts.get(m, 0), m))
        done[target] = chosen
        counts[chosen] = counts.get(chosen, 0) + 1
    return done, left
