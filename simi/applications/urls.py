from django.urls import path

from simi.applications import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("baru/", views.application_new, name="new"),
    path("lacak/", views.track, name="track"),
    path("<uuid:application_id>/", views.application_detail, name="detail"),
    path("<uuid:application_id>/ajukan/", views.application_submit, name="submit"),
    path("<uuid:application_id>/batalkan/", views.application_cancel, name="cancel"),
]
