"""Che Chở settings, read from the environment (see the README's table of variables)."""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_int, env_list, env_required, env_str
from core.statement_limit import limit_statements

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CHECHO_VAR_DIR", str(BASE_DIR / "var")))

# Debug pages only on a developer's own machine: on by default while DJANGO_ALLOWED_HOSTS is
# unset (the site then answers its own loopback only), off by default once it names any host.
# A deployment that forgets DJANGO_DEBUG=0 then shows no traceback (nor the child's data in
# it) and starts only with its own secret key.
DEBUG = env_bool("DJANGO_DEBUG", default=not env_list("DJANGO_ALLOWED_HOSTS", []))

if DEBUG:
    # A development-only key; production refuses to start without DJANGO_SECRET_KEY.
    SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"
else:
    SECRET_KEY = env_required("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "core",
    "cases",
    "referrals",
    "access",
    "inspections",
    "notifications",
    "reports",
    "documents",
    "scale",
    # Last: Django's form templates, which core/templates overrides (FORM_RENDERER below).
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.input_guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestContextMiddleware",
    "notifications.middleware.OneNoticePerRequest",
    "core.web.ServiceErrorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into core.tokens.lockout_response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "core.urls"
WSGI_APPLICATION = "core.wsgi.application"
ASGI_APPLICATION = "core.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# Forms render through TEMPLATES, so that core/templates/django/forms/widgets/select.html (each
# option written inline, not included: docs/performance.md) replaces Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite in the project when DATABASE_URL is absent (demo, unit tests), else the URL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
        # No server-side cursors: Django reads a form's options through one (DECLARE, FETCH,
        # CLOSE: three round trips for a handful of rows; the case page's five selects took
        # 12 ms), and PgBouncer in transaction mode cannot keep them. What reads millions of
        # rows pages by id instead (verify_audit).
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not usable: {error}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / "db.sqlite3"),
        }
    }
