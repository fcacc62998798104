"""Due dates and day counts for repayment schedules (pure: stdlib dates only).

Days count the first day and not the last (算头不算尾): a period from 1-15 to 2-15 has 31
actual days. Day counts:

* ``actual_360`` / ``actual_365``: actual calendar days; a year of 360 / 365 days (365 even
  in leap years).
* ``30_360``: 30E/360 (ISDA): a day of month is counted as at most 30, and the last day of
  any month (February included, at maturity too) counts as the 30th; days =
  360 × Δyears + 30 × Δmonths + Δdays. A full month is then always 30 days.
"""

from __future__ import annotations

import datetime as dt

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
QUARTER_END_MONTHS = (3, 6, 9, 12)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def on_day(year: int, month_index: int, day: int) -> dt.date:
    """Day ``day`` (clamped to the month's last day) of the month ``month_index`` months after
    January of ``year`` (0 = January; may exceed 11, so months add without carrying)."""
    year, month0 = divmod(year * 12 + month_index, 12)
    return dt.date(year, month0 + 1, min(day, days_in_month(year, month0 + 1)))


def is_month_end(day: dt.date) -> bool:
    return day.day == days_in_month(day.year, day.month)


def days_30e_360(first: dt.date, last: dt.date) -> int:
    d1 = 30 if first.day >= 30 or is_month_end(first) else first.day
    d2 = 30 if last.day >= 30 or is_month_end(last) else last.day
    return 360 * (last.year - first.year) + 30 * (last.month - first.month) + d2 - d1


def period_days(start: dt.date, dates: list[dt.date], *, thirty_360: bool) -> list[int]:
    """Days of each period ending on ``dates`` (the first from ``start``): actual days, or
    30E/360 days."""
    starts = [start, *dates[:-1]]
    if thirty_360:
        return [days_30e_360(a, b) for a, b in zip(starts, dates, strict=True)]
    return [(b - a).days for a, b in zip(starts, dates, strict=True)]


def due_dates_on_start_day(start: dt.date, periods: int, months: int) -> list[dt.date]:
    """Every ``months`` months on the disbursement day of month, clamped to short months'
    ends and always measured from the start: 1-31 → 2-28 → 3-31 → 4-30."""
    return _every(start.year, start.month - 1 + months, start.day, months, periods)


def due_dates_on_fixed_day(
    start: dt.date, periods: int, months: int, day: int
) -> tuple[list[dt.date], bool]:
    """Due dates on day ``day`` of the month (31 = month end), and whether the first period
    is broken (shorter than a full period).

    Monthly: the first due date is the first such day strictly after the start (a stub of zero
    30E/360 days, such as 1-30 → 1-31, rolls into the next month). Quarterly: the
    first such day strictly after the start in a quarter-end month (March, June, September,
    December: 按季结息). The first period is full only when the start itself lies on that grid
    of dates; otherwise it is broken and pays interest for its actual days."""
    month_index = start.month - 1
    while True:
        candidate = on_day(start.year, month_index, day)
        on_grid = months == 1 or candidate.month in QUARTER_END_MONTHS
        # Strictly after the start, and not a period of zero 30E/360 days (1-30 → 1-31):
        # such a stub is rolled into the next period, whatever the day count.
        if on_grid and candidate > start and days_30e_360(start, candidate) > 0:
            break
        month_index += 1
    start_on_grid = on_day(start.year, start.month - 1, day) == start and (
        months == 1 or start.month in QUARTER_END_MONTHS
    )
    return _every(start.year, month_index, day, months, periods), not start_on_grid


def _every(year: int, month_index: int, day: int, months: int, count: int) -> list[dt.date]:
    """``count`` dates on ``day`` (clamped), ``months`` apart, the first ``month_index`` months
    after January of ``year`` (a plain loop: due dates are on every schedule's hot path)."""
    year, month0 = divmod(year * 12 + month_index, 12)
    dates: list[dt.date] = []
    append, date = dates.append, dt.date
    for _ in range(count):
        if day <= 28:
            append(date(year, month0 + 1, day))
        else:
            append(date(year, month0 + 1, min(day, days_in_month(year, month0 + 1))))
        month0 += months
        if month0 >= 12:
            year, month0 = year + 1, month0 - 12
    return dates
