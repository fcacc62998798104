"""定量营销管理: the marketing funnel 目标 → 触达 → 意向 → 申请 → 审批 → 放款 by campaign,
manager, branch (支行) and village, the managers' ranking, weekly trends and the Excel export.

Stages are read from facts, not from ``Target.status``:

- 目标客户: on a campaign's list and not excluded;
- 已触达: at least one contact with an outcome other than 未联系上;
- 有意向: a contact with outcome 有意向/已申请, or a lead (商机);
- 已申请: ``Target.application`` set, or a lead of the target converted to an application;
- 已审批: that application has current approved terms (``ApprovedTerms`` not superseded);
- 已放款: a loan account opened from that application.

A later stage implies the earlier ones. With a period, a fact counts when it happened in it
(contact time, lead creation, application creation, approval date, loan start date). Amounts:
申请金额 (the application), 批准金额 (the current approved terms), 放款金额 (the loan's
principal), as integer fen. Campaign goals: 触达 against ``goal_contacts``, 申请 against
``goal_applications``, 批准金额 against ``goal_amount_fen`` (目标授信金额).

Data scope: the targets the user may see (a manager his own, a branch head his subtree,
risk and head office everything).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from xindai.audit.services import record
from xindai.core import business_date
from xindai.core.errors import InvalidInput
from xindai.core.money import fen
from xindai.credit.models import ApprovedTerms, CreditApplication
from xindai.loans.models import LoanAccount
from xindai.marketing import domain_funnel as domain
from xindai.marketing.models import Campaign, Contact, Lead, Outcome, Target, TargetStatus
from xindai.org.models import OrgUnit, UnitKind
from xindai.org.scope import visible

GROUPINGS = ("campaign", "manager", "branch", "village")
GROUPING_LABELS = {
    "campaign": _("营销活动"),
    "manager": _("客户经理"),
    "branch": _("支行"),
    "village": _("村"),
}
EXPORTED = "marketing.funnel_exported"
STAGE_NAMES = {
    "target": _("目标客户"),
    "reached": _("已触达"),
    "interested": _("有意向"),
    "applied": _("已申请"),
    "approved": _("已审批"),
    "disbursed": _("已放款"),
}


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    def holds(self, day: dt.date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass
class Row:
    """One group of the funnel, ready to show."""

    key: str
    label: str
    counts: dict[str, int]
    amounts_fen: dict[str, int]
    rates: dict[str, Any]
    goals: list[dict[str, Any]]
    contacts: int = 0

    @property
    def amounts_wan(self) -> dict[str, Any]:
        return {name: domain.wan(value) for name, value in self.amounts_fen.items()}

    @property
    def rate_texts(self) -> dict[str, str]:
        return {name: domain.pct_text(value) for name, value in self.rates.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "counts": self.counts,
            "amounts_fen": self.amounts_fen,
            "amounts_wan": {k: str(v) for k, v in self.amounts_wan.items()},
            "rates": {k: (None if v is None else float(v)) for k, v in self.rates.items()},
            "rate_texts": self.rate_texts,
            "contacts": self.contacts,
            "goals": self.goals,
        }


@dataclass
class Funnel:
    by: str
    rows: list[Row]
    total: Row
    period: Period
    campaign: Campaign | None


# ---- inputs ----------------------------------------------------------------------------------


def parse_date(text: str | None, name: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            gettext("日期格式不对：%(value)s") % {"value": text}, details={name: text}
        ) from None


def parse_by(text: str | None) -> str:
    by = text or "campaign"
    if by not in GROUPINGS:
        raise InvalidInput(gettext("分组方式不对：%(value)s") % {"value": by}, details={"by": by})
    return by


def campaign_of(value: Any) -> Campaign | None:
    if value in (None, ""):
        return None
    if isinstance(value, Campaign):
        return value
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = 0
    found = Campaign.objects.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(
            gettext("没有这个营销活动：%(value)s") % {"value": value}, details={"campaign": value}
        )
    return found


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    """Campaigns with at least one target the user may see (the filter of the page)."""
    ids = _targets(user, None).values("campaign_id")
    return Campaign.objects.filter(pk__in=ids).order_by("-starts_on", "-pk")


def _targets(user: Any, campaign: Campaign | None) -> QuerySet[Target]:
    found = visible(
        Target.objects.exclude(status=TargetStatus.EXCLUDED),
        user,
        unit_field="org_unit",
        owner_field="manager",
    )
    if campaign is not None:
        found = found.filter(campaign=campaign)
    return found


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


# ---- facts ---------------------------------------------------------------------------------


def _facts(targets: list[Target], period: Period) -> tuple[dict[int, domain.Facts], Counter[int]]:
    """Each target's facts in the period, and its number of contacts in the period."""
    ids = [t.pk for t in targets]
    reached: set[int] = set()
    interested: set[int] = set()
    contacts: Counter[int] = Counter()
    for target_id, outcome, at in Contact.objects.filter(target_id__in=ids).values_list(
        "target_id", "outcome", "contacted_at"
    ):
        if not period.holds(_day(at)):
            continue
        contacts[target_id] += 1
        if outcome != Outcome.NOT_REACHED:
            reached.add(target_id)
        if outcome in (Outcome.INTERESTED, Outcome.APPLIED):
            interested.add(target_id)
    application_of: dict[int, int] = {t.pk: t.application_id for t in targets if t.application_id}
    for target_id, application_id, created in Lead.objects.filter(target_id__in=ids).values_list(
        "target_id", "application_id", "created_at"
    ):
        if period.holds(_day(created)):
            interested.add(target_id)
        if application_id and target_id not in application_of:
            application_of[target_id] = application_id
    app_ids = set(application_of.values())
    applied = {
        pk: fen(amount)
        for pk, amount, created in CreditApplication.objects.filter(pk__in=app_ids).values_list(
            "pk", "amount", "created_at"
        )
        if period.holds(_day(created))
    }
    approved: dict[int, int] = {}
    for app_id, amount, on in (
        ApprovedTerms.objects.filter(application_id__in=app_ids, superseded_at__isnull=True)
        .order_by("application_id", "version")
        .values_list("application_id", "amount", "approved_on")
    ):
        if period.holds(on):
            approved[app_id] = fen(amount)  # the newest current version wins
    disbursed = {
        app_id: fen(principal)
        for app_id, principal, start in LoanAccount.objects.filter(
            application_id__in=app_ids
        ).values_list("application_id", "principal", "start_date")
        if period.holds(start)
    }
    facts = {}
    for target in targets:
        app = application_of.get(target.pk)
        facts[target.pk] = domain.Facts(
            reached=target.pk in reached,
            interested=target.pk in interested,
            applied_fen=applied.get(app) if app else None,
            approved_fen=approved.get(app) if app else None,
            disbursed_fen=disbursed.get(app) if app else None,
        )
    return facts, contacts


