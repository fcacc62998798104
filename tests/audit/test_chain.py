from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from xindai.audit import services
from xindai.audit.domain import BreakKind
from xindai.audit.models import AppendOnlyError, AuditEvent


def record_three(actor: object = None) -> list[AuditEvent]:
    return [
        services.record(
            "test.create",
            actor=actor,
            object_type="test.thing",
            object_id=i,
            changes={"amount": ["0.00", f"{i}00.00"]},
            reason=f"第{i}次",
        )
        for i in (1, 2, 3)
    ]


def tamper(sql: str, params: list[object]) -> None:
    """Change the table behind the application's back, as a DBA with full rights could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser: no triggers
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


@pytest.mark.django_db
def test_an_untouched_chain_verifies() -> None:
    before = AuditEvent.objects.count()
    record_three()
    checked, broken = services.verify()
    assert (checked, broken) == (before + 3, None)


@pytest.mark.django_db
def test_each_event_seals_the_previous_one() -> None:
    first, second, third = record_three()
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [first.seq + 1, first.seq + 2] == [second.seq, third.seq]


@pytest.mark.django_db
def test_event_records_actor_role_unit_and_ip(manager, client) -> None:
    client.post(
        "/accounts/login/",
        {"username": "zhang", "password": "Correct-horse-42"},
        REMOTE_ADDR="10.1.2.3",
    )
    event = AuditEvent.objects.filter(action="auth.login").latest("seq")
    assert (event.actor_id, event.actor_username, event.roles, event.org_unit_code, event.ip) == (
        manager.pk,
        "zhang",
        "客户经理",
        "O11",
        "10.1.2.3",
    )


@pytest.mark.django_db
def test_verify_reports_an_event_altered_directly_in_the_database() -> None:
    _, second, _ = record_three()
    tamper("UPDATE audit_auditevent SET reason = %s WHERE seq = %s", ["改过的原因", second.seq])
    _, broken = services.verify()
    assert broken is not None and broken.event_id == second.seq
    assert broken.kind == BreakKind.CONTENT_MISMATCH


@pytest.mark.django_db
def test_verify_reports_a_deleted_event_at_the_next_one() -> None:
    _, second, third = record_three()
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [second.seq])
    _, broken = services.verify()
    assert broken is not None and broken.event_id == third.seq


@pytest.mark.django_db
def test_verify_reports_a_deleted_last_event() -> None:
    *_, third = record_three()
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [third.seq])
    _, broken = services.verify()
    assert broken is not None and broken.event_id is None


@pytest.mark.django_db
def test_cli_exits_1_and_names_the_broken_event() -> None:
    _, second, _ = record_three()
    tamper(
        "UPDATE audit_auditevent SET changes = %s WHERE seq = %s",
        ['{"amount": ["0.00", "999999.00"]}', second.seq],
    )
    with pytest.raises(CommandError, match=f"事件 #{second.seq}") as failure:
        call_command("audit", "verify")
    assert failure.value.returncode == 1


@pytest.mark.django_db
def test_orm_refuses_to_update_or_delete_events() -> None:
    event, *_ = record_three()
    event.reason = "改"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="改")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_postgres_trigger_refuses_raw_update_and_delete() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    event, *_ = record_three()
    for sql in (
        "UPDATE audit_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "第1次"
