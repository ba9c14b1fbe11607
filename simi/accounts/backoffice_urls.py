from django.urls import path

from simi.accounts import views

app_name = "backoffice"

urlpatterns = [
    path("", views.backoffice_home, name="home"),
    path("staf/", views.backoffice_staff, name="staff"),
]
