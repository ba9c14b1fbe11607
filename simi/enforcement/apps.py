from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "simi.enforcement"
    label = "enforcement"
    verbose_name = _("Cases and administrative actions")
