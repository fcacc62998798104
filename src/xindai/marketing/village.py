"""整村授信 in batch: import a village's household roster (CSV or XLSX, checked row by row),
rate every household (信用户评定) with the roster's weights, pre-approve limits (预授信),
publish the list (公示) for the policy's period, record objections and the households'
decisions, and turn the accepted households into credit applications once the period is over.

Rules: a roster is re-imported (replaced) or re-weighted only before it is published; objections
are taken during the period only; conversion waits for the period to end, skips (with a reason)
what is not ready, and never converts a household twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext, gettext_lazy

from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid, InvalidInput
from xindai.core.identity import mobile_problem, normalise, resident_id_problem
from xindai.core.masking import mask_id_number
from xindai.core.money import fen
from xindai.core.validators import RESIDENT_ID_MESSAGES
from xindai.credit.facts import current_policy
from xindai.customers.models import Customer, CustomerKind
from xindai.customers.services import as_of_today, require
from xindai.marketing import domain_village as domain
from xindai.marketing.models import (
    Campaign,
    CampaignStatus,
    CreditRating,
    HouseholdDecision,
    RosterHousehold,
    RosterStatus,
    Scenario,
    Target,
    VillageRoster,
)
from xindai.org.models import OrgUnit
from xindai.org.roles import Role, group_name
from xindai.org.scope import scope_of
from xindai.scoring.models import StockCustomer

VIEW = "marketing.view_villageroster"
IMPORT = "marketing.add_villageroster"
MANAGE = "marketing.change_villageroster"
DECIDE = "marketing.work_targets"
OBJECT_TYPE = "marketing.villageroster"
HOUSEHOLD_TYPE = "marketing.rosterhousehold"

# The template's headers, in order, with the field each fills.
COLUMNS = (
    ("户主姓名", "name"),
    ("身份证号", "id_number"),
    ("联系电话", "phone"),
    ("家庭人口", "members"),
    ("劳动力", "labourers"),
    ("家庭资产（元）", "assets"),
    ("家庭年纯收入（元）", "net_income"),
    ("负债（元）", "debts"),
    ("还款记录（良好/有逾期/有不良/无）", "repayment"),
    ("村组评议（分）", "village_evaluation"),
)
REQUIRED = ("户主姓名", "身份证号", "家庭人口", "家庭资产（元）", "家庭年纯收入（元）")
REPAYMENT_WORDS = {
    "良好": "good",
    "有逾期": "late",
    "逾期": "late",
    "有不良": "bad",
    "不良": "bad",
    "无": "none",
    "": "none",
    "good": "good",
    "late": "late",
    "bad": "bad",
    "none": "none",
}
MAX_ROWS = 5000
PURPOSE_TEXT = "农业生产（整村授信预授信）"


class RosterRefused(DomainError):
    code = "roster_refused"


@dataclass
class ImportResult:
    roster: VillageRoster
    imported: int
    errors: list[dict[str, Any]]  # {"row", "column", "value", "message"}; ID numbers masked


@dataclass
class ConvertResult:
    created: list[RosterHousehold] = field(default_factory=list)
    skipped: list[tuple[RosterHousehold, str]] = field(default_factory=list)

    def skipped_by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _household, reason in self.skipped:
            counts[reason] = counts.get(reason, 0) + 1
        return counts


# ---- scope and permission -------------------------------------------------------------------


def _ancestor_ids(path: str) -> list[int]:
    return [pk for pk, p in OrgUnit.objects.values_list("pk", "path") if path.startswith(p)]


def visible_rosters(user: Any) -> QuerySet[VillageRoster]:
    """Rosters of campaigns run in the user's unit subtree or by a unit above his (the branch's
    campaign is the outlet managers' work too)."""
    found = VillageRoster.objects.select_related("campaign", "campaign__org_unit")
    scope = scope_of(user)
    if scope.everything:
        return found
    if scope.unit_path is None:
        return found.none()
    return found.filter(
        Q(campaign__org_unit__path__startswith=scope.unit_path)
        | Q(campaign__org_unit__in=_ancestor_ids(scope.unit_path))
    )


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    scope = scope_of(user)
    found = Campaign.objects.filter(scenario=Scenario.WHOLE_VILLAGE)
    if scope.everything:
        return found
    if scope.unit_path is None:
        return found.none()
    return found.filter(
        Q(org_unit__path__startswith=scope.unit_path)
        | Q(org_unit__in=_ancestor_ids(scope.unit_path))
    )


