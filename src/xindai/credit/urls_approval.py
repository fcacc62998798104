"""Routes of 审查、审贷小组 and 审批 (issue 7), namespace ``credit``."""

from typing import Any

from django.urls import path

from xindai.credit.views import approval as views

APP = "applications/<int:pk>/"
MEETING = f"{APP}committee/<int:meeting>/"

urlpatterns: list[Any] = [
    path("review/queue/", views.review_queue, name="review_queue"),
    path("approval/queue/", views.approval_queue, name="approval_queue"),
    path(f"{APP}review/", views.review_page, name="review"),
    path(f"{APP}committee/", views.committee_page, name="committee"),
    path(f"{APP}committee/open/", views.committee_open, name="committee_open"),
    path(f"{MEETING}votes/", views.committee_votes, name="committee_votes"),
    path(f"{MEETING}close/", views.committee_close, name="committee_close"),
    path(f"{MEETING}minutes/", views.committee_minutes, name="committee_minutes"),
    path(f"{APP}approval/", views.approval_page, name="approval"),
    path(f"{APP}approval/escalate/", views.approval_escalate, name="approval_escalate"),
    path(f"{APP}terms/", views.conditions_page, name="conditions"),
    path(f"{APP}terms/change/", views.terms_change, name="terms_change"),
    path(f"{APP}terms/conditions/<int:condition>/met/", views.condition_met, name="condition_met"),
]
