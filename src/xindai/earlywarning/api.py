from ninja import Router

router = Router(tags=["风险预警"])
