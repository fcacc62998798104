from django.urls import path

from xindai.credit import views

app_name = "credit"
urlpatterns = [
    path("applications/", views.application_list, name="list"),
    path("applications/queue/", views.application_queue, name="queue"),
    path("applications/new/<int:customer>/", views.application_create, name="create"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/consent/", views.consent, name="consent"),
    path("applications/<int:pk>/credit-report/", views.credit_report, name="credit_report"),
    path("applications/<int:pk>/collateral/", views.collateral, name="collateral"),
    path("applications/<int:pk>/co-investigator/", views.co_investigator, name="co_investigator"),
    path("applications/<int:pk>/admission/", views.admission_page, name="admission"),
    path("applications/<int:pk>/admission/check/", views.check_admission, name="check"),
    path("applications/<int:pk>/admission/escalate/", views.escalate, name="escalate"),
    path("applications/<int:pk>/take/<slug:name>/", views.take, name="take"),
    path("applications/<int:pk>/timeline/", views.timeline, name="timeline"),
]

# 实地调查 (issue 6): the investigation record; the credit limit, collateral and the report.
from xindai.credit import urls_approval, urls_investigation, urls_report  # noqa: E402

urlpatterns += urls_investigation.urlpatterns + urls_report.urlpatterns
urlpatterns += urls_approval.urlpatterns  # 审查、审贷小组、审批 (issue 7)
