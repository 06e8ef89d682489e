"""Settings for factcheck, all from environment variables.

With none set, the app runs on SQLite and runs Celery tasks in-process, so a fresh
machine needs nothing but Python. DATABASE_URL and CELERY_BROKER_URL switch to
PostgreSQL and Redis.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY, or DEBUG=true for local development.")
    SECRET_KEY = "insecure-local-development-key"  # noqa: S105 - only ever used with DEBUG on
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # pg_trgm lookups for claim memory; inert on SQLite
    "django_htmx",
    "csp",
    "axes",
    "accounts",
    "articles",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.private_answers",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the login view's answer and replaces it when axes refused it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    # Only for what a page repeats per claim (the review desk's text spans and list rows):
    # Jinja2 renders 1,000 of them in a few ms, Django's language in over 50.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Annotation and review write concurrently; wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Claim memory's `%` (pg_trgm) takes only close wordings, so its GIN index stays selective.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c pg_trgm.similarity_threshold=0.6"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` gathers the files that whitenoise serves.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Who publishes the ClaimReview export.
FACTCHECK_ORGANISATION = os.environ.get("FACTCHECK_ORGANISATION", "Factcheck newsroom")
FACTCHECK_ORGANISATION_URL = os.environ.get("FACTCHECK_ORGANISATION_URL", "https://example.org/")

# Uploads are read into memory and reduced to text; the form enforces its own 2 MB limit.
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

# HTTPS everywhere outside development; behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER=true so X-Forwarded-Proto tells Django the request was secure.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the page, never from the cookie
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' preload list binds the whole domain for months: its owner's call.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
X_FRAME_OPTIONS = "DENY"
# Only the app's own scripts, styles and images; no inline script, no eval, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sessions, the auth cache and the login checks under way; shared between processes only with
# CACHE_URL (Redis).
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    # django-redis keeps one redis-py client per server; Django's own Redis cache builds one
    # per call, and each rebuilds ~170 reply callbacks (redis/redis-py#3624).
    "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# With a shared cache, a request reads its session from there rather than the database
# (sessions are still written through to the database). Not with per-process memory: a
# logout in one process would leave the session alive in the others' caches.
SESSION_ENGINE = f"django.contrib.sessions.backends.{'cached_db' if CACHE_URL else 'db'}"
# django-axes refuses a login before the password is checked once the account has failed
# LOGIN_FAILURES_ALLOWED times from one client address within LOGIN_LOCKOUT_SECONDS.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.auth.CachedAuthBackend"]
AUTH_CACHE_SECONDS = env_int("AUTH_CACHE_SECONDS", 60)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURES_ALLOWED", 5)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60))
# Account and address together: an attacker locks only themselves out of an account, never
# its owner elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.throttle.account_name"
AXES_HANDLER = "accounts.throttle.CountedDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# The client address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies (each adding
# the address it saw to X-Forwarded-For) the address the outermost one saw. Entries a client
# wrote into the header itself stand further left and are never read.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # ipware counts the proxies listed in the header, which the last proxy is not.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    # Takes the entry that many from the right even when a client added entries on the left.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# Celery: with no broker, annotation runs on a thread of the web process (the embedded
# default; articles.services).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 150)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 4 // 5
# What one pre-annotation takes on (claims.annotator.Limits): sentences longer than
# ANNOTATION_MAX_CLAIM_CHARS are cut (and say so), an article with more than
# ANNOTATION_MAX_CLAIMS sentences is refused at upload, and a run longer than
# ANNOTATION_TIME_LIMIT seconds stops with a message. The time limit is checked inside the
# engine, so it holds on the embedded thread too; under Celery it ends before the soft limit.
ANNOTATION_MAX_CLAIM_CHARS = env_int("ANNOTATION_MAX_CLAIM_CHARS", 1000)
ANNOTATION_MAX_CLAIMS = env_int("ANNOTATION_MAX_CLAIMS", 1000)
# 100 s with the default Celery limits, and always inside the soft limit unless set.
ANNOTATION_TIME_LIMIT = env_int("ANNOTATION_TIME_LIMIT", CELERY_TASK_SOFT_TIME_LIMIT * 5 // 6)
if ANNOTATION_MAX_CLAIM_CHARS < 100 or ANNOTATION_MAX_CLAIMS < 1:
    raise ImproperlyConfigured(
        "ANNOTATION_MAX_CLAIM_CHARS must be at least 100 and ANNOTATION_MAX_CLAIMS at least 1."
    )
if not 0 < ANNOTATION_TIME_LIMIT < CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured(
        "ANNOTATION_TIME_LIMIT must be positive and below CELERY_TASK_TIME_LIMIT * 4/5."
    )
# Redis hands an unacknowledged task to another worker after this many seconds (a worker
# died). Longer than the time limit, so a task still running is never handed out twice.
visibility_timeout = env_int("CELERY_VISIBILITY_TIMEOUT", 600)
if visibility_timeout <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": visibility_timeout}
# Articles saved while the broker was down are sent again by `celery worker --beat`.
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-annotations": {
        "task": "articles.tasks.requeue_stuck_annotations",
        "schedule": 60,
    }
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
