"""The REST API at /api/v1/: one NinjaAPI, one router per domain."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
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


class UniqueSchemaNames(OpenAPISchema):
    """Ninja merges the schemas of all operations by name, so two schemas with
    one name leave only the last in the document: the other operation is then
    documented with the wrong shape. Here a second, different schema under a
    name already taken stops the document being built."""

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                raise ImproperlyConfigured(
                    f"two API schemas are named {name!r}; give one of them another name"
                )
        super().add_schema_definitions(definitions)


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
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = UniqueSchemaNames(self, path_prefix)
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


def scopes_markdown() -> str:
    """docs/scopes.md: every scope, what it allows, who may hold it and the
    operations that need it (generated by ``make openapi`` with the document)."""
    from django.utils import translation

    from simi.accounts.roles import ALL_SCOPES, POLICIES, Role
    from simi.core.routing import FRESH_FACTOR_KEY, SCOPE_KEY

    needs: dict[str, list[str]] = {name: [] for name in ALL_SCOPES}
    public: list[str] = []
    sensitive: list[str] = []
    for path, operations in sorted(api.get_openapi_schema()["paths"].items()):
        for method, operation in operations.items():
            line = f"`{method.upper()} {path}`"
            declared = operation[SCOPE_KEY]
            if operation.get(FRESH_FACTOR_KEY):
                sensitive.append(line)
            if declared is None:
                public.append(line)
                continue
            names = declared if isinstance(declared, list) else [declared]
            for name in names:
                alternatives = [other for other in names if other != name]
                suffix = (
                    f" (or {', '.join(f'`{o}`' for o in alternatives)})" if alternatives else ""
                )
                needs[name].append(line + suffix)
    out = [
        "# API scopes",
        "",
        "Generated from the API's routes by `make openapi`; a test fails when this page is",
        "stale. Every operation declares its scope on its route (`simi/core/routing.py`).",
        "",
        "- A browser session may call what its role allows. An API token (`Authorization:",
        "  Bearer simi_...`, `POST /api/v1/auth/tokens`) carries only the scopes it was issued",
        "  with, a subset of its role's: an operation whose scope the token lacks answers 403",
        "  `scope_missing`, and the error's `scope` field names the scope (alternatives are",
        "  separated by ` | `). The scope is checked before the request body is read.",
        "- The role and the office still decide what the caller may see or change: a scope",
        "  opens the door, it does not widen what is behind it.",
        "- Sensitive actions also need a fresh second factor: a browser session a code from",
        "  the last few minutes, an API token a current authenticator code in the",
        "  `X-SIMI-OTP` header (a code works once). Without it: 403 `reauth_required`.",
        "",
        "| scope | allows | roles that may hold it |",
        "|---|---|---|",
    ]
    with translation.override("en"):
        for name, description in ALL_SCOPES.items():
            roles = [Role(r).label for r, policy in POLICIES.items() if name in policy.api_scopes]
            out.append(f"| `{name}` | {description} | {', '.join(str(r) for r in roles)} |")
    out += ["", "## Operations by scope", ""]
    for name, lines in needs.items():
        out += [f"### `{name}`", ""] + [f"- {line}" for line in lines or ["(none yet)"]] + [""]
    out += ["## Sensitive operations (fresh second factor)", ""]
    out += [f"- {line}" for line in sensitive] + [""]
    out += ["## Public operations (no sign-in)", ""] + [f"- {line}" for line in public]
    return "\n".join(out).rstrip() + "\n"
