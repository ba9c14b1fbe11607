"""The models of oversight, one module per part of the app; every model is
importable from here (``from simi.oversight.models import Foreigner``).

The database backs the invariants (one foreigner per person, one overstay
violation per permit, one lodging report per place, passport and check-in,
one event per device and event id); the workflow lives in the services of
each sub-package.
"""

from simi.oversight.models.devices import (
    Device,
    DeviceAlert,
    DeviceEvent,
    DeviceEventKind,
    DeviceKeyKind,
    DeviceKind,
    DeviceNonce,
)
from simi.oversight.models.lodging import LodgingImport, LodgingPlace, LodgingReport
from simi.oversight.models.register import (
    Foreigner,
    Movement,
    PermitKind,
    PermitReminder,
    PermitStatus,
    Sponsor,
    StayPermit,
    TravelDocument,
)
from simi.oversight.models.sightings import SealVerdict, Sighting
from simi.oversight.models.violations import Violation, ViolationKind, ViolationStatus

__all__ = [
    "Device",
    "DeviceAlert",
    "DeviceEvent",
    "DeviceEventKind",
    "DeviceKeyKind",
    "DeviceKind",
    "DeviceNonce",
    "Foreigner",
    "LodgingImport",
    "LodgingPlace",
    "LodgingReport",
    "Movement",
    "PermitKind",
    "PermitReminder",
    "PermitStatus",
    "SealVerdict",
    "Sighting",
    "Sponsor",
    "StayPermit",
    "TravelDocument",
    "Violation",
    "ViolationKind",
    "ViolationStatus",
]
