"""Signals of the loans app."""

from django.dispatch import Signal

# Sent after the end-of-day of ``day`` is done and the business date moved to ``today``
# (= day + 1), outside the run's transactions; receivers: the post-loan day.
eod_closed = Signal()  # kwargs: day, today, actor
