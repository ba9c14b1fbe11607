"""Public portal pages, health, and the friendly error pages."""

from __future__ import annotations

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from simi.core import selectors
from simi.core.errors import ServiceUnavailable
from simi.core.health import health_report
from simi.core.metrics import metrics_response, token_matches
from simi.core.outage import RETRY_AFTER_SECONDS, is_database_outage, outage_kind

logger = logging.getLogger("simi.errors")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    offices = selectors.office_list()
    return render(request, "core/home.html", {"offices": offices})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    ok, checks = health_report()
    return JsonResponse({"ok": ok, "checks": checks}, status=200 if ok else 503)


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics for the scraper holding SIMI_METRICS_TOKEN; to anyone
    else the same 404 as an address that does not exist."""
    if request.method not in ("GET", "HEAD") or not token_matches(request):
        raise Http404
    return metrics_response()


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        # The API answers in JSON even when the failure happened before Ninja.
        from simi.core.errors import MalformedRequest, NotFound, PermissionDenied, SimiError

        errors = {400: MalformedRequest(), 403: PermissionDenied(), 404: NotFound()}
        error: SimiError = errors.get(status, SimiError())
        body = error.as_dict()
        body["reference"] = getattr(request, "request_id", "")
        if status == 500:
            body["code"] = "internal_error"
        return JsonResponse({"error": body}, status=status)
    return render(request, template, {"status": status}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/404.html", 404)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After while the database is down: the JSON envelope on
    the API, else the friendly page, drawn without touching the database (the
    visitor is shown as signed out, no messages are read)."""
    request.user = AnonymousUser()  # nothing after this may try to load it
    retry_after = str(RETRY_AFTER_SECONDS)
    if request.path.startswith("/api/"):
        body = ServiceUnavailable().as_dict()
        body["reference"] = getattr(request, "request_id", "")
        response: HttpResponse = JsonResponse({"error": body}, status=503)
    else:
        context = {"status": 503, "user": request.user, "messages": (), "retry_after": retry_after}
        try:
            response = render(request, "errors/503.html", context, status=503)
        except Exception:  # the page must come whatever else is broken
            logger.exception("error_page_failed")
            response = HttpResponse(
                "<!doctype html><title>503</title>"
                "<p>Layanan sedang tidak tersedia, coba lagi sebentar lagi. / "
                "The service is briefly unavailable, please try again in a minute.</p>",
                status=503,
            )
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # The traceback went to the log with this request id; the page shows only the id.
    error = sys.exc_info()[1]
    if error is not None and is_database_outage(error):
        logger.warning(
            "database_unavailable", extra={"path": request.path, "kind": outage_kind(error)}
        )
        return service_unavailable(request)
    try:
        return _error_page(request, "errors/500.html", 500)
    except Exception:  # a broken template must not hide the reference
        logger.exception("error_page_failed")
        reference = getattr(request, "request_id", "")
        return HttpResponse(
            "<!doctype html><title>500</title>"
            f"<p>Terjadi kesalahan / Something went wrong. Ref: {reference}</p>",
            status=500,
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", {"status": 403}, status=403)
