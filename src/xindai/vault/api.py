"""REST API of the vault app (`/api/v1/vault`)."""

from ninja import Router

router = Router(tags=["vault"])
