from ninja import Router

router = Router(tags=["五级分类"])
