"""What the approval tests (审查、审贷小组、授权审批) build again and again: an application at
审批 after a real review, five committee members, a meeting closed with given votes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from tests.credit.factories import investigating
from xindai.credit import meetings, review, services
from xindai.credit.models import CreditApplication
from xindai.credit.models_approval import CommitteeMeeting
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role

ALL_OK = {item.key: {"result": "ok", "note": ""} for item in review.REVIEW_ITEMS}


def at_review(manager: Any, farmer: Any, co_investigator: Any, **overrides: Any) -> Any:
    application = investigating(manager, farmer, co_investigator, **overrides)
    application.stage = "review"  # the investigation's own tests cover getting here
    application.save(update_fields=["stage"])
    return application


def at_approval(
    manager: Any, farmer: Any, co_investigator: Any, reviewer: Any, **overrides: Any
) -> CreditApplication:
    """Reviewed (opinion written, 审查通过) and now at 审批."""
    application = at_review(manager, farmer, co_investigator, **overrides)
    review.record_opinion(reviewer, application, ALL_OK, "调查尽职，同意提交审批")
    services.take(reviewer, application, "review")
    application.refresh_from_db()
    return application


def members(make_user: Callable[..., User], unit: OrgUnit, count: int = 6) -> list[User]:
    return [
        make_user(f"member{i}", unit, Role.COMMITTEE, full_name=f"成员{i}")
        for i in range(1, count + 1)
    ]


def meeting(
    application: CreditApplication,
    clerk: User,
    votes: list[tuple[User, bool, str]],
    *,
    close: bool = True,
    conditions: str = "",
) -> CommitteeMeeting:
    """A meeting chaired and minuted by ``clerk``, with the votes (member, present, vote)."""
    held = timezone.make_aware(dt.datetime(2026, 11, 27, 9, 30))
    found = meetings.open_meeting(
        clerk, application, {"held_at": held, "place": "一支行会议室", "chair": clerk.pk}
    )
    for member, present, vote in votes:
        meetings.record_vote(
            clerk,
            found,
            {"member": member.pk, "present": present, "vote": vote, "opinion": f"{vote}意见"},
        )
    if close:
        found = meetings.close_meeting(clerk, found, conditions)
    return found


def passed(application: CreditApplication, clerk: User, people: list[User]) -> CommitteeMeeting:
    return meeting(application, clerk, [(m, True, "agree") for m in people[:5]])


def terms(**overrides: Any) -> dict[str, Any]:
    values = {
        "amount": "100000",
        "term_months": "12",
        "annual_rate": "0.0435",
        "repayment_method": "",  # filled from the application by ``terms_for``
        "guarantee_methods": ["credit"],
        "conditions": "",
    }
    return values | overrides


def terms_for(application: CreditApplication, **overrides: Any) -> dict[str, Any]:
    base = terms(
        term_months=str(application.term_months),
        repayment_method=application.repayment_method,
        guarantee_methods=list(application.guarantee_methods),
    )
    return base | overrides
