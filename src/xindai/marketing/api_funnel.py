from ninja import Router

router = Router(tags=["精准营销"])
