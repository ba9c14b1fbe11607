from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuanceConfig(AppConfig):
    name = "simi.issuance"
    label = "issuance"
    verbose_name = _("Issued documents")
