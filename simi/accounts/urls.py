from django.contrib.auth import views as auth_views
from django.urls import path

from simi.accounts import views
from simi.accounts.household import views as household_views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.register, name="register"),
    path("daftar/terkirim/", views.register_done, name="register_done"),
    path("verifikasi-email/<str:token>/", views.verify_email, name="verify_email"),
    path("verifikasi-email-ulang/", views.verification_resend, name="verification_resend"),
    path(
        "verifikasi-email-ulang/terkirim/",
        views.verification_resend_done,
        name="verification_resend_done",
    ),
    path("lupa-sandi/", views.password_reset, name="password_reset"),
    path("lupa-sandi/terkirim/", views.password_reset_done, name="password_reset_done"),
    path(
        "sandi-baru/<uuid:uid>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("mfa/", views.mfa_setup, name="mfa_setup"),
    path("mfa/verifikasi/", views.mfa_verify, name="mfa_verify"),
    path("identitas/", views.identity, name="identity"),
    path(
        "identitas/pemeriksaan/<uuid:claim_id>/kantor/",
        views.identity_claim_office,
        name="identity_claim_office",
    ),
    path("keluarga/", household_views.household, name="household"),
    path("keluarga/tambah/", household_views.household_add, name="household_add"),
    path("keluarga/<uuid:member_id>/", household_views.household_edit, name="household_edit"),
    path(
        "keluarga/<uuid:member_id>/hapus/",
        household_views.household_remove,
        name="household_remove",
    ),
    path("", views.home, name="home"),
    path("token-api/", views.tokens, name="tokens"),
    path("token-api/<uuid:token_id>/cabut/", views.token_revoke, name="token_revoke"),
]
