"""SIMI settings: one module driven by environment variables.

SIMI_ENV picks the behaviour (development, test, production); everything that
differs between machines is an environment variable, never a separate code path.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from simi.envconf import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SIMI_VAR_DIR", str(BASE_DIR / "var")))

SIMI_ENV = env_choice("SIMI_ENV", "development", ("development", "test", "production"))
PRODUCTION = SIMI_ENV == "production"
if not PRODUCTION:
    # SQLite files, keys, outbox and uploads of a development checkout live here.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# Off unless asked for: even the demo shows the friendly error pages.
DEBUG = env_bool("SIMI_DEBUG", False)


def _development_secret_key() -> str:
    """A per-checkout key kept in the ignored var/ folder, made on first run."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


if PRODUCTION:
    SECRET_KEY = env_str("SIMI_SECRET_KEY")
elif SIMI_ENV == "test":
    SECRET_KEY = env_str("SIMI_SECRET_KEY", "test-only-secret-key-not-for-any-real-deployment")
else:
    SECRET_KEY = env_str("SIMI_SECRET_KEY", "") or _development_secret_key()

ALLOWED_HOSTS = env_list(
    "SIMI_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("SIMI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "simi.core",
    "simi.audit",
    "simi.people",
    "simi.accounts",
    "simi.privacy",
    "simi.applications",
    "simi.catalog",
    "simi.issuance",
    "simi.screening",
    "simi.appointments",
    "simi.payments",
    "simi.notifications",
    "simi.oversight",
    "simi.enforcement",
    "simi.portal",
]

