from django.urls import path

from simi.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="home"),
    path("unduh/", views.download, name="download"),
    path("permintaan/<uuid:request_id>/", views.my_request, name="request"),
]
