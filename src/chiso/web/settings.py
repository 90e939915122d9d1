"""Settings of the web application, driven by environment variables.

With nothing set, chiso runs on SQLite under ``var/`` beside the working directory (the
demo). Production sets at least ``CHISO_SECRET_KEY``, ``CHISO_DEBUG=0``,
``CHISO_ALLOWED_HOSTS`` and ``DATABASE_URL``; see docs/operation.md.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CHISO_DATA_DIR", Path.cwd() / "var")).resolve()
if DATA_DIR.is_relative_to(BASE_DIR.parent):
    # run from inside the installed package (e.g. `makemessages` in src/chiso/web), the
    # default data folder would put a secret key and a database among the package's files
    raise ImproperlyConfigured(
        f"The data folder {DATA_DIR} is inside the chiso package: "
        "run from another folder or set CHISO_DATA_DIR."
    )


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("CHISO_SECRET_KEY"):
        return key
    # the embedded default: one random key per data folder, kept so that sessions survive
    # a restart; production passes its own key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = _env_bool("CHISO_DEBUG", True)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("CHISO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CHISO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "chiso.web.accounts.apps.ChisoAdminConfig",
    # before django.contrib.auth: its createsuperuser and changepassword write the audit trail
    "chiso.web.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "chiso.web.notifications",
    "chiso.web.jobs",
    "chiso.web.cycles",
    "chiso.web.submissions",
    "chiso.web.audit",
    "chiso.web.reviews",
    "chiso.web.results",
    "chiso.web.api",
    "chiso.web.console",
    "django_tasks_db",  # the database's queue of background tasks (the default engine)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chiso.web.middleware.vietnamese_by_default",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "chiso.web.errors.NotFoundPageWhenDebugging",  # last: it sees a view's Http404 first
]

ROOT_URLCONF = "chiso.web.urls"
WSGI_APPLICATION = "chiso.web.wsgi.application"

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
                "django.template.context_processors.csp",
                "chiso.web.notifications.context.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'chiso.sqlite3'}",
        conn_max_age=int(os.environ.get("CHISO_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # several requests at once (autosave while another page loads) wait instead of failing
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["chiso.web.formats"]
TIME_ZONE = os.environ.get("CHISO_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # chiso.css and the vendored htmx
STATIC_ROOT = Path(os.environ.get("CHISO_STATIC_ROOT", DATA_DIR / "static"))

# Evidence files: local disk outside the web root by default; S3-compatible object storage
# when CHISO_STORAGE=s3 (django-storages; the bucket, endpoint and region from the variables
# below, the keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
MEDIA_ROOT = Path(os.environ.get("CHISO_MEDIA_ROOT", DATA_DIR / "files"))
# No URL serves MEDIA_ROOT: files are served only through views that check permissions.
# (A value is still needed: the test live server refuses None.)
MEDIA_URL = "/files/"
if os.environ.get("CHISO_STORAGE") == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", "chiso"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": "/files/"},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EVIDENCE_MAX_BYTES = int(os.environ.get("CHISO_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
# an Office document (docx, xlsx, odt …) or workbook whose parts unpack to more is refused
UPLOAD_MAX_UNPACKED_BYTES = int(os.environ.get("CHISO_UPLOAD_MAX_UNPACKED_MB", "100")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Set CHISO_REDIS_URL when several processes serve the site, so that they share the cache.
if redis_url := os.environ.get("CHISO_REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "chiso_cache",
        }
    }

# Background tasks (django.tasks; docs/operation.md, "Background work"): by default a queue in
# the database, run by `manage.py db_worker` (`make run` starts one); CHISO_TASKS=redis puts
# them on Redis (RQ) for workers on several machines, run by `manage.py rq_worker`.
CHISO_TASKS = os.environ.get("CHISO_TASKS", "database").strip().lower()
if CHISO_TASKS == "redis":
    TASKS = {
        "default": {
            "BACKEND": "chiso.web.jobs.redis_queue.RQBackend",
            "OPTIONS": {
                "URL": redis_url or "redis://127.0.0.1:6379/0",  # CHISO_REDIS_URL
                "PREFIX": os.environ.get("CHISO_TASKS_QUEUE_PREFIX", "chiso-"),
            },
        }
    }
elif CHISO_TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured(
        f"CHISO_TASKS={CHISO_TASKS!r}: give 'database' (the default) or 'redis'."
    )
# A job whose worker has not reported for this long is shown, and stored, as failed: its
# worker stopped (a job reports at each step; the longest, the documents of a national
# cycle, takes a few minutes).
CHISO_JOB_STALE_MINUTES = int(os.environ.get("CHISO_JOB_STALE_MINUTES", "15"))
# The export of a cycle's answers is written in the request up to this many answers (a
# province's few thousand), by a background job above.
CHISO_EXPORT_IN_REQUEST_ANSWERS = int(os.environ.get("CHISO_EXPORT_IN_REQUEST_ANSWERS", "50000"))
# the backend that computes the draft results after a change (results.refresh): the worker's
CHISO_DRAFT_TASKS = "default"

# Login throttling (accounts/throttle.py, docs/operation.md): failed tries of one account
# from one address, and from one address on any accounts, within a window; requests of a
# password reset from one address.
CHISO_LOGIN_LIMIT = int(os.environ.get("CHISO_LOGIN_LIMIT", "5"))
CHISO_LOGIN_ADDRESS_LIMIT = int(os.environ.get("CHISO_LOGIN_ADDRESS_LIMIT", "200"))
CHISO_LOGIN_WINDOW_MINUTES = int(os.environ.get("CHISO_LOGIN_WINDOW_MINUTES", "15"))
CHISO_PASSWORD_RESET_LIMIT = int(os.environ.get("CHISO_PASSWORD_RESET_LIMIT", "5"))

# The client's address is REMOTE_ADDR, unless the peer is one of these proxies (addresses or
# networks, comma separated): then it is the right-most address of the header
# CHISO_CLIENT_IP_HEADER that is not itself a trusted proxy.
CHISO_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(proxy.strip(), strict=False))
    for proxy in os.environ.get("CHISO_TRUSTED_PROXIES", "").split(",")
    if proxy.strip()
]
CHISO_CLIENT_IP_HEADER = os.environ.get("CHISO_CLIENT_IP_HEADER", "")  # X-Forwarded-For if empty

# E-mail (password reset): SMTP when CHISO_EMAIL_HOST is set, else printed on the console.
if email_host := os.environ.get("CHISO_EMAIL_HOST"):
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": email_host,
            "port": int(os.environ.get("CHISO_EMAIL_PORT", "587")),
            "username": os.environ.get("CHISO_EMAIL_USER", ""),
            "password": os.environ.get("CHISO_EMAIL_PASSWORD", ""),
            "use_tls": _env_bool("CHISO_EMAIL_TLS", True),
            "use_ssl": _env_bool("CHISO_EMAIL_SSL", False),
            "timeout": 10,  # seconds: a request that sends waits at most this once
        },
    }
else:
    _mailer = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = os.environ.get("CHISO_EMAIL_FROM", "chiso <chiso@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60  # a reset link works for one day


# Reminders of a cycle's deadline (`manage.py send_reminders`, run daily): sent to the units
# that have not submitted, this many days before it (comma separated).
def _reminder_days(value: str) -> list[int]:
    days = [part.strip() for part in value.split(",") if part.strip()]
    # ASCII digits only: "²".isdigit() is true but int("²") fails
    wrong = [part for part in days if not (part.isascii() and part.isdecimal())]
    if wrong:
        raise ImproperlyConfigured(
            f"CHISO_REMINDER_DAYS={value!r}: {wrong[0]!r} is not a whole number of days; "
            "give whole numbers of days separated by commas, e.g. 7,1."
        )
    return sorted({int(part) for part in days}, reverse=True)


CHISO_REMINDER_DAYS = _reminder_days(os.environ.get("CHISO_REMINDER_DAYS", "7,1"))
# The site's address in links of e-mails sent outside a request (reminders from cron).
CHISO_SITE_URL = os.environ.get("CHISO_SITE_URL", "http://127.0.0.1:8000")

# HTTPS in production (docs/operation.md, "Security settings"): the redirect and HSTS are on
# unless CHISO_DEBUG is on; behind a proxy that terminates TLS, CHISO_PROXY_SSL_HEADER names the
# header by which it says the request came over HTTPS (e.g. HTTP_X_FORWARDED_PROTO: https).
SECURE_SSL_REDIRECT = _env_bool("CHISO_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("CHISO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("CHISO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("CHISO_HSTS_PRELOAD", True)
if proxy_ssl_header := os.environ.get("CHISO_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (proxy_ssl_header, "https")

# Pages run only the site's own scripts and styles (static files; the admin's few inline ones
# carry the nonce), are never framed, and post forms only to the site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("CHISO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# A refused request (403, 404, 400) is logged in one line, a server error with its traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_4xx": {"()": "chiso.web.errors.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_4xx"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("CHISO_LOG_LEVEL", "WARNING")},
}