def may_manage(actor: Any, campaign: Campaign) -> bool:
    """The branch head (or whoever may change rosters) of the campaign's unit, or its owner."""
    if not actor.has_perm(MANAGE):
        return False
    scope = scope_of(actor)
    if scope.everything or campaign.owner_id == actor.pk:
        return True
    return scope.unit_path is not None and campaign.org_unit.path.startswith(scope.unit_path)


def _require_manage(actor: Any, campaign: Campaign) -> None:
    if not may_manage(actor, campaign):
        raise PermissionDenied(MANAGE)


# ---- reading the file -----------------------------------------------------------------------


def _rows_of(name: str, content: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise InvalidInput(gettext("无法读取 Excel 文件，请使用下载的模板")) from exc
        sheet = book.worksheets[0]
        return [
            ["" if v is None else _cell_text(v) for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    if name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
            except UnicodeDecodeError:
                continue
            return [list(r) for r in csv.reader(io.StringIO(text))]
        raise InvalidInput(gettext("CSV 文件编码无法识别，请保存为 UTF-8"))
    raise InvalidInput(gettext("请上传 CSV 或 XLSX 文件"), details={"file": [name]})


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_index(header: list[str]) -> dict[str, int]:
    names = [h.strip() for h in header]
    index: dict[str, int] = {}
    for title, _key in COLUMNS:
        short = title.split("（")[0]
        for i, name in enumerate(names):
            if name == title or name.split("（")[0] == short:
                index[title] = i
                break
    missing = [t for t in REQUIRED if t not in index]
    if missing:
        raise InvalidInput(
            gettext("缺少必填列：%(columns)s") % {"columns": "、".join(missing)},
            details={"columns": missing},
        )
    return index


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    errors: list[dict[str, Any]]


def _integer(text: str, low: int, high: int | None) -> int | None:
    try:
        value = Decimal(text or "0")
    except InvalidOperation:
        return None
    if value != value.to_integral_value() or value < low or (high is not None and value > high):
        return None
    return int(value)


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal((text or "0").replace(",", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return value


def _check_row(number: int, cells: dict[str, str], today: dt.date) -> _Row:
    row = _Row(number, {}, [])

    def bad(column: str, message: str) -> None:
        value = cells.get(column, "")
        if column == "身份证号":
            value = mask_id_number(value)
        row.errors.append({"row": number, "column": column, "value": value, "message": message})

    name = cells.get("户主姓名", "").strip()
    if not name or len(name) > 50:
        bad("户主姓名", gettext("请填写户主姓名（不超过 50 字）"))
    number_text = normalise(cells.get("身份证号", ""))
    problem = resident_id_problem(number_text, today)
    if problem is not None:
        bad("身份证号", str(RESIDENT_ID_MESSAGES[problem]))
    phone = cells.get("联系电话", "").strip()
    if phone and mobile_problem(phone) is not None:
        bad("联系电话", gettext("手机号应为 11 位数字，以 13–19 开头"))
    members = _integer(cells.get("家庭人口", ""), 1, 99)
    if members is None:
        bad("家庭人口", gettext("家庭人口应为 1–99 的整数"))
    labourers = _integer(cells.get("劳动力", ""), 0, 99)
    if labourers is None or (members is not None and labourers > members):
        bad("劳动力", gettext("劳动力应为不大于家庭人口的非负整数"))
    amounts = {}
    for column, key in (
        ("家庭资产（元）", "assets"),
        ("家庭年纯收入（元）", "net_income"),
        ("负债（元）", "debts"),
    ):
        amounts[key] = _amount(cells.get(column, ""))
        if amounts[key] is None:
            bad(column, gettext("金额应为不小于 0 的数字（元，最多两位小数）"))
    repayment = REPAYMENT_WORDS.get(cells.get("还款记录（良好/有逾期/有不良/无）", "").strip())
    if repayment is None:
        bad("还款记录（良好/有逾期/有不良/无）", gettext("还款记录应为 良好、有逾期、有不良 或 无"))
    evaluation = _integer(cells.get("村组评议（分）", ""), 0, 100)
    if evaluation is None:
        bad("村组评议（分）", gettext("村组评议应为 0–100 的整数"))
    row.values = {
        "name": name,
        "id_number": number_text,
        "phone": phone,
        "members": members,
        "labourers": labourers,
        "repayment_record": repayment,
        "village_evaluation": evaluation,
        **amounts,
    }
    return row


def read_roster(name: str, content: bytes, today: dt.date) -> tuple[list[_Row], list[dict]]:
    """The good rows and every row error; the header is row 1, data from row 2."""
    table = [r for r in _rows_of(name, content)]
    if not table:
        raise InvalidInput(gettext("文件是空的"))
    index = _header_index(table[0])
    good: list[_Row] = []
    errors: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise InvalidInput(gettext("一次最多导入 %(n)s 户") % {"n": MAX_ROWS})
    for offset, cells in enumerate(body, start=2):
        if not any(str(c).strip() for c in cells):
            continue
        named = {t: (str(cells[i]).strip() if i < len(cells) else "") for t, i in index.items()}
        row = _check_row(offset, named, today)
        number = row.values["id_number"]
        if not row.errors and number in seen:
            row.errors.append(
                {
                    "row": offset,
                    "column": "身份证号",
                    "value": mask_id_number(number),
                    "message": gettext("与第 %(row)s 行身份证号重复") % {"row": seen[number]},
                }
            )
        if row.errors:
            errors.extend(row.errors)
        else:
            seen[number] = offset
            good.append(row)
    return good, errors


# ---- rating ---------------------------------------------------------------------------------


def limit_policy() -> domain.LimitPolicy:
    _version, policy = current_policy()
    return domain.LimitPolicy(
        excellent=Decimal(policy.village_limit_excellent),
        good=Decimal(policy.village_limit_good),
        fair=Decimal(policy.village_limit_fair),
        income_multiple=Decimal(policy.village_income_multiple),
    )


def weights_of(roster: VillageRoster) -> dict[str, Decimal]:
    return domain.check_weights(roster.weights) if roster.weights else domain.DEFAULT_WEIGHTS


def household_data(h: RosterHousehold) -> domain.Household:
    return domain.Household(
        members=h.members,
        labourers=h.labourers,
        assets=Decimal(h.assets_fen) / 100,
        net_income=Decimal(h.net_income_fen) / 100,
        debts=Decimal(h.debts_fen) / 100,
        repayment=domain.Repayment(h.repayment_record),
        village_evaluation=h.village_evaluation,
    )


def _rate(h: RosterHousehold, weights: dict[str, Decimal], policy: domain.LimitPolicy) -> None:
    result = domain.assess(household_data(h), weights, policy)
    h.score = result.score
    h.rating = CreditRating(result.rating.value)
    h.limit_fen = fen(result.limit)
    h.rating_reasons = result.reasons


def factor_points(h: RosterHousehold) -> dict[str, int]:
    return domain.factor_points(household_data(h))


def rate_roster(roster: VillageRoster) -> None:
    weights, policy = weights_of(roster), limit_policy()
    households = list(roster.households.all())
    for h in households:
        _rate(h, weights, policy)
    RosterHousehold.objects.bulk_update(
        households, ["score", "rating", "limit_fen", "rating_reasons"], batch_size=500
    )


# ---- use cases ------------------------------------------------------------------------------


def _stock_by_id(numbers: list[str]) -> dict[str, StockCustomer]:
    found: dict[str, StockCustomer] = {}
    for stock in StockCustomer.objects.filter(id_number__in=numbers).order_by("customer_no"):
        found.setdefault(stock.id_number, stock)
    return found


def import_roster(
    actor: Any,
    campaign: Campaign,
    *,
    village_code: str,
    village_name: str,
    file_name: str,
    content: bytes,
) -> ImportResult:
    """Import (or, before publishing, replace) the village's roster: good rows are saved and
    rated, bad rows come back with their reasons. No good row at all → nothing is saved."""
    require(actor, IMPORT)
    _require_manage(actor, campaign)
    village_code, village_name = village_code.strip(), village_name.strip()
    problems = {}
    if not village_code or len(village_code) > 12:
        problems["village_code"] = [gettext("请填写村代码（不超过 12 位）")]
    if not village_name or len(village_name) > 60:
        problems["village_name"] = [gettext("请填写村名")]
    if problems:
        raise FormInvalid(gettext("村信息有误"), details=problems)
    if campaign.scenario != Scenario.WHOLE_VILLAGE:
        raise RosterRefused(gettext("只有整村授信活动可以导入花名册"))
    if campaign.status == CampaignStatus.CLOSED:
        raise RosterRefused(gettext("活动已结束，不能导入花名册"))
    good, errors = read_roster(file_name, content, as_of_today())
    if not good:
        raise FormInvalid(
            gettext("没有可导入的农户，请按错误修改后重新导入"), details={"rows": errors}
        )
    with transaction.atomic():
        roster = _fresh_roster(actor, campaign, village_code, village_name, file_name)
        stock = _stock_by_id([r.values["id_number"] for r in good])
        weights, policy = weights_of(roster), limit_policy()
        households = []
        for r in good:
            h = _household(roster, r, stock.get(r.values["id_number"]))
            _rate(h, weights, policy)
            households.append(h)
        RosterHousehold.objects.bulk_create(households, batch_size=500)
        audit.record(
            "marketing.roster.import",
            actor=actor,
            object_type=OBJECT_TYPE,
            object_id=roster.pk,
            changes={"file": file_name, "imported": len(good), "rejected_rows": _row_count(errors)},
        )
    return ImportResult(roster, len(good), errors)


def _row_count(errors: list[dict[str, Any]]) -> int:
    return len({e["row"] for e in errors})


def _fresh_roster(
    actor: Any, campaign: Campaign, code: str, name: str, file_name: str
) -> VillageRoster:
    roster = (
        VillageRoster.objects.select_for_update()
        .filter(campaign=campaign, village_code=code)
        .first()
    )
    if roster is not None:
        if roster.status != RosterStatus.RATED:
            raise RosterRefused(
                gettext("该村花名册已公示（%(status)s），不能重新导入")
                % {"status": roster.get_status_display()}
            )
        roster.households.all().delete()
        roster.village_name, roster.file_name, roster.imported_by = name, file_name[:200], actor
        roster.save(update_fields=["village_name", "file_name", "imported_by"])
        return roster
    return VillageRoster.objects.create(
        campaign=campaign,
        village_code=code,
        village_name=name,
        weights={k: str(v) for k, v in domain.DEFAULT_WEIGHTS.items()},
        file_name=file_name[:200],
        imported_by=actor,
    )


def _household(roster: VillageRoster, r: _Row, stock: StockCustomer | None) -> RosterHousehold:
    v = r.values
    return RosterHousehold(
        roster=roster,
        row=r.number,
        name=v["name"],
        id_number=v["id_number"],
        phone=v["phone"],
        members=v["members"],
        labourers=v["labourers"],
        assets_fen=fen(v["assets"]),
        net_income_fen=fen(v["net_income"]),
        debts_fen=fen(v["debts"]),
        repayment_record=v["repayment_record"],
        village_evaluation=v["village_evaluation"],
        customer=stock,
    )


def set_weights(actor: Any, roster: VillageRoster, weights: dict[str, Any]) -> VillageRoster:
    """New weights for the roster (before publishing), every household re-rated."""
    _require_manage(actor, roster.campaign)
    try:
        checked = domain.check_weights(weights)
    except domain.WeightsInvalid as exc:
        raise FormInvalid(gettext(str(exc)), details={"weights": [gettext(str(exc))]}) from exc
    with transaction.atomic():
        roster = VillageRoster.objects.select_for_update().get(pk=roster.pk)
        if roster.status != RosterStatus.RATED:
            raise RosterRefused(gettext("花名册已公示，不能再调整评定权重"))
        before = roster.weights
        roster.weights = {k: str(v) for k, v in checked.items()}
        roster.save(update_fields=["weights"])
        rate_roster(roster)
        audit.record(
            "marketing.roster.weights",
            actor=actor,
            object_type=OBJECT_TYPE,
            object_id=roster.pk,
            changes={"weights": [before, roster.weights]},
        )
    return roster


def publish(actor: Any, roster: VillageRoster, from_day: dt.date) -> VillageRoster:
    """Publish the list (公示) from ``from_day`` for the policy's number of days."""
    _require_manage(actor, roster.campaign)
    today = as_of_today()
    if from_day < today:
        raise FormInvalid(
            gettext("公示开始日期不能早于今天"), details={"from_day": [today.isoformat()]}
        )
    _version, policy = current_policy()
    with transaction.atomic():
        roster = VillageRoster.objects.select_for_update().get(pk=roster.pk)
        if roster.status != RosterStatus.RATED:
            raise RosterRefused(gettext("花名册已经公示过"))
        if not roster.households.exists():
            raise RosterRefused(gettext("花名册没有农户"))
        roster.status = RosterStatus.PUBLISHED
        roster.publish_from = from_day
        roster.publish_until = from_day + dt.timedelta(days=policy.village_publicity_days - 1)
        roster.save(update_fields=["status", "publish_from", "publish_until"])
        audit.record(
            "marketing.roster.publish",
            actor=actor,
            object_type=OBJECT_TYPE,
            object_id=roster.pk,
            changes={"from": from_day, "until": roster.publish_until},
        )
    return roster


def period_over(roster: VillageRoster, today: dt.date) -> bool:
    return roster.publish_until is not None and today > roster.publish_until


def in_period(roster: VillageRoster, today: dt.date) -> bool:
    return (
        roster.publish_from is not None
        and roster.publish_until is not None
        and roster.publish_from <= today <= roster.publish_until
    )


def may_decide(actor: Any, roster: VillageRoster) -> bool:
    return actor.has_perm(DECIDE) and visible_rosters(actor).filter(pk=roster.pk).exists()


def record_decision(
    actor: Any, household: RosterHousehold, decision: str, objection: str = ""
) -> RosterHousehold:
    """The household accepts or declines its limit, or an objection is lodged (公示期内)."""
    roster = household.roster
    if not may_decide(actor, roster):
        raise PermissionDenied(DECIDE)
    if decision not in HouseholdDecision.values or decision == HouseholdDecision.PENDING:
        raise FormInvalid(
            gettext("请选择农户意愿"), details={"decision": ["accepted / declined / objected"]}
        )
    objection = objection.strip()
    today = as_of_today()
    with transaction.atomic():
        h = (
            RosterHousehold.objects.select_for_update()
            .select_related("roster")
            .get(pk=household.pk)
        )
        _check_decision(h, decision, objection, today)
        before = h.decision
        h.decision = decision
        if decision == HouseholdDecision.OBJECTED:
            h.objection = objection[:300]
        h.save(update_fields=["decision", "objection"])
        audit.record(
            "marketing.roster.decision",
            actor=actor,
            object_type=HOUSEHOLD_TYPE,
            object_id=h.pk,
            changes={"decision": [before, decision], "objection": h.objection},
        )
    return h


def _check_decision(h: RosterHousehold, decision: str, objection: str, today: dt.date) -> None:
    roster = h.roster
    if roster.status == RosterStatus.RATED:
        raise RosterRefused(gettext("花名册尚未公示，不能登记农户意愿"))
    if roster.status == RosterStatus.CLOSED or h.application_id:
        raise RosterRefused(gettext("已批量转入申请，不能再修改"))
    if decision == HouseholdDecision.OBJECTED:
        if not in_period(roster, today):
            raise RosterRefused(gettext("只能在公示期内登记异议"))
        if not objection:
            raise FormInvalid(gettext("请填写异议内容"), details={"objection": [gettext("必填")]})
    if decision == HouseholdDecision.ACCEPTED and h.limit_fen <= 0:
        raise RosterRefused(gettext("该户不予评定，没有预授信额度"))


# ---- conversion -----------------------------------------------------------------------------


SKIP_REASONS = {
    HouseholdDecision.PENDING: gettext_lazy("农户尚未确认"),
    HouseholdDecision.DECLINED: gettext_lazy("农户放弃"),
    HouseholdDecision.OBJECTED: gettext_lazy("公示异议未处理"),
}


def convert_accepted(actor: Any, roster: VillageRoster) -> ConvertResult:
    """After the publicity period: every accepted household becomes a credit application of
    its 管户客户经理 (on its economic archive); the rest are skipped with the reason. Running
    it again creates nothing new."""
    _require_manage(actor, roster.campaign)
    roster = VillageRoster.objects.select_related("campaign").get(pk=roster.pk)
    today = as_of_today()
    if roster.status == RosterStatus.RATED:
        raise RosterRefused(gettext("花名册尚未公示"))
    if not period_over(roster, today):
        raise RosterRefused(
            gettext("公示期至 %(until)s，期满后才能转入申请")
            % {"until": roster.publish_until.isoformat() if roster.publish_until else "—"}
        )
    product = _product_of(roster.campaign)
    result = ConvertResult()
    for h in roster.households.select_related("customer", "customer__archive").order_by("row"):
        reason = _skip_reason(h)
        if reason is None:
            reason = _convert_one(h, roster, product)
        if reason is None:
            result.created.append(h)
        else:
            result.skipped.append((h, reason))
    with transaction.atomic():
        VillageRoster.objects.filter(pk=roster.pk).update(status=RosterStatus.CLOSED)
        audit.record(
            "marketing.roster.convert",
            actor=actor,
            object_type=OBJECT_TYPE,
            object_id=roster.pk,
            changes={"created": len(result.created), "skipped": result.skipped_by_reason()},
        )
    roster.status = RosterStatus.CLOSED
    return result


def _product_of(campaign: Campaign) -> Any:
    for product in campaign.products.filter(is_active=True).order_by("pk"):
        if CustomerKind.FARMER in product.customer_kinds:
            return product
    raise RosterRefused(gettext("活动没有适用于农户的贷款产品，请先在活动中设置"))


def _skip_reason(h: RosterHousehold) -> str | None:
    if h.application_id:
        return gettext("已转入申请")
    if h.decision != HouseholdDecision.ACCEPTED:
        return str(SKIP_REASONS[HouseholdDecision(h.decision)])
    if h.limit_fen <= 0:
        return gettext("不予评定")
    return None


def _convert_one(h: RosterHousehold, roster: VillageRoster, product: Any) -> str | None:
    """Create the application; the reason it could not be made, or None."""
    from xindai.credit import services as credit

    archive = _existing_archive(h)
    if archive is None and h.customer is None:
        return gettext("无存量客户档案，请先建档")
    manager = _manager_for(h, roster, archive)
    if manager is None:
        return gettext("管户机构没有客户经理")
    if archive is None:
        made = _archive_from_stock(h, manager)
        if isinstance(made, str):
            return made
        archive = made
    try:
        with transaction.atomic():
            application = credit.create_application(
                manager, archive, application_data(h, roster, product), submit=True
            )
            RosterHousehold.objects.filter(pk=h.pk, application__isnull=True).update(
                application=application
            )
    except (DomainError, PermissionDenied) as exc:
        message = getattr(exc, "message", "") or gettext("客户经理无权办理该客户")
        details = getattr(exc, "details", None)
        if isinstance(details, dict) and details:
            first = next(iter(details.values()))
            message = f"{message}：{first[0] if isinstance(first, list) and first else first}"
        return message
    h.application = application
    return None


def application_data(h: RosterHousehold, roster: VillageRoster, product: Any) -> dict[str, Any]:
    amount = min(Decimal(h.limit_fen) / 100, Decimal(product.max_amount))
    term = min(max(12, product.min_term), product.max_term)
    guarantees = list(product.guarantee_methods)
    return {
        "product": product.pk,
        "amount": f"{amount:.2f}",
        "term_months": term,
        "purpose": product.purpose,
        "purpose_text": PURPOSE_TEXT,
        "repayment_method": product.repayment_methods[0],
        "guarantee_methods": ["credit"] if "credit" in guarantees else guarantees[:1],
        "legal_capacity": "full",
        "source": "marketing",
        "source_note": f"整村授信 {roster.village_name}"[:200],
    }


def _existing_archive(h: RosterHousehold) -> Customer | None:
    if h.customer is not None and h.customer.archive is not None:
        return h.customer.archive
    return Customer.objects.filter(id_number=h.id_number).first()


def _manager_for(h: RosterHousehold, roster: VillageRoster, archive: Customer | None) -> Any:
    """The archive's manager, else the campaign target's, else a 客户经理 of the stock
    customer's unit."""
    if archive is not None:
        return archive.manager
    if h.customer is None:
        return None
    target = (
        Target.objects.filter(campaign=roster.campaign, customer=h.customer, manager__isnull=False)
        .select_related("manager")
        .first()
    )
    if target is not None:
        return target.manager
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            org_unit=h.customer.org_unit,
            groups__name=group_name(Role.MANAGER),
        )
        .order_by("username")
        .first()
    )


def _archive_from_stock(h: RosterHousehold, manager: Any) -> Customer | str:
    """The economic archive made from the stock record (``leads.archive_for``), or why not."""
    from xindai.marketing.leads import archive_for

    if h.customer is None:
        return gettext("无存量客户档案，请先建档")
    try:
        with transaction.atomic():
            return archive_for(h.customer, manager)
    except DomainError as exc:
        return exc.message


# ---- reading --------------------------------------------------------------------------------


def summary(roster: VillageRoster) -> dict[str, Any]:
    """Households, rated share, total pre-approved amount, counts by rating and decision."""
    rows = list(roster.households.values_list("rating", "decision", "limit_fen"))
    by_rating = {value: 0 for value in CreditRating.values}
    by_decision = {value: 0 for value in HouseholdDecision.values}
    for rating, decision, _limit in rows:
        by_rating[rating] += 1
        by_decision[decision] += 1
    rated = len(rows) - by_rating[CreditRating.NOT_RATED]
    return {
        "households": len(rows),
        "rated": rated,
        "rated_share": Decimal(rated) / len(rows) if rows else Decimal(0),
        "total_limit": Decimal(sum(r[2] for r in rows)) / 100,
        "by_rating": by_rating,
        "by_decision": by_decision,
    }


def public_rows(roster: VillageRoster) -> list[dict[str, Any]]:
    """The public list (公示): name, rating and limit of the rated households; no ID number and
    no phone; whether the household already banks with us."""
    found = roster.households.exclude(rating=CreditRating.NOT_RATED).order_by("row")
    return [
        {
            "row": h.row,
            "name": h.name,
            "rating": h.get_rating_display(),
            "limit": Decimal(h.limit_fen) / 100,
            "existing": h.customer_id is not None,
        }
        for h in found
    ]


# ---- files ----------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SAMPLE_ROW = ("张三", "370999199001011234", "13800000000", 4, 2, 300000, 80000, 20000, "良好", 90)


def roster_template() -> bytes:
    """The roster template (花名册模板): the headers, one sample row to overwrite, notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "花名册"
    sheet.append([title for title, _key in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(list(SAMPLE_ROW))
    for i, (title, _key) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + i)].width = max(12, len(title) * 2 + 2)
    notes = book.create_sheet("填写说明")
    for line in (
        "第 2 行为示例，请覆盖或删除；每户一行，身份证号不可重复。",
        "必填：户主姓名、身份证号、家庭人口、家庭资产、家庭年纯收入。",
        "金额单位为元；劳动力不大于家庭人口；村组评议为 0–100 分。",
        "还款记录填 良好、有逾期、有不良 或 无（从未借款）。",
    ):
        notes.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _public_title(roster: VillageRoster) -> str:
    return f"{roster.village_name}整村授信信用户评定及预授信名单公示"


def _public_period(roster: VillageRoster) -> str:
    start = roster.publish_from.isoformat() if roster.publish_from else "—"
    end = roster.publish_until.isoformat() if roster.publish_until else "—"
    return f"公示期：{start} 至 {end}。如有异议，请在公示期内向村委会或本行客户经理反映。"


def public_xlsx(roster: VillageRoster) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "公示名单"
    sheet.append([_public_title(roster)])
    sheet.append([_public_period(roster)])
    sheet.append(["序号", "户主姓名", "信用等级", "预授信额度（元）"])
    for i, row in enumerate(public_rows(roster), start=1):
        sheet.append([i, row["name"], row["rating"], float(row["limit"])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def public_docx(roster: VillageRoster) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(_public_title(roster), level=1)
    document.add_paragraph(_public_period(roster))
    rows = public_rows(roster)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("序号", "户主姓名", "信用等级", "预授信额度（元）"), strict=True
    ):
        cell.text = text
    for i, row in enumerate(rows, start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(i), row["name"]
        cells[2].text, cells[3].text = row["rating"], f"{row['limit']:,.0f}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
