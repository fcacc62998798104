from tests.loans.conftest import *  # noqa: F403