# A time limit on each statement (core/statement_limit.py), when the process is given one (0:
# none); core/wsgi.py and core/asgi.py give the web 25 s, and a Celery worker given none takes
# CHECHO_WORKER_STATEMENT_SECONDS (core/celery.py).
DATABASE_STATEMENT_SECONDS = (
    env_int("DATABASE_STATEMENT_SECONDS", 0, minimum=0)
    if env_str("DATABASE_STATEMENT_SECONDS") is not None
    else None
)
CHECHO_WORKER_STATEMENT_SECONDS = env_int("CHECHO_WORKER_STATEMENT_SECONDS", 600, minimum=0)
limit_statements(DATABASES["default"], DATABASE_STATEMENT_SECONDS or 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests on SQLite: WAL lets readers run beside the one writer; every
    # transaction takes the write lock as it begins (IMMEDIATE), so two can never both read and
    # then both ask to write, which SQLite refuses at once ("database is locked"); a writer waits
    # up to 20 s for the lock. The loser of a race then reads the winner's state and is refused
    # with a 409 like on PostgreSQL (core/workflow.py).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a username locked out at an address before any password is checked.
    "core.tokens.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in and API tokens (docs/operations.md, "Sign-in and API tokens").
# django-axes: after this many failed sign-ins of one username from one address, on the web or
# the token endpoint, both answer 429 until the lockout has passed with no further attempt.
AXES_FAILURE_LIMIT = env_int("CHECHO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CHECHO_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.tokens.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.tokens.client_address"
# Sign-ins are in the product's audit trail; axes keeps only its failure counts. Unlocking is
# `manage.py axes_reset_username`, not an admin screen outside that trail.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# django-rest-knox makes and checks the API tokens; only their SHA-512 digest is stored, in
# core.ApiToken. Its own token model is swapped out, so it has no table and no migrations.
KNOX_TOKEN_MODEL = "core.ApiToken"
MIGRATION_MODULES = {"knox": None}
CHECHO_TOKEN_DAYS = env_int("CHECHO_TOKEN_DAYS", 30, minimum=1)
CHECHO_TOKENS_PER_USER = env_int("CHECHO_TOKENS_PER_USER", 10, minimum=1)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=CHECHO_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# Guardian holds only per-object exceptions, in direct foreign-key tables (docs/decisions).
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

# Language and time: Vietnamese by default, stored in UTC, shown in Vietnam's time.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
# Dates day first, dd/mm/yyyy, in both languages (core/formats).
FORMAT_MODULE_PATH = ["core.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded case documents live outside the web root and are served only through an access check.
MEDIA_ROOT = Path(env_str("CHECHO_MEDIA_ROOT", str(VAR_DIR / "media")))
CHECHO_ATTACHMENT_MAX_BYTES = env_int("CHECHO_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# A child is a person under 16 (Law on Children 2016, Art. 1); a change of the law to 18 has been
# discussed, so the limit is a setting. Intake refuses a person of this age or more.
CHECHO_CHILD_AGE_LIMIT = env_int("CHECHO_CHILD_AGE_LIMIT", 16, minimum=1)
FILE_UPLOAD_PERMISSIONS = 0o640
# A request body other than a document upload (Django's default, said here: core/input_guard.py
# answers 413 above it, and above it plus one document for an upload).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440


# API
# Requests per signed-in user and per address of anonymous callers: "<number>/<second, minute,
# hour or day>", or "off". Over the limit the API answers 429 with Retry-After.
def _rate(name: str, default: str) -> str | None:
    raw = env_str(name, default).strip()
    if raw.lower() == "off":
        return None
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", raw):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a rate like 1200/hour, or off.")
    return raw


CHECHO_API_RATES = {
    "user": _rate("CHECHO_API_RATE_USER", "1200/hour"),
    "anon": _rate("CHECHO_API_RATE_ANON", "60/hour"),
}
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous call answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.UserRateThrottle",
        "core.throttling.AnonRateThrottle",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than 50 levels is a 400 (core/input_guard.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.input_guard.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # JSON only: the browsable API would render, for its forms, every row a related field may
    # name (people, agencies) to whoever opens an endpoint in a browser. /api/docs/ documents.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # One version. Named, it stops `/api/schema/?version=` from writing what a caller sends into
    # the file name of the Content-Disposition header (a newline there was a 500).
    "ALLOWED_VERSIONS": ["1"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageByIds",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Che Chở API",
    "DESCRIPTION": "Child-protection case management and inter-agency referrals.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # The answers of the layers in front of the views (input guard, sign-in, rate limits, ...).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_schema.edge_answers",
    ],
    # Swagger UI served from our own static files: no CDN, works on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Background work: with REDIS_URL a real broker and worker, without it tasks run in process.
REDIS_URL = env_str("REDIS_URL") or None
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r} is not a redis:// URL.")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# The API's rate counts are shared by every web process through Redis when there is one; without
# it each process counts on its own.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "checho-throttle",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
}
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis re-delivers a message that was not acknowledged within this many seconds. It must exceed
# the longest countdown we schedule (retry back-off is capped at 30 minutes) or a waiting task
# would run twice; one hour keeps that margin while a crashed worker's message still comes back
# within the hour. Tasks are idempotent, and the outbox sweep re-queues anything still pending.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery closes the worker's database connection after every task unless this is set; the
# worker keeps it instead and drops it when broken or older than CONN_MAX_AGE (core/celery.py).
# 0 restores Celery's behaviour.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000, minimum=0)
# Publishing from a request must not hang while Redis is down: fail fast, the outbox keeps the
# row and the sweep queues it again.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE = {
    # Proof for /healthz that beat, the broker and a worker still run the minute schedule. A
    # heartbeat queued longer than two minutes is dropped: after a worker outage, one fresh
    # heartbeat says as much as a backlog of stale ones.
    "beat-heartbeat": {
        "task": "core.tasks.beat_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 120},
    },
    "sweep-outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
    "sweep-clocks": {"task": "notifications.tasks.sweep_clocks", "schedule": 60.0},
    "expired-case-permissions": {
        "task": "access.tasks.delete_expired_permissions",
        "schedule": crontab(minute=5),
    },
    "daily-digest": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# The worker and beat keep the root handler LOGGING below installs instead of replacing it with
# Celery's own, so their lines carry the same time, level and logger name as the web's.
# `--loglevel` still sets the level (Celery applies it to the root logger either way).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Email: SMTP in production, the console in development.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds before a hung SMTP server fails the send (retried with back-off) instead of holding the
# worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Che Chở <no-reply@localhost>")

# Notifications: the outbox is swept every minute; delivery is retried with back-off and given up
# (status "failed", shown to the sysadmin) after this many attempts.
CHECHO_NOTIFICATION_MAX_ATTEMPTS = env_int("CHECHO_NOTIFICATION_MAX_ATTEMPTS", 8, minimum=1)
# A queued delivery not done after this long is queued again by the sweep (tasks are idempotent).
CHECHO_OUTBOX_REQUEUE_SECONDS = env_int("CHECHO_OUTBOX_REQUEUE_SECONDS", 300, minimum=0)
# Parallel workers per query for the reports, which read a province's year; every other query
# runs without them (core/parallel.py).
CHECHO_REPORT_PARALLEL_WORKERS = env_int("CHECHO_REPORT_PARALLEL_WORKERS", 2, minimum=0)
CHECHO_SMS_BACKEND = env_str("CHECHO_SMS_BACKEND", "notifications.sms.LogSmsBackend")
# Policy defaults (DOMAIN §7, §9): remind at 75% of a clock's span; when it is breached alert the
# commune chair at once, then the provincial officer a day later; in reports that leave the
# case-handling agencies hide counts below 5. An administrator changes them in the admin's
# "Policy settings" (core.policy reads the row, or these values while there is none).
CHECHO_REMINDER_FRACTION = 0.75
CHECHO_ESCALATION_CHAIN = [("commune_chair", 0), ("provincial_officer", 24)]
CHECHO_SMALL_COUNT_THRESHOLD = 5
# Access to one case outside one's scope (docs/access.md): the defaults of the policy row.
CHECHO_GRANT_DAYS = 30
CHECHO_GRANT_MAX_DAYS = 90
CHECHO_BREAK_GLASS_HOURS = 24
# Searches for a case to break the glass, per user (a count per window of seconds).
CHECHO_BREAK_GLASS_SEARCHES = env_int("CHECHO_BREAK_GLASS_SEARCHES", 5, minimum=1)
CHECHO_BREAK_GLASS_WINDOW = env_int("CHECHO_BREAK_GLASS_WINDOW", 3600, minimum=60)
CHECHO_SITE_URL = env_str("CHECHO_SITE_URL", "http://127.0.0.1:8000")

# Audit: the client address comes from REMOTE_ADDR unless a trusted proxy sets X-Forwarded-For.
CHECHO_TRUST_X_FORWARDED_FOR = env_bool("CHECHO_TRUST_X_FORWARDED_FOR", default=False)

# Security: production is HTTPS only behind a proxy that sets X-Forwarded-Proto.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 3600, minimum=300)

# One line format for every process: "2026-11-30 10:00:00,123 INFO cases.workflow: …". Times are
# Vietnam's (Django sets the process time zone from TIME_ZONE), as the users report them.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Celery's own handlers (the task logger of `get_task_logger`, the pool's multiprocessing logger)
# are not the root's; give them the same fields, plus which task and run a line belongs to.
CELERY_WORKER_LOG_FORMAT = LOG_FORMAT
CELERY_WORKER_TASK_LOG_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s: %(task_name)s[%(task_id)s] %(message)s"
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": LOG_FORMAT}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per task is noise when tasks run in process (the demo); failures still show.
        "celery.app.trace": {"level": "WARNING"},
        # django-axes: its failures and lockouts (WARNING), not its INFO lines on every attempt.
        "axes": {"level": "WARNING"},
        # WeasyPrint and its font subsetting log each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Django's defaults give "django" a bare handler of its own (so with DEBUG every error
        # printed twice, once without time or level) and runserver's access lines their own
        # format; both go through the handler above instead, at DJANGO_LOG_LEVEL (NOTSET: the
        # root's level). The default's mail to ADMINS goes with it: ADMINS is empty here, so
        # it never sent anything.
        "django": {"handlers": [], "level": "NOTSET", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "NOTSET", "propagate": False},
    },
}
