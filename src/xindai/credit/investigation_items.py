"""The on-site checklist of the outline (第二部分 五、实地调查), pure: what an investigation must
check, and which items apply to which kind of customer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from xindai.core.problems import mark as _


class Answer(StrEnum):
    YES = "yes"  # 已核实，符合
    NO = "no"  # 已核实，不符合
    NA = "na"  # 不适用


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    hint: str
    kinds: frozenset[str] = frozenset({"farmer", "business", "enterprise"})


_COMPANIES = frozenset({"business", "enterprise"})

ITEMS: tuple[Item, ...] = (
    Item(
        "licence",
        _("营业执照真实有效并按时年报"),
        _("核对执照原件、年报公示（国家企业信用信息公示系统）"),
        _COMPANIES,
    ),
    Item(
        "identity",
        _("法定代表人/借款人、代理人身份真实有效"),
        _("核对身份证原件、联网核查；代理人须有授权书"),
    ),
    Item("application", _("申请资料真实、完整"), _("核对原件与复印件，资料齐全")),
    Item("accounts", _("在本行开立结算账户"), _("核对账户开立情况及资金往来")),
    Item(
        "soft_info",
        _("三圈软信息已了解（生意圈、生活圈、社交圈）"),
        _("走访邻里、上下游、村委会，记入档案软信息"),
    ),
    Item(
        "purpose",
        _("贷款用途真实合法、交易真实"),
        _("查看购销合同、发票、报价单等证明，记录交易对手"),
    ),
    Item("repayment", _("还款来源可靠、时间与现金流匹配"), _("说明还款来源与回款时间")),
    Item(
        "guarantee",
        _("担保真实有效（保证人资格与能力、押品权属与价值）"),
        _("核实保证人意愿与能力、押品权属证书与现状"),
    ),
    Item("site", _("经营/生产场所现场核实"), _("查看经营场所、存货、设备或种养殖现场并拍照")),
)
ITEM_BY_KEY = {item.key: item for item in ITEMS}


def items_for(kind: str) -> tuple[Item, ...]:
    return tuple(item for item in ITEMS if kind in item.kinds)


def missing(kind: str, answers: dict[str, dict[str, str]]) -> tuple[str, ...]:
    """Labels of the items not yet answered, or answered "不符合" without a note saying why."""
    found = []
    for item in items_for(kind):
        answer = answers.get(item.key) or {}
        result = answer.get("result")
        if result not in set(Answer) or (
            result == Answer.NO and not answer.get("note", "").strip()
        ):
            found.append(item.label)
    return tuple(found)
