"""Contract numbers are unique and consecutive when contracts are made at once (PostgreSQL:
the counter row is locked; SQLite's test database is one connection)."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.concurrency import POSTGRES_ONLY, at_once
from xindai.contracts import services


def test_numbers_are_consecutive_per_kind_and_year(db) -> None:
    with transaction.atomic():
        numbers = [services.take_number("loan", 2026) for _ in range(3)]
    numbers.append(services.take_number("guarantee", 2026))
    numbers.append(services.take_number("loan", 2027))
    assert numbers == [
        "JK2026000001",
        "JK2026000002",
        "JK2026000003",
        "BZ2026000001",
        "JK2027000001",
    ]


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_twenty_contracts_numbered_at_once_get_twenty_numbers() -> None:
    def take(_n: int) -> str:
        with transaction.atomic():
            return services.take_number("mortgage", 2026)

    numbers, _refused = at_once(20, take)
    assert sorted(numbers) == [f"DY2026{n:06d}" for n in range(1, 21)]
