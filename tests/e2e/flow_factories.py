"""The starting point of the end-to-end credit flow (issue 7's acceptance test): 王大山's
个体工商户经营贷 (GTJY) of 100,000 元 over 12 months, 等额本息, secured by a mortgage on his
house, investigated by 张三 and 孙协办 and submitted to 审贷分析 through the services.

整村授信贷 (ZCSX) takes only 信用 or 保证 (products/demo.py), so a mortgage-secured farmer
loan is a GTJY loan: it takes farmers, 抵押, and 5万–100万 元 for business use.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.credit.factories import (
    CREDIT_REPORT,
    HOUSE,
    VISIT,
    answers,
    application_data,
    complete_farmer,
    limit_computed,
    pdf,
    register,
    report_finalised,
)
from tests.customers.factories import make_village
from xindai.credit import investigation, services
from xindai.credit.models import CreditApplication
from xindai.credit.models_approval import AuthorityRule
from xindai.products.demo import seed_demo_products
from xindai.products.models import LoanProduct, LprRate

# A household with 240,000 元 of yearly income: the 等额本息 instalment (about 8,600 元 a
# month) plus his other debt stays within half of his monthly income (the admission rule).
YEARLY_INCOME = Decimal(240_000)
REQUEST = {
    "amount": "100000",
    "term_months": "12",
    "purpose": "personal_business",
    "purpose_text": "购进化肥、农药转售（农资经营部进货）",
    "repayment_method": "equal_installment",
    "guarantee_methods": ["mortgage"],
}


def reference_data() -> LoanProduct:
    """What a transactional browser test finds flushed: the LPR, the demo products and the
    approval authority matrix (支行: 100 万元, 信用 30 万元). Returns GTJY."""
    LprRate.objects.get_or_create(
        effective_date=dt.date(2025, 5, 20),
        defaults={"one_year": Decimal("0.0300"), "five_year": Decimal("0.0350")},
    )
    AuthorityRule.objects.get_or_create(
        unit_kind="branch", guarantee_method="", defaults={"max_amount": Decimal(1_000_000)}
    )
    AuthorityRule.objects.get_or_create(
        unit_kind="branch", guarantee_method="credit", defaults={"max_amount": Decimal(300_000)}
    )
    seed_demo_products()
    return LoanProduct.objects.get(code="GTJY")


def investigated(manager: Any, co_investigator: Any) -> CreditApplication:
    """The GTJY application accepted, investigated by two (visit, checklist, the house in the
    collateral register, the limit, the report finalised, both confirmations) and submitted:
    now in 审贷分析."""
    product = reference_data()
    farmer = complete_farmer(
        manager,
        make_village(),
        yearly_income=YEARLY_INCOME,
        documents=("id_card", "household_register", "property"),
    )
    application = services.create_application(manager, farmer, application_data(product) | REQUEST)
    consent = {"signed_by": farmer.name, "signed_on": "2026-11-26", "purpose": "loan_approval"}
    services.record_consent(manager, application, consent, {"scan": pdf()})
    services.record_credit_report(manager, application, CREDIT_REPORT)
    services.check_admission(manager, application)
    services.take(manager, application, "accept")
    services.set_co_investigator(manager, application, {"co_investigator": co_investigator.pk})
    services.take(manager, application, "start_investigation")
    register(manager, application, HOUSE)
    investigation.save_record(manager, application, VISIT | answers(farmer.kind))
    limit_computed(application, manager)
    report_finalised(application, manager)
    investigation.confirm(manager, application)
    investigation.confirm(co_investigator, application)
    services.take(manager, application, "submit_investigation")
    application.refresh_from_db()
    return application
