"""The /api/v1 operations of oversight: one router made of the sub-packages'
routers (register, lodging, sightings, devices). Each keeps the operation
ids, paths and summaries of docs/openapi.json."""

from ninja import Router

from simi.oversight.devices.api import router as devices_router
from simi.oversight.lodging.api import router as lodging_router
from simi.oversight.register.api import router as register_router
from simi.oversight.sightings.api import router as sightings_router

router = Router()
router.add_router("", register_router)
router.add_router("", lodging_router)
router.add_router("", sightings_router)
router.add_router("", devices_router)