MIDDLEWARE = [
    # Outermost: times the whole chain (simi/core/metrics.py).
    "simi.core.metrics.MetricsMiddleware",
    "simi.core.middleware.RequestIdMiddleware",
    "simi.core.middleware.SecurityHeadersMiddleware",
    "simi.core.middleware.RejectNulMiddleware",
    "simi.core.middleware.RejectUnreadableFormMiddleware",
    "simi.core.middleware.CompressTextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simi.accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "simi.urls"
WSGI_APPLICATION = "simi.wsgi.application"
ASGI_APPLICATION = "simi.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "simi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "simi.core.context_processors.simi",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite file by default (zero set-up); PostgreSQL by DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'simi.sqlite3'}"),
        conn_max_age=env_int("SIMI_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with the health check paced to once a second per
    # connection instead of a round trip on every request, and a cursor that
    # prepares its statements for the busiest reads (simi/core/postgresql).
    DATABASES["default"]["ENGINE"] = "simi.core.postgresql"
    # Seconds a persistent connection goes unpinged while in use (0: every request).
    health_check_seconds = env_int("SIMI_DB_HEALTH_CHECK_SECONDS", 1)
    DATABASES["default"]["HEALTH_CHECK_SECONDS"] = health_check_seconds  # type: ignore[typeddict-unknown-key]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE takes
    # the write lock at BEGIN so concurrent writers queue instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-simi.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background jobs ------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SIMI_WORKER_HEARTBEAT_SECONDS = env_int("SIMI_WORKER_HEARTBEAT_SECONDS", 15)
# A worker is "alive" when it wrote a heartbeat this recently.
SIMI_WORKER_STALE_SECONDS = env_int("SIMI_WORKER_STALE_SECONDS", 90)
# Jobs waiting longer than this mean the queue is not being drained.
SIMI_QUEUE_LAG_SECONDS = env_int("SIMI_QUEUE_LAG_SECONDS", 300)
# A job left running by a worker that stopped sending heartbeats (killed,
# machine lost) goes back to the queue (simi/core/leases.py), checked this
# often; a running job whose worker never sent one is taken back after
# SIMI_JOB_LEASE_SECONDS. A job whose worker was lost this many times fails.
SIMI_JOB_RECOVERY_SECONDS = env_int("SIMI_JOB_RECOVERY_SECONDS", 60)
SIMI_JOB_LEASE_SECONDS = env_int("SIMI_JOB_LEASE_SECONDS", 3600)
SIMI_JOB_MAX_ATTEMPTS = env_int("SIMI_JOB_MAX_ATTEMPTS", 3)
# Finished jobs and periodic-slot rows are kept this many days (failed jobs
# longer), then purged daily by core.purge_job_history.
SIMI_JOB_HISTORY_DAYS = env_int("SIMI_JOB_HISTORY_DAYS", 7)
SIMI_FAILED_JOB_HISTORY_DAYS = env_int("SIMI_FAILED_JOB_HISTORY_DAYS", 30)
# While the database is down a worker waits, doubling the pause up to this.
SIMI_WORKER_MAX_BACKOFF_SECONDS = env_int("SIMI_WORKER_MAX_BACKOFF_SECONDS", 10)
# An uploaded file's import whose job has shown no sign of work (a heartbeat
# every few hundred rows) for this long lost its worker; the reaper takes it
# back: lodging files are queued again up to SIMI_IMPORT_MAX_ATTEMPTS runs,
# watchlist files are failed. Either way the file is erased once it fails.
SIMI_IMPORT_LEASE_SECONDS = env_int("SIMI_IMPORT_LEASE_SECONDS", 15 * 60)
SIMI_IMPORT_MAX_ATTEMPTS = env_int("SIMI_IMPORT_MAX_ATTEMPTS", 3)

# Hooks: how a domain lets higher domains react to its events without importing
# them (simi/core/hooks.py). Each name lists its handlers, called in order
# inside the caller's transaction.
# The second-factor check of sensitive API operations (simi/core/routing.py).
SIMI_FRESH_FACTOR_CHECK = "simi.accounts.mfa.require_fresh_factor"

SIMI_HOOKS: dict[str, list[str]] = {
    # An application was cancelled or refused (simi/applications/workflow.py).
    "applications.closed": ["simi.appointments.hooks.application_closed"],
    # An officer recorded the interview: the applicant came to the office.
    "applications.interviewed": ["simi.appointments.hooks.application_interviewed"],
    # Has the application its visit to the office? (its task list, simi/applications/tasklist.py)
    "applications.visit_booked": ["simi.appointments.hooks.application_visit_booked"],
    # Duties to keep a person's data, each a reason or None (simi/privacy/erasure.py).
    "privacy.erasure_blockers": [
        "simi.applications.hooks.submitted_applications_are_kept",
        "simi.oversight.hooks.register_of_foreigners_is_kept",
    ],
    # An account is being erased; its identity record goes next.
    "privacy.erasing": ["simi.applications.hooks.discard_drafts"],
    # An account lost its identity record: its number was confirmed as another
    # person's at the office (simi/accounts/claims/services.py).
    "accounts.identity_withdrawn": ["simi.applications.hooks.discard_drafts_of_lost_identity"],
    # An account asked for a code for its mobile number (simi/accounts/contact.py):
    # the SMS goes through the notifications outbox.
    "accounts.phone_code": ["simi.notifications.hooks.send_phone_code"],
    # Reasons a household member cannot be removed, each a reason or None
    # (simi/accounts/household/services.py).
    "accounts.household_member_blockers": ["simi.applications.hooks.member_has_applications"],
    # The back-office home page asks each domain for a card of figures for the
    # signed-in officer, or None (simi/accounts/views.py).
    "backoffice.home": [
        "simi.applications.hooks.backoffice_work_card",
        "simi.appointments.hooks.backoffice_visits_card",
        "simi.portal.hooks.backoffice_feedback_card",
    ],
}

# `manage.py seed_demo` runs these in order (simi/core/demo.py): each domain
# seeds its own synthetic data on top of the ones before it.
SIMI_DEMO_SEEDERS = [
    "simi.accounts.demo.seed_demo",
    "simi.oversight.demo.seed_demo",
    "simi.enforcement.demo.seed_demo",
    "simi.applications.demo.seed_demo",
    "simi.appointments.demo.seed_demo",
    "simi.screening.demo.seed_demo",
]

# `manage.py backup` records in its manifest what each of these summarises of
# the database, and `manage.py restore --verify` asks the same one to check the
# restored copy (simi/core/backups/): name -> {"summary", "verify"}.
SIMI_BACKUP_CHECKS = {
    "audit_log": {
        "summary": "simi.audit.backups.audit_log_summary",
        "verify": "simi.audit.backups.audit_log_restored",
    },
}
# Where `manage.py backup` writes an archive when it is given no name.
SIMI_BACKUP_DIR = Path(env_str("SIMI_BACKUP_DIR", str(VAR_DIR / "backups")))

# Periodic jobs the workers enqueue themselves: (name, task path, every N seconds).
SIMI_PERIODIC_TASKS = [
    (
        "core.recover_abandoned_jobs",
        "simi.core.tasks.recover_abandoned_jobs",
        SIMI_JOB_RECOVERY_SECONDS,
    ),
    ("core.purge_rate_counters", "simi.core.tasks.purge_rate_counters", 3600),
    ("audit.publish_tree_head", "simi.audit.tasks.publish_tree_head", 600),
    ("privacy.escalate_overdue_requests", "simi.privacy.tasks.escalate_overdue_requests", 3600),
    ("privacy.purge_expired_records", "simi.privacy.tasks.purge_expired_records", 86400),
    ("applications.cancel_uncollected", "simi.applications.tasks.cancel_uncollected", 86400),
    (
        "applications.cancel_overdue_document_requests",
        "simi.applications.tasks.cancel_overdue_document_requests",
        86400,
    ),
    ("payments.expire_bills", "simi.payments.tasks.expire_bills", 300),
    ("payments.remind_expiring_bills", "simi.payments.tasks.remind_expiring_bills", 300),
    (
        "appointments.send_appointment_reminders",
        "simi.appointments.tasks.send_appointment_reminders",
        3600,
    ),
    (
        "appointments.mark_missed_appointments",
        "simi.appointments.tasks.mark_missed_appointments",
        3600,
    ),
    ("oversight.detect_violations", "simi.oversight.register.tasks.detect_violations", 86400),
    (
        "oversight.check_devices_offline",
        "simi.oversight.devices.tasks.check_devices_offline",
        300,
    ),
    (
        "oversight.reap_lodging_imports",
        "simi.oversight.lodging.tasks.reap_lodging_imports",
        300,
    ),
    ("screening.reap_watchlist_imports", "simi.screening.tasks.reap_watchlist_imports", 300),
    (
        "enforcement.open_cases_for_violations",
        "simi.enforcement.tasks.open_cases_for_violations",
        3600,
    ),
    (
        "notifications.retry_failed_notifications",
        "simi.notifications.tasks.retry_failed_notifications",
        300,
    ),
    ("core.purge_idempotency_records", "simi.core.tasks.purge_idempotency_records", 3600),
    ("core.purge_job_history", "simi.core.tasks.purge_job_history", 86400),
]
SIMI_SCHEDULER = env_bool("SIMI_SCHEDULER", True)

# --- Notifications --------------------------------------------------------
SIMI_SMS_BACKEND = env_str(
    "SIMI_SMS_BACKEND",
    {
        "development": "simi.notifications.sms.FileSmsBackend",
        "test": "simi.notifications.sms.LocmemSmsBackend",
    }.get(SIMI_ENV, "simi.notifications.sms.ConsoleSmsBackend"),
)
SIMI_WHATSAPP_BACKEND = env_str("SIMI_WHATSAPP_BACKEND", "")  # empty: the SMS backend
SIMI_NOTIFICATION_PHONE_CHANNELS = env_list("SIMI_NOTIFICATION_PHONE_CHANNELS", ["sms"])
SIMI_NOTIFICATION_MAX_ATTEMPTS = env_int("SIMI_NOTIFICATION_MAX_ATTEMPTS", 5)

# A bill's owner, by purpose: what a payment or an expiry means for the thing
# the bill is for. purpose -> event -> dotted path of a callable taking
# (*, bill): "paid", "expired" (handed over after expiry) and optionally
# "on_expiry" (answers reissue / hand over / lapse; simi/payments/owners.py).
# Payments knows bills; the owning domain knows what a payment means.
SIMI_BILL_HANDLERS = {
    "application": {
        "paid": "simi.applications.workflow.bill_paid",
        "expired": "simi.applications.workflow.bill_expired",
        "on_expiry": "simi.applications.billing.bill_on_expiry",
    },
    "overstay_charge": {
        "paid": "simi.enforcement.services.charge_paid",
        "expired": "simi.enforcement.services.charge_expired",
    },
}

# Screening sits below the domains it screens (simi/screening/subjects.py):
# each subject type names the source, in the domain that owns the record,
# that says whom to screen and what the reviewer sees.
SIMI_SCREENING_SUBJECTS = {
    "application": "simi.applications.screening_subjects.application",
    "foreigner": "simi.oversight.screening_subjects.foreigner",
    "stay_permit": "simi.oversight.screening_subjects.stay_permit",
    "lodging_report": "simi.oversight.screening_subjects.lodging_report",
    "lodging_import": "simi.oversight.screening_subjects.lodging_import",
}
# The register's history of people, for the risk model's features and labels
# (simi/screening/risk/facts.py).
SIMI_RISK_HISTORY = "simi.oversight.risk_history.register"

# --- Authentication -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["simi.accounts.backends.SimiAuthBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "simi.accounts.passwords.DemoPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "core:home"
# Applicants verify their e-mail within this many hours of registering.
SIMI_EMAIL_VERIFICATION_HOURS = env_int("SIMI_EMAIL_VERIFICATION_HOURS", 48)
# A password reset link works this many seconds, and once (Django's default is 3 days).
PASSWORD_RESET_TIMEOUT = env_int("SIMI_PASSWORD_RESET_SECONDS", 3600)
# Uploaded application documents: the largest file accepted, in bytes.
SIMI_MAX_UPLOAD_BYTES = env_int("SIMI_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
# A watchlist file (administrators' imports): the largest accepted, in bytes.
SIMI_SCREENING_IMPORT_MAX_BYTES = env_int("SIMI_SCREENING_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# Uploads wait in memory, never in a temporary file on disk, up to one byte past
# the largest limit any form or API operation accepts (simi.core.uploadhandlers).
FILE_UPLOAD_HANDLERS = ["simi.core.uploadhandlers.BoundedMemoryUploadHandler"]
SIMI_UPLOAD_MEMORY_BYTES = max(SIMI_MAX_UPLOAD_BYTES, SIMI_SCREENING_IMPORT_MAX_BYTES)
# Staff sessions end after this long without a request, and after this long in all.
SIMI_STAFF_IDLE_SECONDS = env_int("SIMI_STAFF_IDLE_SECONDS", 15 * 60)
SIMI_STAFF_MAX_SESSION_SECONDS = env_int("SIMI_STAFF_MAX_SESSION_SECONDS", 8 * 3600)
# Sensitive actions (approvals, revocations, exports, tokens) ask for a fresh code.
SIMI_REAUTH_SECONDS = env_int("SIMI_REAUTH_SECONDS", 5 * 60)
# API bearer tokens: longest lifetime anyone may ask for.
SIMI_API_TOKEN_MAX_DAYS = env_int("SIMI_API_TOKEN_MAX_DAYS", 90)

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------
STATIC_URL = "/static/"
# The design system (CSS, logo, vendored htmx) lives outside any app.
STATICFILES_DIRS = [BASE_DIR / "simi" / "static"]
STATIC_ROOT = Path(env_str("SIMI_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it to exist
# Outside production WhiteNoise serves straight from the apps (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env_str("SIMI_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "simi.core.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("SIMI_DEFAULT_FROM_EMAIL", "SIMI Lampung Barat <noreply@simi.invalid>")
if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("SIMI_EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("SIMI_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("SIMI_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("SIMI_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("SIMI_EMAIL_USE_TLS", True)
    # A mail server that stops answering must not hold a worker (and the
    # notification it claimed) for ever.
    EMAIL_TIMEOUT = env_int("SIMI_EMAIL_TIMEOUT", 30)
else:
    # Development keeps every message as a file in var/outbox to read by hand.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "outbox"

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SIMI_SESSION_SECONDS", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "simi.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Proxies (addresses or networks, "*" for any) whose X-Forwarded-For names the
# client for rate limits (core.ratelimit.client_ip); gunicorn trusts the same
# list for X-Forwarded-Proto (deploy/gunicorn.conf.py).
SIMI_TRUSTED_PROXIES = env_list("SIMI_FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"])
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SIMI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SIMI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Monitors and the Prometheus scraper reach gunicorn's own address on the
    # private network, without TLS (docs/operations.md, "Metrics").
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# --- Logging: one JSON object per line, with the request id ---------------
SIMI_LOG_LEVEL = env_str("SIMI_LOG_LEVEL", "WARNING" if SIMI_ENV == "test" else "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "simi.core.logs.RequestIdFilter"},
        "redact_paths": {"()": "simi.core.logs.RedactRequestPaths"},
    },
    "formatters": {"json": {"()": "simi.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "redact_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": SIMI_LOG_LEVEL},
    "loggers": {
        # Django's own request log repeats the URL, which can carry personal
        # data in a query string; our access log writes the path alone.
        "django.request": {"level": "ERROR", "propagate": True},
        # runserver's own line holds the full URL; simi.access replaces it.
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "simi": {"level": SIMI_LOG_LEVEL, "propagate": True},
    },
}

# --- Health, metrics and support ------------------------------------------
# Bearer token of the Prometheus scraper at /metrics (or SIMI_METRICS_TOKEN_FILE);
# unset, /metrics answers 404 to everyone (docs/operations.md, "Metrics").
SIMI_METRICS_TOKEN = env_str("SIMI_METRICS_TOKEN", "")
SIMI_PUBLIC_BASE_URL = env_str("SIMI_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
SIMI_SUPPORT_CONTACT = env_str("SIMI_SUPPORT_CONTACT", "layanan@simi.invalid")
