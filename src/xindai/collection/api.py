from ninja import Router

router = Router(tags=["不良清收"])
