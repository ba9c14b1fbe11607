from django.urls import path

from simi.privacy import views

app_name = "privacy_backoffice"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("permintaan/<uuid:request_id>/", views.request_detail, name="request"),
    path(
        "permintaan/<uuid:request_id>/<slug:action>/",
        views.request_action,
        name="request_action",
    ),
    path("insiden/", views.incidents, name="incidents"),
    path("insiden/baru/", views.incident_create, name="incident_create"),
    path("insiden/<uuid:incident_id>/", views.incident_detail, name="incident"),
    path(
        "insiden/<uuid:incident_id>/surat/<slug:audience>/<slug:language>/",
        views.incident_letter,
        name="incident_letter",
    ),
]
