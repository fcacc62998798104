"""Schedule engine throughput: 360-period equal-installment loans, period and daily basis.

    .venv/bin/python benchmarks/schedule.py                 # 2,000 loans per basis
    .venv/bin/python benchmarks/schedule.py --loans 5000 --with-rate

Pure domain, no database: builds schedules for varied loans (principal, rate, start date and
due-day rule drawn from a fixed seed, so runs are comparable) on one core, and prints
schedules/s per interest basis and the peak resident memory of the process. ``--with-rate``
also times the 年化利率 (IRR) of each schedule, as the calculator page shows it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from xindai.loans.schedule import (
    DueDayRule,
    InterestBasis,
    LoanTerms,
    Method,
    annualised_rate,
    build,
)


def loans(count: int, basis: InterestBasis, seed: int) -> list[LoanTerms]:
    draw = random.Random(seed)
    result = []
    for _ in range(count):
        rule = draw.choice(
            [DueDayRule.DISBURSEMENT_DAY, DueDayRule.FIXED_DAY, DueDayRule.MONTH_END]
        )
        result.append(
            LoanTerms(
                principal=Decimal(draw.randrange(100_000_00, 5_000_000_00)) / 100,
                annual_rate=Decimal(draw.randrange(30_000, 120_000)) / 1_000_000,
                periods=360,
                method=Method.EQUAL_INSTALLMENT,
                start=dt.date(2026, 1, 1) + dt.timedelta(days=draw.randrange(3650)),
                due_day_rule=rule,
                first_due_day=21 if rule == DueDayRule.FIXED_DAY else None,
                interest_basis=basis,
            )
        )
    return result


def calibration() -> float:
    """Seconds for a fixed pure-Python loop (best of 3): figures from machines of different
    speed can be compared by it (a typical 2024 server core: about 0.12 s)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sum(range(10_000_000))
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--loans", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--with-rate", action="store_true")
    args = parser.parse_args()

    print(f"machine: sum(range(10**7)) in {calibration():.3f} s")
    for basis in InterestBasis:
        batch = loans(args.loans, basis, args.seed)
        build(batch[0])  # warm up
        started = time.perf_counter()
        for terms in batch:  # each schedule dropped once built, as a request would
            build(terms)
        elapsed = time.perf_counter() - started
        line = f"{basis.value:>6} basis: {args.loans / elapsed:8.0f} schedules/s"
        line += f" ({elapsed * 1000 / args.loans:.3f} ms each, 360 rows)"
        if args.with_rate:
            rate_seconds = 0.0
            for terms in batch:
                schedule = build(terms)
                started = time.perf_counter()
                annualised_rate(schedule)
                rate_seconds += time.perf_counter() - started
            line += f"; 年化利率 {args.loans / rate_seconds:8.0f}/s"
        print(line)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS: {peak_kib / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