# ---- grouping ------------------------------------------------------------------------------


def _branch_finder() -> Any:
    units = {u.pk: u for u in OrgUnit.objects.all()}

    def branch(unit_id: int) -> OrgUnit:
        unit = units[unit_id]
        while unit.kind == UnitKind.OUTLET and unit.parent_id in units:
            unit = units[unit.parent_id]
        return unit

    return branch


def _key_label(target: Target, by: str, branch: Any) -> tuple[str, str]:
    if by == "campaign":
        return str(target.campaign_id), target.campaign.name
    if by == "manager":
        if target.manager_id is None:
            return "-", gettext("未分派")
        return str(target.manager_id), str(target.manager)
    if by == "branch":
        unit = branch(target.org_unit_id)
        return str(unit.pk), unit.name
    code = target.village_code or "-"
    name = target.customer.village_name or (target.village_code or gettext("未知村"))
    return code, name


def _goals(campaign: Campaign, tally: domain.Tally, contacts: int) -> list[dict[str, Any]]:
    goals = (
        ("contacts", gettext("触达户数"), tally.counts["reached"], campaign.goal_contacts, False),
        (
            "applications",
            gettext("申请笔数"),
            tally.counts["applied"],
            campaign.goal_applications,
            False,
        ),
        (
            "amount",
            gettext("授信金额（万元）"),
            tally.amounts["approved"],
            campaign.goal_amount_fen,
            True,
        ),
    )
    found = []
    for key, label, actual, goal, money in goals:
        done = domain.completion(actual, goal)
        found.append(
            {
                "key": key,
                "label": label,
                "actual": str(domain.wan(actual)) if money else actual,
                "goal": str(domain.wan(goal)) if money else goal,
                "completion": None if done is None else float(done),
                "completion_text": domain.pct_text(done),
            }
        )
    return found


def _row(tally: domain.Tally, contacts: int, goals: list[dict[str, Any]] | None = None) -> Row:
    return Row(
        key=tally.key,
        label=tally.label,
        counts=dict(tally.counts),
        amounts_fen=dict(tally.amounts),
        rates=tally.rates(),
        goals=goals or [],
        contacts=contacts,
    )


