from django.urls import path

from simi.payments import views

app_name = "payments_office"

urlpatterns = [
    path("", views.office_bills, name="bills"),
    path("rekonsiliasi/", views.reconcile, name="reconcile"),
    path(
        "rekonsiliasi/<uuid:reconciliation_id>/",
        views.reconciliation_detail,
        name="reconciliation",
    ),
]
