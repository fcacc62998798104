"""The approved terms as the later stages read them (issue 7): the current version and the
approval's part of the disbursement gate."""

from __future__ import annotations

import datetime as dt

from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.credit.models import ApprovedTerms, CreditApplication


def current_terms(application: CreditApplication) -> ApprovedTerms | None:
    """The newest approved terms not superseded (None: not approved, or sent back)."""
    return (
        ApprovedTerms.objects.filter(application=application, superseded_at__isnull=True)
        .order_by("-version")
        .first()
    )


def disbursement_problems(application: CreditApplication, as_of: dt.date) -> list[Problem]:
    """The approval's preconditions of 放款: approved, the approval still valid, every
    condition met."""
    terms = current_terms(application)
    if terms is None:
        return [Problem("approval", _("没有有效的审批批复"))]
    found = []
    if terms.valid_until < as_of:
        params = {"date": terms.valid_until.isoformat()}
        found.append(Problem("approval", _("批复已于 %(date)s 过期：须重新审批"), params))
    found += [
        Problem("conditions", _("批复条件未落实：%(condition)s"), {"condition": condition.text})
        for condition in terms.conditions.filter(met_at__isnull=True)
    ]
    return found
