"""Running the same work in many threads at once, for the tests of contested records on
PostgreSQL (SQLite's in-memory test database is a single connection, so they are skipped there)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection, connections

T = TypeVar("T")

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database is one connection; PostgreSQL has many",
)


def at_once(
    count: int,
    work: Callable[[int], T],
    refusals: tuple[type[BaseException], ...] = (),
) -> tuple[list[T], list[BaseException]]:
    """``work(n)`` for n in 0..count-1, in threads released together. Returns what the calls
    returned and the ``refusals`` they raised; any other exception fails the test."""
    start = threading.Barrier(count)
    done: list[T] = []
    refused: list[BaseException] = []
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            start.wait()
            done.append(work(n))
        except refusals as exc:
            refused.append(exc)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return done, refused
