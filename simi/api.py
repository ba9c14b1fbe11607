"""The REST API at /api/v1/: one NinjaAPI, one router per domain."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from simi.accounts.api import router as accounts_router
from simi.accounts.apiauth import API_AUTH
from simi.applications.api.applicant import router as applications_applicant_router
from simi.applications.api.staff import router as applications_staff_router
from simi.applications.api.tracking import router as applications_tracking_router
from simi.appointments.api import router as appointments_router
from simi.catalog.api import router as catalog_router
from simi.core.api import router as core_router
from simi.core.apierrors import envelope_wrong_methods, install_error_handlers
from simi.core.schemas import ErrorEnvelope
from simi.enforcement.api import router as enforcement_router
from simi.issuance.api import router as issuance_router
from simi.notifications.api import router as notifications_router
from simi.oversight.api import router as oversight_router
from simi.payments.api import router as payments_router
from simi.people.api import router as people_router
from simi.privacy.api import router as privacy_router
from simi.screening.api import router as screening_router

# Every operation can answer with the shared error envelope; documenting it
# once here keeps the OpenAPI contract honest for clients and schemathesis.
ERROR_RESPONSES = {
    "400": "The request is malformed.",
    "401": "Not signed in, or the API token is missing, wrong, expired or revoked.",
    "403": "Signed in, but not allowed (role, office, scope or missing second factor).",
    "404": "Not found, or not yours to see.",
    "409": "Conflicts with the current state of the record.",
    "422": "Some fields are not valid; `fields` names them.",
    "429": "Too many requests; see Retry-After.",
}


# Operation ids are part of the contract: generated clients name their methods
# after them. Ninja derives an id from the view's module and name, so when a
# router moves to another module its old path stays here and its ids do not
# change (test_api_contract checks the committed document).
MOVED_ROUTERS = {
    "simi.people.api": "simi.core.api",
    "simi.applications.api.tracking": "simi.applications.api",
    "simi.applications.api.applicant": "simi.applications.api",
    "simi.applications.api.staff": "simi.applications.api",
}


class SimiAPI(NinjaAPI):
    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        return envelope_wrong_methods(self, patterns), app_name, namespace

    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        module = MOVED_ROUTERS.get(module, module)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: Any = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorEnvelope"] = ErrorEnvelope.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components.update(components["ErrorEnvelope"].pop("$defs", {}))
        reference = {"$ref": "#/components/schemas/ErrorEnvelope"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(
                        int(status),
                        {
                            "description": description,
                            "content": {"application/json": {"schema": reference}},
                        },
                    )
        return schema


api = SimiAPI(
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
# URL patterns are tried in this order: the public tracking look-up, the
# busiest operation, is in the first router (docs/openapi.json sorts its paths).
api.add_router("/", applications_tracking_router)
api.add_router("/", applications_applicant_router)
api.add_router("/", applications_staff_router)
api.add_router("/", core_router)
api.add_router("/", people_router)
api.add_router("/", accounts_router)
api.add_router("/", privacy_router)
api.add_router("/", catalog_router)
api.add_router("/", issuance_router)
api.add_router("/", appointments_router)
api.add_router("/", payments_router)
api.add_router("/", notifications_router)
api.add_router("/", oversight_router)
api.add_router("/", enforcement_router)
api.add_router("/", screening_router)
