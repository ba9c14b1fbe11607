from django.urls import path

from simi.screening import views
from simi.screening.risk import views as risk_views

app_name = "screening_office"

urlpatterns = [
    path("", views.review_queue, name="queue"),
    path("tinjauan/<uuid:item_id>/", views.review_detail, name="review"),
    path("kendali/", views.control_page, name="control"),
    path("daftar/", views.watchlist_list, name="watchlists"),
    path("daftar/baru/", views.watchlist_new, name="watchlist_new"),
    path("daftar/<slug:code>/", views.watchlist_detail, name="watchlist"),
    path("daftar/<slug:code>/impor/", views.watchlist_upload, name="upload"),
    path("daftar/<slug:code>/dampak/", views.watchlist_estimate, name="estimate"),
    path("daftar/<slug:code>/terbitkan/", views.watchlist_publish, name="publish"),
    path("impor/<uuid:import_id>/", views.import_detail, name="import"),
    path("impor/<uuid:import_id>/progres/", views.import_progress, name="import_progress"),
    path("risiko/", risk_views.fairness_page, name="risk_report"),
    path("risiko/ekspor.csv", risk_views.fairness_export, name="risk_export"),
    path("risiko/model/", risk_views.model_card_page, name="model_card"),
]
