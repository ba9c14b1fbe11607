"""The REST API at /api/v1/: one NinjaAPI, one router per domain."""

from __future__ import annotations

from ninja import NinjaAPI

from simi.accounts.api import router as accounts_router
from simi.accounts.apiauth import API_AUTH
from simi.core.api import router as core_router
from simi.core.apierrors import install_error_handlers

api = NinjaAPI(
    title="SIMI API",
    version="1",
    description=(
        "API of SIMI, the digital immigration office of Kabupaten Lampung Barat. "
        'Errors share one shape: `{"error": {"code", "message", "fields", "reference"}}`; '
        "messages follow `Accept-Language` (id, en)."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/", accounts_router)
