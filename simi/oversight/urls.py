from django.urls import path

from simi.oversight import partner_views

app_name = "oversight"

urlpatterns = [
    path("", partner_views.home, name="home"),
    path("tempat/<slug:code>/lapor/", partner_views.report, name="report"),
    path("tempat/<slug:code>/unggah/", partner_views.upload, name="upload"),
    path("impor/<uuid:import_id>/", partner_views.import_detail, name="import"),
    path("impor/<uuid:import_id>/progres/", partner_views.import_progress, name="import_progress"),
]
