from django.contrib import admin
from django.urls import include, path

from simi.accounts.views import AdminLoginView
from simi.api import api
from simi.applications import urls as applications_urls
from simi.core import views as core_views
from simi.portal import urls as portal_urls

admin.site.site_header = "SIMI Lampung Barat"
admin.site.site_title = "SIMI admin"

# The applicant's dashboard at /permohonan/ shows bills and visits beside the
# applications, so it is the portal's page; it keeps its address and its name
# (applications:list) by joining the applications pages under one namespace.
applications_pages = (
    portal_urls.applications_patterns + applications_urls.urlpatterns,
    applications_urls.app_name,
)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Bearer token only (SIMI_METRICS_TOKEN); 404 to anyone else.
    path("metrics", core_views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    # Before the admin's own URLs: its sign-in is SIMI's (limiter, second factor).
    path("admin/login/", AdminLoginView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("akun/", include("simi.accounts.urls")),
    path("kantor/", include("simi.accounts.backoffice_urls")),
    path("akun/data-pribadi/", include("simi.privacy.urls")),
    path("layanan/", include("simi.catalog.urls")),
    path("", include("simi.issuance.urls")),
    path("kantor/data-pribadi/", include("simi.privacy.backoffice_urls")),
    path("permohonan/", include(applications_pages)),
    path("kantor/permohonan/", include("simi.applications.backoffice_urls")),
    path("janji-temu/", include("simi.appointments.urls")),
    path("kantor/antrean/", include("simi.appointments.backoffice_urls")),
    path("pembayaran/", include("simi.payments.urls")),
    path("kantor/pembayaran/", include("simi.payments.backoffice_urls")),
    path("kantor/pengawasan/kasus/", include("simi.enforcement.backoffice_urls")),
    path("kantor/penyaringan/", include("simi.screening.backoffice_urls")),
    path("kantor/pengawasan/", include("simi.oversight.backoffice_urls")),
    path("mitra/", include("simi.oversight.urls")),
    path("", include("simi.portal.urls")),
    path("", include("simi.core.urls")),
]

handler400 = "simi.core.views.bad_request"
handler403 = "simi.core.views.permission_denied"
handler404 = "simi.core.views.page_not_found"
handler500 = "simi.core.views.server_error"
