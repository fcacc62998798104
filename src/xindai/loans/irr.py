"""The annual internal rate of return of a loan's cash flows (年化利率), on actual dates.

Floats are fine here: this solves for a rate; no amount is computed or rounded.
"""

from __future__ import annotations

import math


def annual_rate(principal: float, flows: list[tuple[float, float]]) -> float:
    """The r ≥ 0 with Σ payment·(1+r)^−t = principal (payments never below the principal in
    total, so the root is unique and not negative): Newton steps kept inside a bisection
    bracket, to 1e-12."""

    def npv_and_slope(rate: float) -> tuple[float, float]:
        log_growth = math.log1p(rate)
        npv, slope = -principal, 0.0
        for payment, years in flows:
            discounted = payment * math.exp(-years * log_growth)
            npv += discounted
            slope -= years * discounted / (1 + rate)
        return npv, slope

    if sum(payment for payment, _ in flows) <= principal:
        return 0.0
    low, high = 0.0, 1.0
    while npv_and_slope(high)[0] > 0 and high < 1e12:
        low, high = high, high * 2
    rate = (low + high) / 2
    for _ in range(200):
        npv, slope = npv_and_slope(rate)
        if npv > 0:
            low = rate
        else:
            high = rate
        step = npv / slope if slope else 0.0
        candidate = rate - step
        if not low < candidate < high:
            candidate = (low + high) / 2
        if abs(candidate - rate) < 1e-12:
            return candidate
        rate = candidate
    return rate
