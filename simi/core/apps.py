from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "simi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from simi.core import checks  # noqa: F401 - registers the system checks
        from simi.core.metrics import job_finished

        task_finished.connect(job_finished, dispatch_uid="simi.core.metrics.job_finished")
