"""Cross-selling by product role (pure): 引流 products bring the customer in, 粘性 products keep
him, 利润 products earn (the training outline's 引流 / 粘性 / 利润). Given the products a
customer holds (holdings codes of the stock store) and his grade, recommend what he lacks, each
with a plain reason a manager can say aloud."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

TRAFFIC = "引流"
STICKY = "粘性"
PROFIT = "利润"

# The role(s) each holdings product plays (mobile banking both brings and keeps customers).
ROLES: dict[str, tuple[str, ...]] = {
    "deposit": (TRAFFIC,),
    "card": (TRAFFIC,),
    "social_security_card": (TRAFFIC,),
    "e_payment": (TRAFFIC,),
    "mobile_banking": (TRAFFIC, STICKY),
    "payroll": (STICKY,),
    "agency_insurance": (STICKY,),
    "loan": (PROFIT,),
    "credit_line": (PROFIT,),
    "wealth": (PROFIT,),
}

PRODUCT_LABELS: dict[str, str] = {
    "deposit": "存款",
    "card": "借记卡",
    "social_security_card": "社保卡",
    "e_payment": "聚合支付/收单",
    "mobile_banking": "手机银行",
    "payroll": "代发工资",
    "agency_insurance": "代理保险",
    "loan": "贷款",
    "credit_line": "授信额度",
    "wealth": "理财",
}


@dataclass(frozen=True)
class Recommendation:
    product_role: str  # 引流 / 粘性 / 利润
    product: str  # what to offer, in Chinese
    reason: str  # why, in plain Chinese
    code: str = ""  # the rule's code


def recommend(
    holdings: Iterable[str], *, grade: str | None = None, kind: str = ""
) -> list[Recommendation]:
    """What to offer a customer holding ``holdings`` (product codes) with ``grade`` (A-D or
    None) and ``kind`` (farmer / business / enterprise), in order: profit first, then
    stickiness, then traffic. A product he already holds is never offered."""
    held = set(holdings)
    found: list[Recommendation] = []
    good = grade in ("A", "B")
    if "payroll" in held and "credit_line" not in held:
        found.append(
            Recommendation(
                PROFIT,
                "小额信用贷款",
                "在本行代发工资、收入稳定，尚无授信额度，可推荐小额信用贷款",
                "payroll_credit",
            )
        )
    if good and "credit_line" not in held and "payroll" not in held:
        found.append(
            Recommendation(
                PROFIT,
                "预授信",
                f"客户等级 {grade}，尚无授信额度，可办理预授信、随用随借",
                "pre_approval",
            )
        )
    if good and "wealth" not in held and "deposit" in held:
        found.append(
            Recommendation(
                PROFIT, "理财", f"客户等级 {grade}，有存款未购理财，可介绍理财产品", "wealth"
            )
        )
    if ("loan" in held or "credit_line" in held) and "mobile_banking" not in held:
        found.append(
            Recommendation(
                STICKY,
                "手机银行",
                "已在本行贷款但未开通手机银行，开通后可自助查询、还款，减少跑网点",
                "borrower_mobile",
            )
        )
    if "loan" in held and "agency_insurance" not in held:
        found.append(
            Recommendation(
                STICKY,
                "代理保险",
                "已有贷款，可介绍意外险、农业保险等保障产品",
                "borrower_insurance",
            )
        )
    if "card" in held and "e_payment" not in held and kind in ("business", "enterprise"):
        found.append(
            Recommendation(
                TRAFFIC,
                "聚合支付/收单",
                "有借记卡、经营收款未走本行，可开通聚合支付/收单，经营流水回流本行",
                "card_epayment",
            )
        )
    elif "card" in held and "e_payment" not in held:
        found.append(
            Recommendation(
                TRAFFIC,
                "聚合支付/收单",
                "有借记卡但未开通移动支付，可开通聚合支付，日常收付款更方便",
                "card_epayment",
            )
        )
    if "card" not in held and "social_security_card" not in held:
        found.append(
            Recommendation(
                TRAFFIC, "借记卡", "尚未持有本行借记卡或社保卡，可先办卡，建立日常往来", "card"
            )
        )
    order = {PROFIT: 0, STICKY: 1, TRAFFIC: 2}
    return sorted(found, key=lambda r: order[r.product_role])
