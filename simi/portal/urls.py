"""The portal's pages keep the addresses and URL names people and templates
already use, so the composition root (simi/urls.py) mounts each one inside
the namespace of the domain page it stands for."""

from django.urls import path

from simi.portal import views

# Mounted at /permohonan/ in the "applications" namespace: applications:list.
applications_patterns = [
    path("", views.applicant_dashboard, name="list"),
]

# Mounted at the site root in the "portal" namespace: the statements every
# public service has, and the "Was this page helpful?" form of every footer.
# The addresses are printed on paper notices: keep them stable.
app_name = "portal"
urlpatterns = [
    path("privasi/", views.privacy_notice, name="privacy_notice"),
    path("aksesibilitas/", views.accessibility_statement, name="accessibility"),
    path("ketentuan-penggunaan/", views.terms_of_use, name="terms"),
    path("kontak/", views.contact, name="contact"),
    path("umpan-balik/", views.page_feedback, name="feedback"),
    path("kantor/umpan-balik/", views.feedback_summary, name="feedback_summary"),
]
