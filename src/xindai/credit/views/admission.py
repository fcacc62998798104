"""The latest admission decision of an application, rule by rule, and the branch head's
agreement to go on with a 审慎 (prudent) one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError, FormInvalid
from xindai.credit import facts, presenters, services, stages
from xindai.credit.admission import Outcome
from xindai.credit.forms import ReasonForm
from xindai.credit.models import AdmissionCheck, CreditApplication, OutcomeChoice
from xindai.credit.views.common import CHANGE, VIEW_CHECK, application_for, is_current
from xindai.customers.views.common import with_errors


@requires(VIEW_CHECK)
def admission_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    return render_admission(request, application, ReasonForm())


def render_admission(
    request: HttpRequest, application: CreditApplication, form: Any
) -> HttpResponse:
    check = facts.latest_check(application)
    context = {
        "application": application,
        "check": check,
        "rows": rows_of(check) if check else [],
        "is_current": is_current(application, check),
        "can_escalate": can_escalate(request.user, check),
        "form": form,
    }
    return render(request, "credit/admission.html", context)


def rows_of(check: AdmissionCheck) -> list[dict[str, Any]]:
    """Every rule's result as shown: the outcome's label, the message in the user's language,
    and the facts it used (masked)."""
    language = get_language() or "zh-hans"
    return [
        presenters.rule_result(stored)
        | {
            "label": OutcomeChoice(stored["outcome"]).label,
            "message": presenters.message_in(stored, language),
            "fact_rows": presenters.fact_rows(presenters.rule_result(stored)["facts"]),
        }
        for stored in check.results
    ]


def can_escalate(user: Any, check: AdmissionCheck | None) -> bool:
    """A branch head may let a 审慎 decision that nobody has agreed to yet go on."""
    return (
        check is not None
        and check.outcome == Outcome.PRUDENT
        and check.escalated_at is None
        and user.has_perm(CHANGE)
        and stages.BRANCH_HEAD in facts.actor_of(user).roles
    )


@requires(CHANGE)
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    check = facts.latest_check(application)
    if check is None:
        raise Http404
    try:
        services.escalate(request.user, check, request.POST)
    except FormInvalid as error:
        return render_admission(request, application, with_errors(ReasonForm(request.POST), error))
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("已同意继续办理"))
    return redirect("credit:admission", application.pk)
