from django.urls import path

from simi.appointments import backoffice_views as views

app_name = "appointments_office"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("janji/", views.bookings, name="bookings"),
    path("check-in/", views.check_in, name="check_in"),
    path("walk-in/", views.walk_in, name="walk_in"),
    path("panggil/", views.call_next, name="call_next"),
    path("nomor/<uuid:ticket_id>/<str:outcome>/", views.ticket_finish, name="ticket_finish"),
]
