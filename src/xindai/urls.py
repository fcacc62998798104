from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from xindai.api import build_api
from xindai.core import views as core_views
from xindai.core.access import requires

admin.site.site_header = _("信贷 · 后台管理")
admin.site.site_title = _("信贷后台")
admin.site.index_title = _("系统管理")

api = build_api()

urlpatterns = [
    path("", include("xindai.dashboard.urls")),
    path("org/", include("xindai.org.urls")),
    path("audit/", include("xindai.audit.urls")),
    path("customers/", include("xindai.customers.urls")),
    path("products/", include("xindai.products.urls")),
    path("loans/", include("xindai.loans.urls")),
    path("credit/", include("xindai.credit.urls")),
    path("analysis/", include("xindai.analysis.urls")),
    path("contracts/", include("xindai.contracts.urls")),
    path("vault/", include("xindai.vault.urls")),
    path("ledger/", include("xindai.ledger.urls")),
    path("deposits/", include("xindai.deposits.urls")),
    path("repayments/", include("xindai.repayments.urls")),
    path("classification/", include("xindai.classification.urls")),
    path("postloan/", include("xindai.postloan.urls")),
    path("notices/", include("xindai.notices.urls")),
    path("warnings/", include("xindai.earlywarning.urls")),
    path("collection/", include("xindai.collection.urls")),
    path("scoring/", include("xindai.scoring.urls")),
    path("marketing/", include("xindai.marketing.urls")),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "accounts/password/",
        requires("dashboard.view_workbench")(
            auth_views.PasswordChangeView.as_view(success_url="/accounts/password/done/")
        ),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        requires("dashboard.view_workbench")(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler404 = "xindai.core.views.not_found"
handler403 = "xindai.core.views.forbidden"
