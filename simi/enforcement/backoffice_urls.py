from django.urls import path

from simi.enforcement import views

app_name = "enforcement_office"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("ekspor.csv", views.case_export, {"fmt": "csv"}, name="export_csv"),
    path("ekspor.xlsx", views.case_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/peta.svg", views.kecamatan_map, name="map"),
    path("dasbor/ekspor.csv", views.dashboard_export, {"fmt": "csv"}, name="counts_csv"),
    path("dasbor/ekspor.xlsx", views.dashboard_export, {"fmt": "xlsx"}, name="counts_xlsx"),
    path("tindakan/<uuid:action_id>/setujui/", views.action_approve, name="approve"),
    path("tindakan/<uuid:action_id>/tolak/", views.action_reject, name="reject"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/catatan/", views.note_add, name="note_add"),
    path("<uuid:case_id>/bukti/", views.evidence_add, name="evidence_add"),
    path(
        "<uuid:case_id>/bukti/<uuid:evidence_id>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("<uuid:case_id>/tugaskan/", views.case_assign, name="assign"),
    path("<uuid:case_id>/tenggat/", views.case_deadline, name="deadline"),
    path("<uuid:case_id>/tutup/", views.case_close, name="close"),
    path("<uuid:case_id>/tindakan/", views.action_propose, name="propose"),
]
