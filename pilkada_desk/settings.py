"""Desk Pilkada settings: one module, driven by environment variables.

Defaults suit `make run` (embedded SQLite, filesystem Celery broker); production
sets DATABASE_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS (see README).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required unless DEBUG=1.")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "core",
    "regions",
    "accounts",
    "elections",
    "reports",
    "logistics",
    "violations",
    "compliance",
    "votingday",
    "idempotency",
    "offline",
    "phonenumber_field",
    "contacts",
    "intake",
    "desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed on a weak link (static files come compressed from WhiteNoise above, untouched).
    # Django pads each compressed response with random bytes against BREACH, and masks CSRF tokens.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.DeskLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A view that finds the database gone answers 503 (page or JSON), not a traceback.
    "core.middleware.DatabaseUnavailableMiddleware",
    # Heavy reads from the replica when one is configured (after the 503 above, so a replica failure is
    # retried on the primary before it could become a 503).
    "core.replica.ReplicaReadsMiddleware",
    # Last, as django-axes asks: it turns a lockout noticed during the login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pilkada_desk.urls"
WSGI_APPLICATION = "pilkada_desk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.desk",
            ],
        },
    },
]

# Database: SQLite under var/ by default (make run), PostgreSQL in tests and production.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection is checked before reuse: after a database restart the next request reconnects.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker write at once: WAL lets readers go on
    # while one writes, IMMEDIATE takes the write lock up front (no upgrade
    # deadlocks) and the timeout makes the other writer wait instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# A PostgreSQL streaming replica for the heavy reads (core/replica.py): the views named in
# REPLICA_READ_VIEWS read from it while it is reachable and no more than REPLICA_MAX_LAG_SECONDS behind;
# everything else, every write, and every page for REPLICA_STICKY_SECONDS after the same browser wrote,
# reads the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "10"))
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "30"))
REPLICA_READ_VIEWS = [
    "home", "province_page", "regency_page", "export_xlsx", "export_csv", "rakor:brief", "rakor:brief_pdf",
]
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True,
    )
    # A replica that is gone must not hold a page for long: the page falls back to the primary.
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 3}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout (django-axes): 10 wrong passwords for one user name from one
# address refuse that pair for 15 minutes, on the login form, the admin and
# POST /api/v1/token/. Counted in the database, so a Redis outage never locks
# anyone out. The address is REMOTE_ADDR (set it from the proxy if one is used).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not extend it: refused for 15 minutes from the tenth failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language and time. Datetimes are stored in UTC; TIME_ZONE is only the zone
# pages are shown in. Deadlines use each election's own zone.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# Dates and times read the same in both languages: "27 November 2024", "20.00 WITA".
FORMAT_MODULE_PATH = ["pilkada_desk.formats"]
# locale/: our own (Indonesian) msgids in English; locale_libraries/: the libraries' English messages in
# Indonesian where they ship none (DRF's "Invalid token.", "Invalid page.").
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_libraries"]
USE_I18N = True
USE_TZ = True
DESK_TIME_ZONE = os.environ.get("DESK_TIME_ZONE", "Asia/Makassar")
TIME_ZONE = DESK_TIME_ZONE

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files with year-long cache lifetimes (WhiteNoise) in production and under `make run`
# (bin/run collects them first); tests with DEBUG serve the source files.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
# Evidence and generated files (the admin's import files) go through Django's storage API: the local disk by
# default, or S3-compatible object storage shared by every web host (MEDIA_STORAGE=s3). The bucket stays
# private and no URL of it reaches a page: files are read through the scoped views, which check the viewer.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "file").strip().lower()
if MEDIA_STORAGE == "file":
    MEDIA_STORAGE_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    missing = [name for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
               if not os.environ.get(name)]
    if missing:
        raise ImproperlyConfigured(f"MEDIA_STORAGE=s3 needs {', '.join(missing)}.")
    MEDIA_STORAGE_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ["AWS_ACCESS_KEY_ID"],
            "secret_key": os.environ["AWS_SECRET_ACCESS_KEY"],
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'file' or 's3', not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "core.storage.HashedStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if STATIC_MANIFEST:
    # Serve only the collected files: hashed names are cached "forever", the rest revalidated.
    WHITENOISE_USE_FINDERS = False
    WHITENOISE_AUTOREFRESH = False
# Uploaded evidence is private: it lives outside STATIC_ROOT and is served only
# through views that check the viewer's scope, never by MEDIA_URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: Django's EMAIL_* settings from the environment; console under make run.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "desk-pilkada@localhost")

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes anonymous calls 401, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's forms would list master data outside the
    # caller's scope. People use the Swagger UI at /api/v1/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("TOKEN_RATE", "20/minute")},
    # DRF's own parsers and pagination, refusing in the user's language (core/api_input.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.api_input.JSONParser", "core.api_input.FormParser", "core.api_input.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api_input.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    # Services raise Django's ValidationError and PermissionDenied: 400 and 403 here.
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Desk Pilkada API",
    "DESCRIPTION": "Daily desk reports, logistics receipts, violations and compliance flags.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: Redis when REDIS_URL is set, else the filesystem broker under var/
# so `make run` needs no external service.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or (REDIS_URL or "filesystem://")
CELERY_FILESYSTEM_DIR = Path(os.environ.get("CELERY_FILESYSTEM_DIR", VAR_DIR / "celery"))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
        # Look for new tasks every 0.1 s, not every second: a backlog (the demo's own messages) drains in seconds.
        "polling_interval": 0.1,
    }
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or (REDIS_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker keeps its database connection from task to task as a web process does between requests (CONN_MAX_AGE,
# health checks: pilkada_desk/celery.py); Celery itself then reconnects only every this many tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_TIMEZONE = "UTC"
# One queue per kind of work, so a burst of field messages never waits in front of the flags: the compliance
# job, the notices (e-mail and messages out) and the field-message intake. A worker started without -Q
# consumes every queue below (`make run`, the tests); production runs a worker per queue and exactly one beat
# (docker-compose.yml). The jobs are idempotent and safe to overlap, so a second beat would cost work, not
# correctness.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "compliance", "notices", "intake")]
CELERY_TASK_ROUTES = {
    "check_compliance": {"queue": "compliance"},
    "send_notices": {"queue": "notices"},
    "intake_apply": {"queue": "intake"},
    "intake_sweep": {"queue": "intake"},
    # Replies are messages out, beside the e-mail notices: a burst of them never holds back the flags either.
    "intake_send": {"queue": "notices"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat runs in UTC. The compliance check runs every 5 minutes, and a minute
# after 20:00 in each Indonesian zone (WIT 11:00, WITA 12:00, WIB 13:00 UTC),
# so a missed report is flagged right after the default cutoff.
CELERY_BEAT_SCHEDULE = {
    "every-5-minutes-check-compliance": {
        "task": "check_compliance",
        "schedule": 300.0,
    },
    "after-each-20h-cutoff-check-compliance": {
        "task": "check_compliance",
        "schedule": crontab(minute="1", hour="11,12,13"),
    },
    # check_compliance sends what it queues; this retries what the mail server refused.
    "every-15-minutes-retry-unsent-notices": {
        "task": "send_notices",
        "schedule": 900.0,
    },
    # Field messages the webhook stored while Redis or the worker was down, and replies not yet sent.
    "every-minute-apply-field-messages": {
        "task": "intake_sweep",
        "schedule": 60.0,
    },
}

# Field messages (WhatsApp Business Cloud API, SMS Gateway for Android). A channel whose secret is
# unset is off: its webhook answers 404. A channel without sending credentials prints its replies
# to the console (as under `make run`) instead of sending them.
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "")
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")
WHATSAPP_ACCESS_TOKEN = os.environ.get("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_API_URL = os.environ.get("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
# The approved WhatsApp templates of the compliance notices, sent to an officer who has not written in the last
# 24 hours (their body parameters are listed in compliance/notices.py and docs/user-guide.md).
WHATSAPP_TEMPLATE_REMINDER = os.environ.get("WHATSAPP_TEMPLATE_REMINDER", "desk_pengingat_laporan")
WHATSAPP_TEMPLATE_ROUND_REMINDER = os.environ.get("WHATSAPP_TEMPLATE_ROUND_REMINDER", "desk_pengingat_tahap")
WHATSAPP_TEMPLATE_FLAG = os.environ.get("WHATSAPP_TEMPLATE_FLAG", "desk_tanda_kepatuhan")
WHATSAPP_TEMPLATE_LANGUAGE = os.environ.get("WHATSAPP_TEMPLATE_LANGUAGE", "id")
SMS_GATEWAY_SIGNING_KEY = os.environ.get("SMS_GATEWAY_SIGNING_KEY", "")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_LOGIN = os.environ.get("SMS_GATEWAY_LOGIN", "")
SMS_GATEWAY_PASSWORD = os.environ.get("SMS_GATEWAY_PASSWORD", "")
PHONENUMBER_DEFAULT_REGION = "ID"
PHONENUMBER_DB_FORMAT = "E164"
# Per number: more messages than this within the window are stored, not applied (the inbox shows them).
INTAKE_RATE_LIMIT = int(os.environ.get("INTAKE_RATE_LIMIT", "20"))
INTAKE_RATE_WINDOW = dt.timedelta(minutes=int(os.environ.get("INTAKE_RATE_WINDOW_MINUTES", "10")))

# The cache (the API token throttle counts in it) lives in the database, not in
# Redis: desk work must go on when Redis, which only carries the jobs, is down.
# Its table is made by the accounts migrations.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "desk_cache"}}

# Security: strict unless DEBUG. Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER via TRUST_X_FORWARDED_PROTO=1.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only this site's own files run or style a page; no inline
# script or style anywhere (data: images are Bootstrap's and Swagger UI's icons inside their CSS).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
