from django.urls import path

from simi.appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.booking_list, name="list"),
    path("permohonan/<uuid:application_id>/", views.booking_new, name="book"),
    path("<uuid:booking_id>/", views.booking_detail, name="detail"),
    path("<uuid:booking_id>/ubah/", views.booking_reschedule, name="reschedule"),
    path("<uuid:booking_id>/batalkan/", views.booking_cancel, name="cancel"),
    path("<uuid:booking_id>/kalender.ics", views.booking_calendar_file, name="ics"),
]
