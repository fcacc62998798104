from django.urls import path

from xindai.marketing import views_work as views

urlpatterns: list = [
    path("workbench/", views.workbench, name="workbench"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/", views.contact_list, name="contacts"),
    path("review/", views.review, name="review"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/<int:pk>/", views.lead_detail, name="lead"),
    path("customers/<int:pk>/consents/", views.consents, name="consents"),
    path("customers/<int:pk>/consents/record/", views.consent_record, name="consent_record"),
    path("customers/<int:pk>/refusals/", views.refusal_record, name="refusal_record"),
    path("refusals/<int:pk>/lift/", views.refusal_lift, name="refusal_lift"),
    path("targets/<int:pk>/why/", views.why, name="why"),
]
