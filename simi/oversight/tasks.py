"""The task paths oversight had before it was split into sub-packages.

A job row names its task by dotted path; jobs queued before an upgrade still
name ``simi.oversight.tasks.<task>``, so these names stay importable until no
queued job can carry them. New code enqueues from the sub-packages' ``tasks``
modules, and ``SIMI_PERIODIC_TASKS`` names those.
"""

from simi.oversight.devices.tasks import check_devices_offline
from simi.oversight.lodging.tasks import run_lodging_import
from simi.oversight.register.tasks import detect_violations

__all__ = ["check_devices_offline", "detect_violations", "run_lodging_import"]
