from django.urls import path

from simi.applications import submit_views, views

app_name = "applications"

# "" (applications:list, the applicant's dashboard) is simi.portal's page,
# mounted in this namespace by simi/urls.py.

urlpatterns = [
    path("baru/", views.application_new, name="new"),
    path("lacak/", views.track, name="track"),
    path("<uuid:application_id>/", views.application_detail, name="detail"),
    path("<uuid:application_id>/periksa/", submit_views.application_check, name="check"),
    path("<uuid:application_id>/ajukan/", submit_views.application_submit, name="submit"),
    path("<uuid:application_id>/terkirim/", submit_views.application_submitted, name="submitted"),
    path("<uuid:application_id>/batalkan/", views.application_cancel, name="cancel"),
    path("<uuid:application_id>/rincian/", views.details_save, name="details"),
    path("<uuid:application_id>/dokumen/", views.document_upload, name="document_upload"),
    path(
        "<uuid:application_id>/dokumen/<uuid:document_id>/",
        views.document_view,
        name="document_view",
    ),
    path(
        "<uuid:application_id>/dokumen/<uuid:document_id>/hapus/",
        views.document_remove,
        name="document_remove",
    ),
    path("<uuid:application_id>/dokumen-terkirim/", views.documents_sent, name="documents_sent"),
    path("<uuid:application_id>/tanda-terima.pdf", views.receipt_pdf, name="receipt"),
    path("<uuid:application_id>/keputusan/", views.decision_letter, name="decision_letter"),
    path(
        "<uuid:application_id>/surat-keputusan.pdf",
        views.decision_letter_pdf,
        name="decision_letter_pdf",
    ),
]
