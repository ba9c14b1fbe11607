from django.urls import path

from simi.accounts import views
from simi.accounts.claims import views as claims

app_name = "backoffice"

urlpatterns = [
    path("", views.backoffice_home, name="home"),
    path("staf/", views.backoffice_staff, name="staff"),
    path("identitas/", claims.claim_queue, name="identity_claims"),
    path("identitas/<uuid:claim_id>/", claims.claim_detail, name="identity_claim"),
    path(
        "identitas/<uuid:claim_id>/<slug:action>/",
        claims.claim_decide,
        name="identity_claim_decide",
    ),
]
