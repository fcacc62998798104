"""What each of the investigation report's seven sections (调查报告, 第二部分 六) says, generated
from the data (reads only): its facts, tables and warnings. :mod:`report` puts them together
with the key terms, the narratives and the investigators; the HTML preview and the DOCX are
both drawn from the same ``ReportData``.

1 客户基本情况 · 2 生产经营情况 · 3 借款原因、期限与担保方式 · 4 财务分析 (资产负债率, 流动
比率, 速动比率, 销售利润率, 资产利润率 … from the analysis; the household or business
statement for those who keep no books) · 5 非财务分析 (品行、还款意愿、与本行往来、行业前景)
· 6 担保分析 (押品权属与估值, 保证人担保能力) · 7 调查结论 (贷与不贷、金额、期限、利率).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import cn2an
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from xindai.analysis import ratios
from xindai.analysis import services as analysis
from xindai.analysis.statements import BusinessStatement, HouseholdStatement, items_of
from xindai.analysis.thresholds import DEFAULT_LTV, CollateralKind
from xindai.core.industry import division_of
from xindai.core.masking import mask_text
from xindai.core.money import round_rate
from xindai.credit import facts, investigation, limit
from xindai.credit.models import CreditApplication, CreditLimitAssessment
from xindai.customers import section_models as sm
from xindai.customers.api_schemas import shown_id_number
from xindai.customers.models import CustomerKind
from xindai.products.models import Guarantee

SECTIONS: tuple[tuple[str, str], ...] = (
    ("basics", gettext_noop("客户基本情况")),
    ("operations", gettext_noop("生产经营情况")),
    ("loan", gettext_noop("借款原因、期限与担保方式")),
    ("financial", gettext_noop("财务分析")),
    ("non_financial", gettext_noop("非财务分析")),
    ("security", gettext_noop("担保分析")),
    ("conclusion", gettext_noop("调查结论")),
)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    title: str = ""


@dataclass
class Section:
    key: str
    title: str  # numbered: 一、客户基本情况
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    narrative: str = ""
    narrative_label: str = ""


@dataclass
class ReportData:
    application: CreditApplication
    as_of: dt.date
    terms: list[tuple[str, str]]
    sections: list[Section]
    investigators: list[tuple[str, str, str]]  # role, name, confirmed at (or 尚未确认)
    assessment: CreditLimitAssessment | None
    suggested_amount: Decimal | None


ANSWERS: dict[str, Any] = {str(k): v for k, v in investigation.ANSWER_LABELS.items()}
Builder = Callable[[CreditApplication, Section, Any], None]


def yuan(value: Any) -> str:
    return "—" if value is None else f"{Decimal(str(value)):,.2f}"


def in_words(amount: Decimal) -> str:
    """The amount in Chinese capitals (大写): 100000 → 人民币壹拾万元整."""
    return _("人民币") + cn2an.an2cn(f"{amount:.2f}", "rmb")


def amount_text(amount: Decimal) -> str:
    return f"{yuan(amount)} {_('元')}（{in_words(amount)}）"


def percent(fraction: Any) -> str:
    return "—" if fraction in (None, "") else f"{Decimal(str(fraction)) * 100:.2f}%"


def months(count: int) -> str:
    return ngettext("%(months)s 个月", "%(months)s 个月", count) % {"months": count}


def guarantees(application: CreditApplication) -> str:
    labels = dict(Guarantee.choices)
    return "、".join(str(labels.get(g, g)) for g in application.guarantee_methods)


def rate_of(assessment: Any) -> str:
    return percent(assessment.inputs.get("annual_rate") if assessment else None)


# ---- 一 ~ 三 ---------------------------------------------------------------------------------


def basics(application: CreditApplication, section: Section, assessment: Any) -> None:
    customer = application.customer
    industry = customer.industry_code or ""
    section.facts += [
        (_("客户名称"), customer.name),
        (_("客户类型"), str(customer.get_kind_display())),
        (_("证件号码"), shown_id_number(customer)),
        (_("住址/经营地址"), customer.address or "—"),
        (_("所属行业"), f"{industry} {division_of(industry) or ''}".strip() or "—"),
        (_("经济档案完整度"), f"{customer.completeness}%"),
    ]
    members = sm.HouseholdMember.objects.filter(customer=customer)
    if members.exists():
        counts = {"count": members.count(), "labour": members.filter(is_labour=True).count()}
        section.facts.append((_("家庭成员"), _("%(count)s 人，其中劳动力 %(labour)s 人") % counts))
    licence = sm.Licence.objects.filter(customer=customer).first()
    if licence is not None:
        section.facts.append((_("成立日期"), licence.registered_on.isoformat()))
    governance = sm.EnterpriseGovernance.objects.filter(customer=customer).first()
    if governance is not None:
        section.facts += [
            (_("法定代表人"), governance.legal_rep_name),
            (_("实际控制人"), governance.controller_name),
            (_("注册资本（元）"), yuan(governance.registered_capital)),
        ]


def operations(application: CreditApplication, section: Section, assessment: Any) -> None:
    customer = application.customer
    farms = sm.FarmProduction.objects.filter(customer=customer).order_by("pk")
    rows = [
        [str(f.get_category_display()), f.kind, f"{f.scale:f} {f.unit}", yuan(f.yearly_income)]
        for f in farms
    ]
    if rows:
        section.tables.append(Table([_("类别"), _("品种"), _("规模"), _("年收入（元）")], rows))
    land = sum(sm.LandHolding.objects.filter(customer=customer).values_list("area_mu", flat=True))
    if land:
        section.facts.append((_("承包/流转土地"), _("%(area)s 亩") % {"area": f"{land:f}"}))
    business = sm.BusinessOperations.objects.filter(customer=customer).first()
    if business is not None:
        section.facts += [
            (_("从业人数"), str(business.employees)),
            (_("月均营业额（元）"), yuan(business.monthly_turnover)),
            (_("月均利润（元）"), yuan(business.monthly_profit)),
            (_("存货（元）"), yuan(business.inventory_value)),
        ]
    partners = sm.TradePartner.objects.filter(customer=customer).order_by("role", "pk")
    rows = [
        [str(p.get_role_display()), p.name, f"{p.share_pct}%" if p.share_pct else "—"]
        for p in partners
    ]
    if rows:
        section.tables.append(Table([_("类型"), _("名称"), _("占比")], rows, _("主要上下游")))
    record = investigation.record_of(application)
    if record is not None and record.visited_at is not None:
        section.facts.append((_("实地走访"), f"{record.visited_at:%Y-%m-%d} {record.place}"))


def loan(application: CreditApplication, section: Section, assessment: Any) -> None:
    section.facts += [
        (_("贷款产品"), application.product.name),
        (_("申请金额"), amount_text(application.amount)),
        (_("期限"), months(application.term_months)),
        (_("借款用途"), f"{application.get_purpose_display()}：{application.purpose_text}"),
        (_("还款方式"), str(application.get_repayment_method_display())),
        (_("担保方式"), guarantees(application)),
        (_("执行年利率"), rate_of(assessment)),
    ]
    record = investigation.record_of(application)
    if record is not None:
        section.facts += [
            (_("还款来源"), record.repayment_source or "—"),
            (_("还款时间安排"), record.repayment_timing or "—"),
        ]
    evidence = application.investigation_files.exclude(kind="photo").count()
    section.facts.append((_("用途证明材料"), _("%(count)s 份") % {"count": evidence}))


# ---- 四 财务分析 -------------------------------------------------------------------------------


def financial(application: CreditApplication, section: Section, assessment: Any) -> None:
    customer = application.customer
    if customer.kind == CustomerKind.ENTERPRISE:
        _ratio_table(customer, section)
    elif customer.kind == CustomerKind.FARMER:
        household = analysis.household_statement(customer)
        _statement_table(household, section, _("农户家庭收支表（经济档案，上年实际）"))
    else:
        saved = analysis.statement_sets(customer)
        statement = saved[-1].sections()["business"] if saved else None
        statement = statement or analysis.business_statement(customer)
        _statement_table(statement, section, _("个体工商户简易报表"))
    report = getattr(application, "credit_report", None)
    if report is not None:
        section.facts += [
            (_("他行授信机构数"), str(report.other_bank_lenders)),
            (_("他行贷款余额（元）"), yuan(report.other_bank_debt)),
            (_("他行月还款额（元）"), yuan(report.monthly_debt_service)),
        ]


def _ratio_table(customer: Any, section: Section) -> None:
    sets = analysis.statement_sets(customer)
    if not sets:
        section.alerts.append(_("尚未录入财务报表，无法进行比率分析"))
        return
    bounds, _prefix = analysis.thresholds_for(customer.industry_code)
    periods = ratios.analyse([s.enterprise() for s in sets], bounds).periods[-2:]
    headers = [_("指标"), *(p.statements.period.end.isoformat() for p in periods), _("说明")]
    latest = periods[-1]
    flags = {flag.ratio: flag.message.text(_) for flag in latest.flags}
    rows = [
        [_(ratio.label), *(_shown(p.ratio(ratio.key)) for p in periods), flags.get(ratio.key, "")]
        for ratio in latest.ratios
    ]
    section.tables.append(Table(headers, rows, _("主要财务指标")))
    section.alerts += [problem.text(_) for problem in latest.problems]


def _shown(ratio: ratios.Ratio) -> str:
    if ratio.value is None:
        return "—"
    if ratio.unit == ratios.YUAN:
        return yuan(ratio.value)
    unit = ratio.unit if ratio.unit == ratios.PERCENT else f" {_(ratio.unit)}"
    return f"{ratio.value:f}{unit}"


def _statement_table(statement: Any, section: Section, title: str) -> None:
    kind = HouseholdStatement if isinstance(statement, HouseholdStatement) else BusinessStatement
    rows = [  # the items given, but not the many sources and uses a household does not have
        [_(item.label), yuan(getattr(statement, item.key))]
        for item in items_of(kind)
        if getattr(statement, item.key) or item.key.startswith("total_")
    ]
    if isinstance(statement, HouseholdStatement):
        rows += [
            [_("家庭年收入合计"), yuan(statement.total_income)],
            [_("年净收入（收入 − 生产支出）"), yuan(statement.net_income)],
        ]
    assets, debts = statement.total_assets, statement.total_liabilities
    if assets and debts is not None:  # the ratio the outline asks for, as the analysis defines it
        rows.append([_("资产负债率"), f"{round_rate(debts / assets * 100, 2)}%"])
    section.tables.append(Table([_("项目"), _("金额（元）")], rows, title))


# ---- 五 非财务分析 -----------------------------------------------------------------------------


def non_financial(application: CreditApplication, section: Section, assessment: Any) -> None:
    customer = application.customer
    evaluation = sm.VillageEvaluation.objects.filter(customer=customer).first()
    if evaluation is not None:
        text = f"{evaluation.get_rating_display()}：{evaluation.comment}（{evaluation.evaluator}）"
        section.facts.append((_("村委会评价（品行）"), text))
    report = getattr(application, "credit_report", None)
    if report is not None:
        record = _("近24个月最长连续逾期 %(max)s 期，累计逾期 %(total)s 次，当前逾期 %(now)s 元")
        values = {"max": report.max_consecutive_overdue_24m, "total": report.total_overdue_24m}
        values["now"] = yuan(report.current_overdue_amount)
        section.facts.append((_("信用记录（还款意愿）"), record % values))
    section.facts += _with_this_bank(application)
    industry = facts._industry(customer.industry_code or "")
    stance = f"{industry.get_stance_display()} {industry.note}".strip() if industry else ""
    section.facts.append((_("行业信贷政策（行业前景）"), stance or _("未列入行业信贷政策")))
    check = facts.latest_check(application)
    if check is not None:
        section.facts.append((_("准入检查结论"), str(check.get_outcome_display())))
    notes = customer.soft_info.order_by("-noted_on", "-pk")
    rows = [
        [str(n.get_circle_display()), mask_text(n.note), n.source, n.noted_on.isoformat()]
        for n in notes
    ]
    if rows:
        headers = [_("圈子"), _("内容"), _("信息来源"), _("了解日期")]
        section.tables.append(Table(headers, rows, _("软信息（三圈）")))
    record_ = investigation.record_of(application)
    rows = [
        [_(item.label), str(ANSWERS.get(answer.get("result", ""), "—")), answer.get("note", "")]
        for item, answer in investigation.items_with_answers(record_, customer.kind)
    ]
    section.tables.append(Table([_("核实事项"), _("结果"), _("说明")], rows, _("实地调查核实")))


def _with_this_bank(application: CreditApplication) -> list[tuple[str, str]]:
    customer = application.customer
    accounts = sm.BankAccount.objects.filter(customer=customer, held_here=True).count()
    deposits = sm.FinancialAsset.objects.filter(customer=customer, category="deposit_here")
    loans = sm.Liability.objects.filter(customer=customer, category="this_bank")
    earlier = customer.applications.exclude(pk=application.pk)
    values = {
        "accounts": accounts,
        "deposits": yuan(sum(deposits.values_list("amount", flat=True), Decimal(0))),
        "loans": yuan(sum(loans.values_list("balance", flat=True), Decimal(0))),
        "earlier": earlier.count(),
        "settled": earlier.filter(stage="settled").count(),
    }
    text = _(
        "本行结算账户 %(accounts)s 个，存款 %(deposits)s 元，贷款余额 %(loans)s 元；"
        "历史申请 %(earlier)s 笔，其中已结清 %(settled)s 笔"
    )
    return [(_("与本行往来"), text % values)]


# ---- 六 担保分析 -------------------------------------------------------------------------------


def security(application: CreditApplication, section: Section, assessment: Any) -> None:
    section.facts.append((_("担保方式"), guarantees(application)))
    rows = []
    for c in application.collateral.order_by("pk"):
        kind = CollateralKind(c.collateral_type) if c.collateral_type else None
        appraised_on = c.appraised_on.isoformat() if c.appraised_on else ""
        appraisal = " ".join(filter(None, [c.appraiser, appraised_on]))
        rows.append(
            [
                c.description,
                str(c.get_collateral_type_display() or "—"),
                str(c.get_kind_display()),
                c.owner_name,
                c.certificate_no or "—",
                yuan(c.estimated_value),
                appraisal or "—",
                percent(DEFAULT_LTV.rate(kind)) if kind else "—",
                _("有争议") if c.ownership_dispute else _("无争议"),
            ]
        )
        if c.ownership_dispute:
            alert = _("权属争议：%(item)s（%(note)s）——不得抵押，未计入授信额度")
            section.alerts.append(alert % {"item": c.description, "note": c.dispute_note})
    headers = [_("押品"), _("种类"), _("方式"), _("所有权人"), _("权属证书编号")]
    headers += [_("评估价值（元）"), _("评估机构/日期"), _("抵（质）押率"), _("权属")]
    if rows:
        section.tables.append(Table(headers, rows, _("押品登记")))
    rows = [_guarantor_row(view) for view in limit.guarantors(application)]
    headers = [_("保证人"), _("净资产（元）"), _("已对外担保（元）"), _("剩余担保能力（元）")]
    headers += [_("担保金额（元）"), _("结论"), _("保证意愿")]
    if rows:
        section.tables.append(Table(headers, rows, _("保证人担保能力")))


def _guarantor_row(view: limit.GuarantorView) -> list[str]:
    capacity = view.capacity
    verdict = "—"
    if capacity is not None:
        verdict = _("担保能力充足") if capacity.sufficient else _("担保能力不足")
    return [
        view.row.guarantor.name,
        yuan(view.net_assets),
        yuan(view.guarantees_given),
        yuan(capacity.capacity) if capacity else "—",
        yuan(capacity.amount) if capacity else "—",
        verdict,
        _("已核实") if view.row.willing else _("未核实"),
    ]


BUILDERS: dict[str, Builder] = {
    "basics": basics,
    "operations": operations,
    "loan": loan,
    "financial": financial,
    "non_financial": non_financial,
    "security": security,
}
