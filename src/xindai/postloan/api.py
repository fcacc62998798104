from ninja import Router

router = Router(tags=["贷后检查"])
