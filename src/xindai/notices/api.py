from ninja import Router

router = Router(tags=["通知书与送达"])
