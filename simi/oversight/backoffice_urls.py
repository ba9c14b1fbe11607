"""Back-office pages of the oversight unit (/kantor/pengawasan/)."""

from django.urls import path

from simi.oversight.devices import views as devices
from simi.oversight.lodging import views as lodging
from simi.oversight.register import views as register
from simi.oversight.sightings import views as sightings

app_name = "oversight_office"

urlpatterns = [
    path("", register.foreigner_list, name="list"),
    path("ekspor.csv", register.foreigner_export, name="export"),
    path("ekspor.xlsx", register.foreigner_export_xlsx, name="export_xlsx"),
    path("baru/", register.foreigner_register, name="register"),
    path("penjamin/baru/", register.sponsor_add, name="sponsor_add"),
    path("pelanggaran/", register.violation_list, name="violations"),
    path("penginapan/", lodging.lodging_overview, name="lodging"),
    path("izin/<uuid:permit_id>/batalkan/", register.permit_cancel, name="permit_cancel"),
    path("<uuid:foreigner_id>/", register.foreigner_detail, name="detail"),
    path("<uuid:foreigner_id>/ubah/", register.foreigner_edit, name="edit"),
    path("<uuid:foreigner_id>/paspor/baru/", register.travel_document_add, name="document_add"),
    path("<uuid:foreigner_id>/izin/baru/", register.permit_add, name="permit_add"),
    path("<uuid:foreigner_id>/perlintasan/baru/", register.movement_add, name="movement_add"),
    path("temuan/", sightings.sighting_list, name="sightings"),
    path("temuan/baru/", sightings.sighting_add, name="sighting_add"),
    path("temuan/<uuid:sighting_id>/", sightings.sighting_detail, name="sighting"),
    path("temuan/<uuid:sighting_id>/foto/", sightings.sighting_photo, name="sighting_photo"),
    path("perangkat/", devices.device_list, name="devices"),
    path("perangkat/baru/", devices.device_register, name="device_register"),
    path("perangkat/peringatan/", devices.device_alerts, name="device_alerts"),
    path("perangkat/<uuid:device_id>/", devices.device_detail, name="device"),
    path("perangkat/<uuid:device_id>/kunci/", devices.device_rekey, name="device_rekey"),
    path("perangkat/<uuid:device_id>/status/", devices.device_status, name="device_status"),
]
