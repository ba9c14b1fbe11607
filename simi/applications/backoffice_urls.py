from django.urls import path

from simi.applications import backoffice_views as views

app_name = "applications_office"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:application_id>/", views.detail, name="detail"),
    path(
        "<uuid:application_id>/dokumen/<uuid:document_id>/",
        views.document_view,
        name="document_view",
    ),
    path("<uuid:application_id>/<slug:action>/", views.act, name="act"),
]
