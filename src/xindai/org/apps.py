from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "xindai.org"
    label = "org"
    verbose_name = _("机构与人员")

    def ready(self) -> None:
        from xindai.org.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="xindai.org.sync_role_groups")
