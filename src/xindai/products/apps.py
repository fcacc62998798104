from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "xindai.products"
    label = "products"
    verbose_name = _("贷款产品")

    def ready(self) -> None:
        from xindai.products.permissions import ensure_calculator_permission

        post_migrate.connect(
            ensure_calculator_permission, dispatch_uid="xindai.products.calculator_permission"
        )
