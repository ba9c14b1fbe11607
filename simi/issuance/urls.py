from django.urls import path

from simi.issuance import views

app_name = "issuance"

urlpatterns = [
    path("verifikasi/", views.verify, name="verify"),
    path(".well-known/simi/keys.json", views.keys_json, name="keys"),
    path("kantor/dokumen/", views.document_list, name="documents"),
    path("kantor/dokumen/<uuid:document_id>/", views.document_detail, name="document"),
    path("kantor/dokumen/<uuid:document_id>/cabut/", views.document_revoke, name="revoke"),
]
