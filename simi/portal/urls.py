"""The portal's pages keep the addresses and URL names people and templates
already use, so the composition root (simi/urls.py) mounts each one inside
the namespace of the domain page it stands for."""

from django.urls import path

from simi.portal import views

# Mounted at /permohonan/ in the "applications" namespace: applications:list.
applications_patterns = [
    path("", views.applicant_dashboard, name="list"),
]
