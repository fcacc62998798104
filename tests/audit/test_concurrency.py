"""Writers racing for the chain head never fork the chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from xindai.audit import services
from xindai.audit.models import AuditEvent

WRITERS, EACH = 4, 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database is one connection; PostgreSQL has many")
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                services.record("test.race", actor=None, object_id=f"{n}-{i}")
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * EACH + 1))
    assert services.verify() == (WRITERS * EACH, None)
