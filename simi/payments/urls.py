from django.urls import path

from simi.payments import views

app_name = "payments"

urlpatterns = [
    path("", views.bill_list, name="list"),
    path("<uuid:bill_id>/", views.bill_detail, name="bill"),
    path("<uuid:bill_id>/tagihan-baru/", views.bill_renew, name="renew"),
]
