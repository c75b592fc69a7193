"""Settings for the ministry's press site, read from the environment.

Unset variables give a site that runs from a fresh checkout: SQLite next to manage.py, DEBUG off.
See .env.example for every variable.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ministry.env import env_bool, env_list, read_env_file
from ministry.mail import mailer
from ministry.replicas import replica_databases

BASE_DIR = Path(__file__).resolve().parent.parent

# A local .env (gitignored; `make run` writes one for development) fills in what the
# environment leaves unset: the environment always wins. ENV_FILE names another file, or none
# when empty (`make test` runs without one).
_env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
for _name, _value in (read_env_file(Path(_env_file)) if _env_file else {}).items():
    os.environ.setdefault(_name, _value)


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the site, used where a link must be absolute outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "ministry.apps.MinistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_prose_editor",
    "ministry.apps.AxesConfig",
    "django_otp",
    "ministry.apps.TOTPConfig",
    # Only for the API's interactive docs: their templates and the Swagger UI files they load.
    "ninja",
    # The queue of background tasks (django.tasks) in the database, run by `manage.py db_worker`.
    "django_tasks_db",
    "news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page without one, and 304 to a client that has it already.
    "django.middleware.http.ConditionalGetMiddleware",
    "ministry.middleware.RequestLogMiddleware",
    "ministry.middleware.NullByteGuardMiddleware",
    "ministry.middleware.DatabaseUnavailableMiddleware",
    # With DATABASE_REPLICA_URLS: readers' requests read from one replica (ministry.replicas).
    "ministry.replicas.ReplicaReadsMiddleware",
    # Django's, leaving the session alone on a 5xx (the database may be what failed).
    "ministry.middleware.SessionMiddleware",
    # Django's, with the admin in the language its user chose (ministry.language).
    "ministry.language.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Turns a 404 for an address of the old site into a 301 to the release now there.
    "news.legacy.LegacyAddressMiddleware",
    # /api/ only: CORS for GET, ETag and 304, Cache-Control.
    "news.api.middleware.ApiMiddleware",
    # Public pages and feeds from the cache; after LocaleMiddleware, which picks the language.
    "news.pagecache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ministry.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "ministry.wsgi.application"
ASGI_APPLICATION = "ministry.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers and the importer at once: WAL and a busy timeout instead of "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# PostgreSQL read replicas, comma-separated URLs: readers' pages read from one of them
# (ministry/replicas.py). None: one database and no router.
DATABASES.update(
    replica_databases(
        os.environ.get("DATABASE_REPLICA_URLS", ""),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
)
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["ministry.replicas.ReplicaRouter"]

# The cache: this process's memory by default; Redis, shared by every worker, with REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "ministry.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ministry",
            # A cache that does not answer at once is skipped, not waited for.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Bounds each worker's memory: the least recently used pages go first.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "2000"))},
        }
    ),
    # Release summaries under a digest of what they show (news.fragments): never out of date,
    # so each process keeps its own; about a kilobyte each, the least recently used go first.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FRAGMENT_CACHE_ENTRIES", "10000"))},
    },
    # Release pages' articles under a key of what they show (news.articles), likewise; about
    # 10 KB each, the least recently read go first.
    "articles": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "articles",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("ARTICLE_CACHE_ENTRIES", "2000"))},
    },
}
# Sessions (only editors have them) in the database, shared by every application server; read
# through the cache when it is Redis, shared too.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
# What this deploy is (a commit id, say): part of every cached page's key. Unset, a digest of
# the code, templates, translations and static manifest stands for it (news.build).
BUILD_ID = os.environ.get("BUILD_ID", "")
# Public pages and feeds are cached whole (news.pagecache) and never served stale: a change
# makes a new version. This only bounds how long a page nobody asks for stays; 0 turns it off.
NEWS_PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# On PostgreSQL each process learns of changes by LISTEN/NOTIFY instead of reading the version
# for every request (news.versionwatch); 0 reads it every time.
NEWS_PAGE_CACHE_LISTEN = env_bool("PAGE_CACHE_LISTEN", True)
# A CDN or caching proxy in front: how long it may keep a public page (s-maxage; 0: not at all),
# and the address it is told to drop everything at after each change (docs/scaling.md).
NEWS_CDN_MAX_AGE = int(os.environ.get("CDN_MAX_AGE", "0"))
NEWS_CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
NEWS_CDN_PURGE_METHOD = os.environ.get("CDN_PURGE_METHOD", "PURGE")
NEWS_CDN_PURGE_TIMEOUT = 3

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling: after AXES_FAILURE_LIMIT failed logins for one name from one address, that
# pair is locked out for AXES_COOLOFF_MINUTES (HTTP 429). Every attempt is recorded.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# Two-factor login (TOTP): optional for staff; required for whoever may publish when this is on.
NEWS_OTP_REQUIRED_FOR_PUBLISHERS = env_bool("OTP_REQUIRED_FOR_PUBLISHERS", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Пресс-служба министерства")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the interface is Russian by default, with Belarusian and English.
LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Russian")),
    ("be", _("Belarusian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day and month in the genitive ("3 декабря"); Belarusian formats, which Django has none of.
FORMAT_MODULE_PATH = ["ministry.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Minsk"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The site serves MEDIA_ROOT at MEDIA_URL itself (ministry.media); off when a reverse proxy
# serves /media/ (README), and unused with a bucket, whose addresses point at it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads on S3-compatible object storage (django-storages) when a bucket is named, for sites
# on several machines; MEDIA_ROOT otherwise. Credentials: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, read by boto3 itself.
S3_BUCKET = os.environ.get("AWS_STORAGE_BUCKET_NAME") or os.environ.get("S3_BUCKET", "")
S3_MEDIA_ORIGIN = ""
if S3_BUCKET:
    _s3_domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": _s3_domain or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            # Photos and documents are public: plain addresses that pages and feeds can keep.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            # Masters are named by content: a name taken means the same file, never overwrite.
            "file_overwrite": False,
        },
    }
    # Where the pages' <img> addresses point, for the CSP's img-src.
    _endpoint = urlsplit(os.environ.get("AWS_S3_ENDPOINT_URL", ""))
    S3_MEDIA_ORIGIN = (
        f"https://{_s3_domain}"
        if _s3_domain
        else f"{_endpoint.scheme}://{_endpoint.netloc}"
        if _endpoint.netloc
        else "https://*.amazonaws.com"
    )

# Uploads: the largest request body an editor may send (photos are the big ones).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TAGGIT_CASE_INSENSITIVE = True

# Security. The production values are the defaults; DEBUG relaxes only what a local server needs.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere; a script that must be inline carries the request's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if S3_MEDIA_ORIGIN:
    SECURE_CSP["img-src"].append(S3_MEDIA_ORIGIN)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Editors' sessions end after this long without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "60")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None

# The newsroom.
NEWS_PAGE_SIZE = 20
NEWS_FEED_SIZE = 30
# The longest release body, in characters of HTML (news/models/limits.py has the other texts').
NEWS_BODY_MAX_CHARS = int(os.environ.get("NEWS_BODY_MAX_CHARS", "200000"))
# Requests a minute each client address may make to the JSON API (counted in the cache).
NEWS_API_RATE = os.environ.get("NEWS_API_RATE", "120/m")
# Behind a proxy the client's address is the last one it adds to X-Forwarded-For.
NINJA_NUM_PROXIES = 1 if env_bool("BEHIND_PROXY") else 0
NEWS_PUBLISHER = os.environ.get(
    "NEWS_PUBLISHER", "Пресс-служба Министерства связи и информатизации"
)
# The ministry's old site: a request for the path of a release's primary source there answers
# a permanent redirect to the release (news.legacy.LegacyAddressMiddleware).
NEWS_LEGACY_DOMAINS = env_list("LEGACY_DOMAINS", "mpt.gov.by,www.mpt.gov.by")
# Press photos (news/images/conf.py): upload limits and the renditions made at upload.
NEWS_IMAGE_MAX_BYTES = int(os.environ.get("NEWS_IMAGE_MAX_MB", "25")) * 1024 * 1024
NEWS_IMAGE_MAX_PIXELS = 50_000_000
NEWS_IMAGE_MAX_SIDE = 12_000
# Changing widths, formats or quality: run manage.py regenerate_renditions afterwards.
NEWS_IMAGE_WIDTHS = (320, 640, 960, 1280, 1920)
NEWS_IMAGE_FORMATS = ("avif", "webp")
NEWS_IMAGE_QUALITY = {"master": 88, "jpeg": 80, "webp": 75, "avif": 55}
# Documents attached to releases (PDF and office files).
NEWS_ATTACHMENT_MAX_BYTES = int(os.environ.get("NEWS_ATTACHMENT_MAX_MB", "50")) * 1024 * 1024

# Subscribers' e-mail (news/subscriptions/): EMAIL_URL (ministry/mail.py) or Django's EMAIL_*
# variables; with DEBUG and neither, the worker prints each message.
MAILERS = {"default": mailer(os.environ, debug=DEBUG, base_dir=BASE_DIR)}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "press@localhost")
# Background tasks (mail to subscribers) wait in the database for `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Subscription requests: per client address a minute, per e-mail address a day.
NEWS_SUBSCRIBE_RATE = (
    int(os.environ.get("NEWS_SUBSCRIBE_PER_MINUTE", "5")),
    int(os.environ.get("NEWS_SUBSCRIBE_PER_DAY", "5")),
)
# A message refused for a while (SMTP 4xx) is tried again after this, then 4, 16... times it.
NEWS_MAIL_RETRY_SECONDS = int(os.environ.get("NEWS_MAIL_RETRY_SECONDS", "60"))
NEWS_MAIL_ATTEMPTS = 5
# The Telegram channel each publication is posted to (news/telegram.py): both set, or off.
TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN", "")
TELEGRAM_CHANNEL = os.environ.get("TELEGRAM_CHANNEL", "")
TELEGRAM_LANGUAGE = os.environ.get("TELEGRAM_LANGUAGE", "ru")
TELEGRAM_API_URL = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
# A WebSub hub the feeds name and each change pings (news/websub.py); empty: none.
WEBSUB_HUB_URL = os.environ.get("WEBSUB_HUB_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Logins, failed logins, lock-outs and changes of rights: kept whatever LOG_LEVEL says.
        "ministry.security": {"level": "INFO"},
        # One JSON line per request; REQUEST_LOG=0 silences it (e.g. behind a proxy that logs).
        "ministry.requests": {"level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
