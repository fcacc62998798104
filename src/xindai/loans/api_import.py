"""The import of an old system's loan portfolio over REST (``/api/v1/loan-imports``)."""

from ninja import Router

router = Router(tags=["loans"])
