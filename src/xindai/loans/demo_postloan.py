"""A demo post-loan portfolio (演示贷后资产组合, issue 9): loans migrated from the "old system"
through the real importer (``loans.importer``), chosen so that the post-loan day has
something to show on the demo's business date:

- performing loans: one disbursed ten days ago (its first follow-up inspection is due within
  15 days), one maturing in 25 days (到期通知书), others due in a few days (还款提示);
- overdue loans at 20, 45, 75, 120, 300 and 400 days past due: classes 关注 → 损失 from the
  days-past-due floor, overdue and collection notices, warnings, collection cases.

Then ``postloan.jobs.run_all`` runs the post-loan day once. Seeding again creates nothing
(the 原借据号 ``DEMO-PL-…`` mark the portfolio as present).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xindai.customers.models import Customer, CustomerKind
from xindai.customers.services import as_of_today
from xindai.loans import importer
from xindai.loans.accounts import loan_terms
from xindai.loans.models import LoanAccount
from xindai.loans.schedule import build
from xindai.org.models import User
from xindai.products.models import LoanProduct

PREFIX = "DEMO-PL-"
METHOD_NAMES = {
    "equal_installment": "等额本息",
    "equal_principal": "等额本金",
    "interest_only": "按期付息到期还本",
    "bullet": "利随本清",
}


@dataclass(frozen=True)
class DemoLoan:
    key: str
    manager: str  # user name; the unit is the manager's
    principal: int
    months: int
    method: str
    started_days_ago: int
    overdue_days: int = 0  # days past due today (0: performing)
    overdue_principal: int = 0
    overdue_interest: int = 0


PORTFOLIO: tuple[DemoLoan, ...] = (
    DemoLoan("01", "manager", 50_000, 12, "equal_installment", 10),
    DemoLoan("02", "manager", 80_000, 12, "interest_only", 340),
    DemoLoan("03", "manager", 30_000, 12, "equal_installment", 85),
    DemoLoan("04", "manager_dx", 60_000, 24, "equal_principal", 200),
    DemoLoan("05", "manager", 40_000, 12, "equal_installment", 200, 20, 3_200, 160),
    DemoLoan("06", "manager", 100_000, 12, "interest_only", 160, 45, 0, 1_800),
    DemoLoan("07", "manager_dx", 50_000, 24, "equal_installment", 300, 75, 4_100, 520),
    DemoLoan("08", "manager", 120_000, 12, "interest_only", 400, 120, 120_000, 4_900),
    DemoLoan("09", "manager_dx", 70_000, 12, "bullet", 665, 300, 70_000, 3_300),
    DemoLoan("10", "manager", 30_000, 12, "bullet", 765, 400, 30_000, 1_900),
)
PRODUCT = "NH-XY"
RATE = Decimal("0.0435")


def seed_demo_postloan() -> dict[str, Any]:
    """Import the portfolio (unless present) and run the post-loan day; what was created."""
    if LoanAccount.objects.filter(legacy_number__startswith=PREFIX).exists():
        return {"loans": 0}
    today = as_of_today()
    product = LoanProduct.objects.get(code=PRODUCT)
    admin = User.objects.get(username="admin")
    used = set(LoanAccount.objects.values_list("customer_id", flat=True))
    rows = []
    for spec in PORTFOLIO:
        manager = User.objects.get(username=spec.manager)
        customer = (
            Customer.objects.filter(manager=manager, kind=CustomerKind.FARMER)
            .exclude(pk__in=used)
            .order_by("pk")
            .first()
        )
        if customer is None:
            continue
        used.add(customer.pk)
        rows.append(_row(spec, customer, manager, product, today))
    result = importer.import_loans(admin, _csv(rows), filename="演示贷后资产组合.csv")
    if result.errors:
        raise RuntimeError(f"demo post-loan import failed: {result.errors}")
    from xindai.postloan.jobs import run_all

    done = run_all(today)
    return {"loans": result.imported, "daily": done}


def _row(
    spec: DemoLoan, customer: Customer, manager: Any, product: LoanProduct, today: dt.date
) -> dict[str, str]:
    start = today - dt.timedelta(days=spec.started_days_ago)
    terms = loan_terms(product, Decimal(spec.principal), RATE, spec.months, spec.method, start)
    schedule = build(terms)
    unpaid_from = today - dt.timedelta(days=spec.overdue_days)
    paid = sum((r.principal for r in schedule.rows if r.due_date < unpaid_from), Decimal(0))
    outstanding = Decimal(spec.principal) - paid
    overdue_principal = min(Decimal(spec.overdue_principal), outstanding)
    since = today - dt.timedelta(days=spec.overdue_days) if spec.overdue_days else None
    return {
        "原借据号": f"{PREFIX}{spec.key}",
        "客户证件号码": customer.id_number,
        "产品代码": product.code,
        "贷款金额": str(spec.principal),
        "年利率": f"{RATE * 100}%",
        "期限（月）": str(spec.months),
        "还款方式": METHOD_NAMES[spec.method],
        "放款日": start.isoformat(),
        "到期日": schedule.rows[-1].due_date.isoformat(),
        "贷款余额": str(outstanding),
        "状态": "逾期" if spec.overdue_days else "正常",
        "客户经理": manager.username,
        "经办机构": manager.org_unit.code,
        "逾期本金": str(overdue_principal) if spec.overdue_days else "",
        "欠息": str(spec.overdue_interest) if spec.overdue_days else "",
        "逾期起始日": since.isoformat() if since else "",
    }


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
