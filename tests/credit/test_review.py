"""审查 (issue 7, point 1, work in progress): a reviewer who did not investigate writes the
opinion item by item before passing the review."""

from __future__ import annotations

import pytest

from tests.credit.factories import investigating
from xindai.core.errors import DomainError, FormInvalid
from xindai.credit import review, services
from xindai.credit.services import TransitionRefused

pytestmark = pytest.mark.django_db

ALL_OK = {item.key: {"result": "ok", "note": ""} for item in review.REVIEW_ITEMS}


def at_review(manager, farmer, co_investigator):
    application = investigating(manager, farmer, co_investigator)
    application.stage = "review"  # the investigation's own tests cover getting here
    application.save(update_fields=["stage"])
    return application


def test_the_review_passes_only_after_the_opinion(
    manager, farmer, co_investigator, reviewer
) -> None:
    application = at_review(manager, farmer, co_investigator)
    with pytest.raises(TransitionRefused) as refused:
        services.take(reviewer, application, "review")
    assert list(refused.value.details) == ["opinion"]
    review.record_opinion(reviewer, application, ALL_OK, "调查尽职，还款来源可靠，同意提交审批")
    services.take(reviewer, application, "review")
    application.refresh_from_db()
    assert application.stage == "approval"


def test_every_item_needs_an_opinion_and_a_concern_a_note(
    manager, farmer, co_investigator, reviewer
) -> None:
    application = at_review(manager, farmer, co_investigator)
    answers = ALL_OK | {"security": {"result": "concern", "note": ""}}
    del answers["credit"]
    with pytest.raises(FormInvalid) as refused:
        review.record_opinion(reviewer, application, answers, "")
    assert set(refused.value.details) == {"credit", "security", "opinion"}
    assert not application.review_opinions.exists()


def test_an_investigator_does_not_review_his_own_case(
    manager, farmer, co_investigator, make_user, tree
) -> None:
    from xindai.org.roles import Role

    application = at_review(manager, farmer, co_investigator)
    co_investigator.groups.add(*make_user("x", tree["O11"], Role.REVIEWER).groups.all())
    with pytest.raises(DomainError) as refused:
        review.record_opinion(co_investigator, application, ALL_OK, "同意")
    assert refused.value.code == "separation"
