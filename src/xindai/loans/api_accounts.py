"""Loan accounts and disbursement over REST (``/api/v1/loans``)."""

from ninja import Router

router = Router(tags=["loans"])
