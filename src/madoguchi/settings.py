"""Django settings. Everything comes from the environment, with defaults that make
``./dev run`` work with nothing set (SQLite, debug off, example municipality)."""

from pathlib import Path

from csp.constants import NONE, SELF

from madoguchi.common.deploy import LOCAL_SECRET_KEY, ONE_YEAR, public_url_settings
from madoguchi.common.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_path,
    env_public_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = env_path("MADOGUCHI_VAR_DIR", PROJECT_DIR / "var")

DEBUG = env_bool("MADOGUCHI_DEBUG", False)
# A fixed key is only acceptable for the local default; a real install sets its own
# (with MADOGUCHI_PUBLIC_URL set, the fixed key stops start-up).
SECRET_KEY = env_str("MADOGUCHI_SECRET_KEY", LOCAL_SECRET_KEY)
ALLOWED_HOSTS = env_list("MADOGUCHI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# Behind the HTTPS reverse proxy (docs/operations.md): the address residents use.
# Hosts, trusted origins, secure cookies, the https redirect and HSTS follow from it.
PUBLIC_URL = env_public_url("MADOGUCHI_PUBLIC_URL")
if PUBLIC_URL is not None:
    globals().update(
        public_url_settings(
            PUBLIC_URL,
            secret_key=SECRET_KEY,
            allowed_hosts=ALLOWED_HOSTS,
            hsts_seconds=env_int("MADOGUCHI_HSTS_SECONDS", ONE_YEAR),
            hsts_preload=env_bool("MADOGUCHI_HSTS_PRELOAD", False),
        )
    )
# Joining the browsers' preload list is the decision of whoever owns the city's
# domain (the list takes whole registered domains), not of this application.
SILENCED_SYSTEM_CHECKS = [] if env_bool("MADOGUCHI_HSTS_PRELOAD", False) else ["security.W021"]

# The municipality's catalogue (YAML). The example city is the default.
CATALOG_DIR = env_path("MADOGUCHI_CATALOG_DIR", PROJECT_DIR / "municipalities" / "example")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the OpenAPI docs' JS/CSS itself (no CDN)
    "madoguchi.common",
    "madoguchi.catalog",
    "madoguchi.applications",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "madoguchi.common.api_errors.ApiErrorsAsJsonMiddleware",
    "madoguchi.common.no_store.NoStoreMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "madoguchi.urls"
WSGI_APPLICATION = "madoguchi.wsgi.application"

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
                "madoguchi.catalog.context_processors.municipality",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'madoguchi.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The design tokens installed by ``./dev setup`` (npm); served under /static/dads/.
STATICFILES_DIRS = [
    ("dads", PROJECT_DIR / "node_modules" / "@digital-go-jp" / "design-tokens" / "dist")
]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the apps' static folders too, so a missing collectstatic never
# breaks the page on a closed network (everything is self-hosted).
WHITENOISE_USE_FINDERS = True

# No inline script or style anywhere (templates keep them in static files), so the
# policy needs no 'unsafe-inline'; nothing is loaded from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Swagger UI draws its arrows as data: SVGs in its CSS
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Attached files: outside the web root and the static files, served only by the
# application's own views to whoever may see them.
MADOGUCHI_FILES_DIR = env_path("MADOGUCHI_FILES_DIR", VAR_DIR / "files")
# Uploads larger than this are refused before they reach a view (a form's file
# fields set their own, smaller, limits).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Links in mail when MADOGUCHI_PUBLIC_URL is not set (./dev run on one machine).
MADOGUCHI_LOCAL_URL = env_str("MADOGUCHI_LOCAL_URL", "http://127.0.0.1:8000")

# Background work (mail). In-process by default: the task runs in the web process
# after the transaction commits. Production sets MADOGUCHI_TASKS=database and runs
# ``manage.py db_worker`` (docs/operations.md), which retries when mail is down.
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env_str("MADOGUCHI_TASKS", "immediate")]
    }
}

# Pages that show a household's answers must not stay in a browser's or a proxy's
# cache (a shared PC at the counter, the back button after the resident has left).
NO_STORE_URL_NAMES = ["catalog:start", "catalog:answers", "catalog:pdf"]

# Error pages in the resident's language; the API answers errors in JSON instead.
CSRF_FAILURE_VIEW = "madoguchi.common.error_pages.csrf_failure"
API_PATH_PREFIX = "/api/"

SESSION_COOKIE_HTTPONLY = True
# The web guide keeps a resident's answers (relationships, birth dates) in the
# session so the checklist is a page they can reload or switch to English. One hour
# after their last page they are gone: long enough to fetch the 母子健康手帳 or the
# insurance card and come back, short enough that a shared or family phone, or a
# library PC, does not keep a household's birth dates for days. Every request
# restarts the hour. (Expired rows are removed by ``manage.py clearsessions``.)
SESSION_COOKIE_AGE = 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MADOGUCHI_LOG_LEVEL", "WARNING")},
}
