"""Partner pages (/mitra/): lodging places report their guests."""

from django.urls import path

from simi.oversight.lodging import views

app_name = "oversight"

urlpatterns = [
    path("", views.home, name="home"),
    path("tempat/<slug:code>/lapor/", views.report, name="report"),
    path("tempat/<slug:code>/unggah/", views.upload, name="upload"),
    path("impor/<uuid:import_id>/", views.import_detail, name="import"),
    path("impor/<uuid:import_id>/progres/", views.import_progress, name="import_progress"),
]
