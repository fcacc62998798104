"""REST API of the contracts app (`/api/v1/contracts`)."""

from ninja import Router

router = Router(tags=["contracts"])
