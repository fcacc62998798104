from django.urls import path

from xindai.products import views

app_name = "products"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("<str:code>/", views.product_detail, name="detail"),
]
