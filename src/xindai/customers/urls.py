from django.urls import path

from xindai.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("export/", views.customer_export, name="export"),
    path("import/", views.customer_import, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/errors/", views.import_errors, name="import_errors"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/sections/<slug:key>/add/", views.section_add, name="section_add"),
    path("<int:pk>/sections/<slug:key>/<int:row>/", views.section_edit, name="section_edit"),
    path(
        "<int:pk>/sections/<slug:key>/<int:row>/delete/",
        views.section_delete,
        name="section_delete",
    ),
    path("<int:pk>/soft-info/", views.soft_info_add, name="soft_info_add"),
    path("<int:pk>/relations/", views.relation_add, name="relation_add"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:doc>/", views.document_download, name="document"),
    path("<int:pk>/documents/<int:doc>/expiry/", views.document_expiry, name="document_expiry"),
]
