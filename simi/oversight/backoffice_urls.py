from django.urls import path

from simi.oversight import views

app_name = "oversight_office"

urlpatterns = [
    path("", views.foreigner_list, name="list"),
    path("ekspor.csv", views.foreigner_export, name="export"),
    path("ekspor.xlsx", views.foreigner_export_xlsx, name="export_xlsx"),
    path("baru/", views.foreigner_register, name="register"),
    path("penjamin/baru/", views.sponsor_add, name="sponsor_add"),
    path("pelanggaran/", views.violation_list, name="violations"),
    path("penginapan/", views.lodging_overview, name="lodging"),
    path("izin/<uuid:permit_id>/batalkan/", views.permit_cancel, name="permit_cancel"),
    path("<uuid:foreigner_id>/", views.foreigner_detail, name="detail"),
    path("<uuid:foreigner_id>/ubah/", views.foreigner_edit, name="edit"),
    path("<uuid:foreigner_id>/paspor/baru/", views.travel_document_add, name="document_add"),
    path("<uuid:foreigner_id>/izin/baru/", views.permit_add, name="permit_add"),
    path("<uuid:foreigner_id>/perlintasan/baru/", views.movement_add, name="movement_add"),
]

# Sightings and devices (device_views.py)
from simi.oversight import device_views  # noqa: E402

urlpatterns += [
    path("temuan/", device_views.sighting_list, name="sightings"),
    path("temuan/baru/", device_views.sighting_add, name="sighting_add"),
    path("temuan/<uuid:sighting_id>/", device_views.sighting_detail, name="sighting"),
    path("temuan/<uuid:sighting_id>/foto/", device_views.sighting_photo, name="sighting_photo"),
    path("perangkat/", device_views.device_list, name="devices"),
    path("perangkat/baru/", device_views.device_register, name="device_register"),
    path("perangkat/peringatan/", device_views.device_alerts, name="device_alerts"),
    path("perangkat/<uuid:device_id>/", device_views.device_detail, name="device"),
    path("perangkat/<uuid:device_id>/kunci/", device_views.device_rekey, name="device_rekey"),
    path("perangkat/<uuid:device_id>/status/", device_views.device_status, name="device_status"),
]