def funnel(
    user: Any,
    *,
    by: str = "campaign",
    campaign: Any = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Funnel:
    """The funnel grouped ``by`` campaign, manager, branch (支行) or village, with a total row."""
    by = parse_by(by)
    chosen = campaign_of(campaign)
    if start and end and end < start:
        raise InvalidInput(gettext("结束日期早于开始日期"), details={"end": str(end)})
    period = Period(start, end)
    targets = list(
        _targets(user, chosen)
        .select_related("campaign", "manager", "customer")
        .order_by("campaign__starts_on", "campaign_id", "pk")
    )
    facts, contacts = _facts(targets, period)
    branch = _branch_finder()
    keyed = [(*_key_label(t, by, branch), t) for t in targets]
    tallies = domain.tally((key, label, facts[t.pk]) for key, label, t in keyed)
    group_contacts: Counter[str] = Counter()
    for key, _label, t in keyed:
        group_contacts[key] += contacts[t.pk]
    campaigns = {str(t.campaign_id): t.campaign for t in targets}
    rows = []
    for tally in tallies:
        goals = None
        if by == "campaign":
            goals = _goals(campaigns[tally.key], tally, group_contacts[tally.key])
        rows.append(_row(tally, group_contacts[tally.key], goals))
    if by != "campaign":
        rows.sort(key=lambda r: (-r.counts["target"], r.label))
    summed = domain.total(tallies, gettext("合计"))
    total_goals = _goals(chosen, summed, sum(contacts.values())) if chosen else None
    total = _row(summed, sum(contacts.values()), total_goals)
    return Funnel(by=by, rows=rows, total=total, period=period, campaign=chosen)


def ranking(
    user: Any,
    *,
    campaign: Any = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[Row]:
    """Managers ranked by disbursed amount, then applications, then contacts."""
    found = funnel(user, by="manager", campaign=campaign, start=start, end=end)
    contacts = {r.key: r.contacts for r in found.rows}
    order = {r.key: r for r in found.rows}
    tallies = [
        domain.Tally(key=r.key, label=r.label, counts=r.counts, amounts=r.amounts_fen)
        for r in found.rows
        if r.key != "-"
    ]
    return [order[t.key] for t in domain.ranked(tallies, contacts)]


def trend_period(
    campaign: Campaign | None, start: dt.date | None, end: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The period given, else the campaign's period, else the last 12 weeks."""
    today = business_date.current_or_none() or timezone.localdate()
    if start and end:
        return start, end
    if campaign is not None:
        return start or campaign.starts_on, end or campaign.ends_on
    last = end or today
    return start or domain.last_weeks(last)[0], last


def trend(
    user: Any,
    *,
    campaign: Any = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[str, Any]:
    """Weekly contacts, leads, applications and disbursed amount (万元) over the period."""
    chosen = campaign_of(campaign)
    first, last = trend_period(chosen, start, end)
    mondays = domain.weeks(first, last)
    index = {monday: n for n, monday in enumerate(mondays)}
    period = Period(first, last)
    series: dict[str, list[Any]] = {
        name: [0] * len(mondays) for name in ("contacts", "leads", "applications", "disbursed")
    }

    def put(name: str, day: dt.date | None, value: int = 1) -> None:
        if day is not None and period.holds(day):
            series[name][index[domain.week_start(day)]] += value

    targets = _targets(user, chosen)
    for at in Contact.objects.filter(target__in=targets).values_list("contacted_at", flat=True):
        put("contacts", _day(at))
    for at in Lead.objects.filter(target__in=targets).values_list("created_at", flat=True):
        put("leads", _day(at))
    app_ids = set(targets.exclude(application=None).values_list("application_id", flat=True))
    app_ids |= set(
        Lead.objects.filter(target__in=targets)
        .exclude(application=None)
        .values_list("application_id", flat=True)
    )
    for at in CreditApplication.objects.filter(pk__in=app_ids).values_list("created_at", flat=True):
        put("applications", _day(at))
    for day, principal in LoanAccount.objects.filter(application_id__in=app_ids).values_list(
        "start_date", "principal"
    ):
        put("disbursed", day, fen(principal))
    return {
        "start": first.isoformat(),
        "end": last.isoformat(),
        "weeks": [m.isoformat() for m in mondays],
        "contacts": series["contacts"],
        "leads": series["leads"],
        "applications": series["applications"],
        "disbursed_fen": series["disbursed"],
        "disbursed_wan": [float(domain.wan(v)) for v in series["disbursed"]],
    }


# ---- export --------------------------------------------------------------------------------

FUNNEL_HEADERS = (
    "分组",
    "目标客户",
    "已触达",
    "有意向",
    "已申请",
    "已审批",
    "已放款",
    "触达率",
    "意向率",
    "申请率",
    "审批通过率",
    "放款率",
    "总转化率（放款/目标）",
    "申请金额（万元）",
    "批准金额（万元）",
    "放款金额（万元）",
    "接触次数",
)
RATE_KEYS = ("reached", "interested", "applied", "approved", "disbursed", "overall")


def _funnel_cells(row: Row) -> list[Any]:
    counts = [row.counts[s] for s in domain.STAGES]
    rates = [None if row.rates[k] is None else float(row.rates[k]) for k in RATE_KEYS]
    amounts = [float(row.amounts_wan[k]) for k in domain.AMOUNTS]
    return [row.label, *counts, *rates, *amounts, row.contacts]


def _format(sheet: Any, first_rate: int, rates: int, first_money: int, money: int) -> None:
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells[first_rate - 1 : first_rate - 1 + rates]:
            cell.number_format = "0.0%"
        for cell in cells[first_money - 1 : first_money - 1 + money]:
            cell.number_format = "0.00"


def export(
    user: Any,
    *,
    by: str = "campaign",
    campaign: Any = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[bytes, str]:
    """The current view as XLSX (漏斗, 客户经理排名, 周趋势; no personal data: groups only),
    recorded in the audit log. Returns (content, file name)."""
    found = funnel(user, by=by, campaign=campaign, start=start, end=end)
    ranks = ranking(user, campaign=found.campaign, start=start, end=end)
    weekly = trend(user, campaign=found.campaign, start=start, end=end)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    with translation.override(settings.LANGUAGE_CODE):
        sheet = workbook.create_sheet("营销漏斗")
        sheet.append([str(GROUPING_LABELS[found.by]), *FUNNEL_HEADERS[1:]])
        for row in [*found.rows, found.total]:
            sheet.append(_funnel_cells(row))
        _format(sheet, 8, 6, 14, 3)
        sheet.column_dimensions["A"].width = 24
        rank_sheet = workbook.create_sheet("客户经理排名")
        rank_sheet.append(
            ["名次", "客户经理", "放款金额（万元）", "已申请", "接触次数", "总转化率（放款/目标）"]
        )
        for n, row in enumerate(ranks, start=1):
            overall = row.rates["overall"]
            rank_sheet.append(
                [
                    n,
                    row.label,
                    float(row.amounts_wan["disbursed"]),
                    row.counts["applied"],
                    row.contacts,
                    None if overall is None else float(overall),
                ]
            )
        _format(rank_sheet, 6, 1, 3, 1)
        trend_sheet = workbook.create_sheet("周趋势")
        trend_sheet.append(["周（周一）", "接触次数", "商机", "申请笔数", "放款金额（万元）"])
        for n, monday in enumerate(weekly["weeks"]):
            trend_sheet.append(
                [
                    dt.date.fromisoformat(monday),
                    weekly["contacts"][n],
                    weekly["leads"][n],
                    weekly["applications"][n],
                    weekly["disbursed_wan"][n],
                ]
            )
        _format(trend_sheet, 99, 0, 5, 1)
        for cells in trend_sheet.iter_rows(min_row=2, max_col=1):
            cells[0].number_format = "yyyy-mm-dd"
        conditions = workbook.create_sheet("查询条件")
        conditions.append(["分组", str(GROUPING_LABELS[found.by])])
        conditions.append(["营销活动", found.campaign.name if found.campaign else "全部"])
        conditions.append(["开始日期", start.isoformat() if start else ""])
        conditions.append(["结束日期", end.isoformat() if end else ""])
        conditions.append(["导出人", str(user)])
        conditions.append(["导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record(
        EXPORTED,
        actor=user,
        object_type="marketing.campaign" if found.campaign else "",
        object_id=found.campaign.pk if found.campaign else "",
        changes={
            "by": found.by,
            "campaign": found.campaign.pk if found.campaign else None,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "rows": len(found.rows),
        },
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return buffer.getvalue(), f"marketing-funnel-{found.by}-{stamp}.xlsx"


def chart_data(found: Funnel, weekly: dict[str, Any]) -> dict[str, Any]:
    """What static/marketing/funnel.js draws."""
    total = found.total
    return {
        "funnel": [{"name": str(STAGE_NAMES[s]), "value": total.counts[s]} for s in domain.STAGES],
        "trend": weekly,
        "labels": {
            "contacts": gettext("接触次数"),
            "leads": gettext("商机"),
            "applications": gettext("申请笔数"),
            "disbursed": gettext("放款金额（万元）"),
            "wan": gettext("万元"),
        },
    }


def rows_for(found: Funnel) -> Iterable[Row]:
    return [*found.rows, found.total]
