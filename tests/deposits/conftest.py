"""Fixtures of the deposit tests: those of the ledger tests (pages and API mounted)."""

from tests.ledger.conftest import *  # noqa: F403
