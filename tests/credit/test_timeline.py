"""The timeline: the time an application spent in each stage (pure) and the API that shows it
with its transitions. Durations are counted by hand from the clock times below."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.credit.factories import ready_to_accept
from xindai.credit import services
from xindai.credit.models import CreditApplication, StageEvent
from xindai.credit.presenters import Move, StageTime, duration_text, time_in_stages

UTC = dt.UTC


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


def test_each_stage_counts_from_entering_it_to_leaving_it() -> None:
    moves = [
        Move(at(27, 10, 0, 30), "marketing", "intake"),
        Move(at(27, 11), "intake", "intake"),  # 受理: a step within the stage, no move
        Move(at(28, 12), "intake", "investigation"),
    ]
    spent = time_in_stages(at(27, 10), "investigation", moves, now=at(30, 12))
    assert spent == [
        StageTime("marketing", 30, current=False),
        # 27th 10:00:30 → 28th 12:00:00 = 1 day 1 h 59 min 30 s
        StageTime("intake", 86400 + 3600 + 59 * 60 + 30, current=False),
        StageTime("investigation", 2 * 86400, current=True),  # 28th 12:00 → 30th 12:00
    ]


def test_a_stage_entered_twice_adds_up() -> None:
    moves = [
        Move(at(2, 9), "investigation", "review"),
        Move(at(3, 9), "review", "investigation"),  # sent back for rework
        Move(at(3, 15), "investigation", "review"),
    ]
    spent = time_in_stages(at(1, 9), "review", moves, now=at(3, 16))
    assert spent == [
        StageTime("investigation", 86400 + 6 * 3600, current=False),  # 1 day, then 6 h
        StageTime("review", 86400 + 3600, current=True),  # 1 day, then 1 h up to now
    ]


def test_the_time_in_an_end_stage_is_not_counted() -> None:
    moves = [Move(at(27, 10), "marketing", "intake"), Move(at(27, 12), "intake", "withdrawn")]
    spent = time_in_stages(at(27, 9), "withdrawn", moves, now=at(30, 0))
    assert spent == [
        StageTime("marketing", 3600, current=False),
        StageTime("intake", 2 * 3600, current=False),
    ]


def test_an_application_that_never_moved_is_in_its_first_stage_until_now() -> None:
    assert time_in_stages(at(27, 9), "marketing", [], now=at(27, 9, 45)) == [
        StageTime("marketing", 45 * 60, current=True)
    ]


def test_a_clock_that_went_backwards_counts_as_no_time() -> None:
    moves = [Move(at(27, 8), "marketing", "intake")]  # before the creation time
    assert time_in_stages(at(27, 9), "intake", moves, now=at(27, 10)) == [
        StageTime("marketing", 0, current=False),
        StageTime("intake", 3600, current=True),  # counted from 9:00, not from 8:00
    ]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "不到1分钟"),
        (59, "不到1分钟"),
        (60, "1分钟"),
        (3599, "59分钟"),
        (3600 + 2 * 60 + 5, "1小时2分钟"),
        (86400 + 3600 + 59 * 60 + 30, "1天1小时"),
        (2 * 86400, "2天0小时"),
    ],
)
def test_a_duration_in_words(seconds: int, text: str) -> None:
    assert duration_text(seconds) == text


def test_a_duration_in_words_goes_through_the_translation() -> None:
    english = {"%(days)s天%(hours)s小时": "%(days)s d %(hours)s h"}
    assert duration_text(2 * 86400 + 3 * 3600, lambda s: english.get(s, s)) == "2 d 3 h"


# ---- over the API --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_timeline_api_lists_the_moves_and_the_time_in_each_stage(
    manager, farmer, colleague, login
) -> None:
    application = ready_to_accept(manager, farmer)
    services.take(manager, application, "accept")
    services.take(manager, application, "withdraw", reason="客户改用他行贷款")
    # Put the records on a known clock: created 09:00, submitted 09:10, accepted 10:00,
    # withdrawn on the next day at 11:30 (times in UTC).
    CreditApplication.objects.filter(pk=application.pk).update(created_at=at(27, 9))
    events = list(StageEvent.objects.filter(application=application).order_by("pk"))
    for event, when in zip(events, [at(27, 9, 10), at(27, 10), at(28, 11, 30)], strict=True):
        StageEvent.objects.filter(pk=event.pk).update(at=when)

    with time_machine.travel(at(30, 0), tick=False):
        response = login(manager).get(f"/api/v1/applications/{application.pk}/timeline")
    assert response.status_code == 200
    body = response.json()
    assert [
        (e["transition"], e["from_stage"], e["to_stage"], e["actor"], e["reason"])
        for e in body["events"]
    ] == [
        ("submit", "marketing", "intake", "zhang", ""),
        ("accept", "intake", "intake", "zhang", ""),
        ("withdraw", "intake", "withdrawn", "zhang", "客户改用他行贷款"),
    ]
    assert [e["at"] for e in body["events"]] == [
        "2026-11-27T09:10:00Z",
        "2026-11-27T10:00:00Z",
        "2026-11-28T11:30:00Z",
    ]
    assert {e["business_date"] for e in body["events"]} == {"2026-11-27"}
    assert {e["policy_version"] for e in body["events"]} == {1}
    assert body["events"][2]["transition_label"] == "撤回申请"
    assert body["stages"] == [
        {
            "stage": "marketing",
            "stage_label": "营销",
            "seconds": 600,
            "text": "10分钟",
            "current": False,
        },
        {
            "stage": "intake",
            "stage_label": "申请受理",
            "seconds": 86400 + 2 * 3600 + 20 * 60,  # 27th 09:10 → 28th 11:30
            "text": "1天2小时",
            "current": False,
        },
    ]
    assert login(colleague).get(f"/api/v1/applications/{application.pk}/timeline").status_code == (
        404
    )
