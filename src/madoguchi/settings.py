"""Django settings. Everything comes from the environment, with defaults that make
``./dev run`` work with nothing set (SQLite, debug off, example municipality)."""

import os
from pathlib import Path

from csp.constants import NONE, SELF

from madoguchi.common.deploy import LOCAL_SECRET_KEY, ONE_YEAR, public_url_settings
from madoguchi.common.email_env import env_email
from madoguchi.common.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_path,
    env_public_url,
    env_str,
)
from madoguchi.common.file_storage import env_storages

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
    # The admin: audited (common/admin_site.py), behind allauth's sign-in with the
    # second factor (backoffice/admin_site.py).
    "madoguchi.backoffice.admin_apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the OpenAPI docs' JS/CSS itself (no CDN)
    "madoguchi.common",
    "madoguchi.towns",
    "madoguchi.catalog",
    "madoguchi.applications",
    "madoguchi.backoffice",
    "madoguchi.counter",
    "madoguchi.register",
    "django_tasks",
    "django_tasks_db",
    "madoguchi.residents",  # before allauth: our templates override its own
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Which town (host, or /t/<slug>/ taken off the path) before anything reads the path.
    "madoguchi.towns.middleware.TownMiddleware",
    "madoguchi.common.site.RequestOriginMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "madoguchi.common.api_errors.ApiErrorsAsJsonMiddleware",
    "madoguchi.common.no_store.NoStoreMiddleware",
    # Before anything reads the body (the CSRF check reads the form).
    "madoguchi.common.request_size.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "madoguchi.residents.session_limit.IdleLimitMiddleware",
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
                "madoguchi.residents.context_processors.account",
                "madoguchi.backoffice.context_processors.office",
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

# Absolute: a town's pages under /t/<slug>/ share the one copy of the static files.
STATIC_URL = "/static/"
# The design tokens installed by ``./dev setup`` (npm); served under /static/dads/.
STATICFILES_DIRS = [
    ("dads", PROJECT_DIR / "node_modules" / "@digital-go-jp" / "design-tokens" / "dist")
]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
# Attached files (applications/files.py): the folder MADOGUCHI_FILES_DIR below by
# default; with MADOGUCHI_S3_BUCKET, a private S3-compatible bucket that several app
# servers share (common/file_storage.py, docs/operations.md).
STORAGES = env_storages()
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

# Staff of the departments must use MFA (TOTP or a passkey) for the back office.
MADOGUCHI_REQUIRE_STAFF_MFA = env_bool("MADOGUCHI_REQUIRE_STAFF_MFA", True)

# The card agent on each counter clerk's PC (./dev card agent; docs/counter.md): the
# visit page's script talks to it, and only the visit page may (csp_update).
MADOGUCHI_CARD_AGENT_URL = env_str("MADOGUCHI_CARD_AGENT_URL", "http://127.0.0.1:47321")

# The counter's waiting display (counter/waiting.py): the minutes one visit is taken to
# last before anyone has been served today (then today's own median is used).
MADOGUCHI_COUNTER_SERVICE_MINUTES = env_int("MADOGUCHI_COUNTER_SERVICE_MINUTES", 15, minimum=1)
# Helper processes that lay out a long print's documents beside the request's own
# process (common/pdf_pool.py): one per further core, none on a single core.
MADOGUCHI_PDF_HELPERS = env_int("MADOGUCHI_PDF_HELPERS", min(1, (os.cpu_count() or 1) - 1))

# Attached files: outside the web root and the static files, served only by the
# application's own views to whoever may see them.
MADOGUCHI_FILES_DIR = env_path("MADOGUCHI_FILES_DIR", VAR_DIR / "files")
# The form's fields other than files (Django refuses more with RequestDataTooBig).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A whole request, files included: refused with 413 before its body is read
# (common/request_size.py). One visit's files: four 10 MB phone photos fit. The
# form's file fields set their own, smaller, limits per file. Keep the web server's
# own limit (nginx client_max_body_size) at least this large.
MADOGUCHI_MAX_REQUEST_BYTES = env_int("MADOGUCHI_MAX_REQUEST_MB", 40, minimum=1) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "madoguchi.common.request_size.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
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
NO_STORE_URL_NAMES = [
    "catalog:start",
    "catalog:answers",
    "catalog:pdf",
    "residents:mypage",
    "residents:profile",
    "residents:identity",
    "residents:identity_demo",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_activate_totp",
]

# Error pages in the resident's language; the API answers errors in JSON instead.
CSRF_FAILURE_VIEW = "madoguchi.common.error_pages.csrf_failure"
API_PATH_PREFIX = "/api/"

SESSION_COOKIE_HTTPONLY = True
# A signed-in resident's session ends after 30 minutes without a page (the
# residents app sets this on every signed-in page: residents/session_limit.py), not the
# guide's hour: behind it are the household profile and the verified identity,
# and a phone is easily left unlocked on a table. Every page restarts the 30
# minutes (SESSION_SAVE_EVERY_REQUEST below). Signing out goes back to the hour.
MADOGUCHI_LOGIN_IDLE_SECONDS = env_int("MADOGUCHI_LOGIN_IDLE_SECONDS", 30 * 60, minimum=60)
# The web guide keeps a resident's answers (relationships, birth dates) in the
# session so the checklist is a page they can reload or switch to English. One hour
# after their last page they are gone: long enough to fetch the 母子健康手帳 or the
# insurance card and come back, short enough that a shared or family phone, or a
# library PC, does not keep a household's birth dates for days. Every request
# restarts the hour. (Expired rows are removed by ``manage.py clearsessions``.)
SESSION_COOKIE_AGE = 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
# Database sessions that a view may save inside its own transaction (common/sessions.py).
SESSION_ENGINE = "madoguchi.common.sessions"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Resident accounts (django-allauth) ---------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # staff in the admin
    "allauth.account.auth_backends.AuthenticationBackend",  # residents, by email
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "residents:mypage"
# allauth's messages name the resident by name or email, not the internal user name.
# Mail signed with the town's name, links on the public site (residents/account_adapter.py).
ACCOUNT_ADAPTER = "madoguchi.residents.account_adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "madoguchi.residents.profile.display_name"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# A code, not a link: the resident stays on the page they signed up on, in the
# browser they started in. A link in a mail opens in the mail app's own browser
# (or on another device), where they are then not signed in and get lost; a code
# can also be read out from a family member's phone or a PC. Six digits only, so
# the phone shows its number pad and nothing is mistaken (O/0, l/1).
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True  # the same way for a forgotten password
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Never "remember me": shared and family phones; the idle limit above applies.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_FORMS = {
    "confirm_email_verification_code": "madoguchi.residents.account_forms.EmailCodeForm",
    "confirm_password_reset_code": "madoguchi.residents.account_forms.PasswordResetCodeForm",
}
ACCOUNT_PREVENT_ENUMERATION = True
# Attempts are counted in the database cache (below), so the limits hold across the
# gunicorn workers. "key" is the email address typed; "ip" the address it came from.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",  # then 5 minutes' wait for that address
    "signup": "10/m/ip",
    "reset_password": "10/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/30s/key",  # resending the code
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Behind the reverse proxy (MADOGUCHI_PUBLIC_URL) the resident's address is the last
# one the proxy adds to X-Forwarded-For; locally nothing is trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int(
    "MADOGUCHI_TRUSTED_PROXY_COUNT", 1 if PUBLIC_URL is not None else 0
)
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# A code of the 30 seconds before or after is taken too (RFC 6238's advice for a
# phone whose clock drifts, and a code typed as the period turns); each code still
# works only once (allauth remembers it for the whole window).
MFA_TOTP_TOLERANCE = 1
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_RECOVERY_CODE_COUNT = 10
# WebAuthn checks the page's origin: plain http is allowed only locally.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = PUBLIC_URL is None
MFA_TOTP_ISSUER = env_str("MADOGUCHI_TOTP_ISSUER", "madoguchi")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "madoguchi_cache",  # ./dev run makes it (createcachetable)
    }
}

# --- Mail (verification codes, password reset) ---------------------------------------
# Locally every mail is printed in the terminal that runs ./dev run, so a newcomer
# sees the code at once. A public site must say where mail goes (common/email_env.py).
_EMAIL_URL_DEFAULT = "console:"
if PUBLIC_URL is not None and not env_str("MADOGUCHI_EMAIL_URL", ""):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "MADOGUCHI_EMAIL_URL: 公開するときは、確認コードを送るメールサーバーを"
        "smtp://利用者:パスワード@メールサーバー:587 のように指定してください"
    )
globals().update(env_email("MADOGUCHI_EMAIL_URL", _EMAIL_URL_DEFAULT))
DEFAULT_FROM_EMAIL = env_str(
    "MADOGUCHI_DEFAULT_FROM_EMAIL",
    f"noreply@{PUBLIC_URL.host if PUBLIC_URL else 'madoguchi.localhost'}",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Identity proofing (residents/identity/) -----------------------------------------
MADOGUCHI_IDENTITY_PROVIDERS = env_list("MADOGUCHI_IDENTITY_PROVIDERS", ["demo"])
# The demo provider verifies nothing: never offered on a public site unless this is set.
MADOGUCHI_IDENTITY_DEMO_ON_PUBLIC_SITE = env_bool("MADOGUCHI_IDENTITY_DEMO_ON_PUBLIC_SITE", False)
# The generic OpenID Connect provider ("oidc"): what the IdP gave the city when it
# registered madoguchi as a client (redirect URI: <public URL>/mypage/identity/oidc/complete/).
MADOGUCHI_OIDC = {
    "discovery_url": env_str("MADOGUCHI_OIDC_DISCOVERY_URL", ""),
    "client_id": env_str("MADOGUCHI_OIDC_CLIENT_ID", ""),
    "client_secret": env_str("MADOGUCHI_OIDC_CLIENT_SECRET", ""),
    "scopes": env_str("MADOGUCHI_OIDC_SCOPES", "openid profile address"),
    "name": env_str("MADOGUCHI_OIDC_NAME", "OpenID Connect"),
    "issuer": env_str("MADOGUCHI_OIDC_ISSUER", ""),  # default: the discovery document's
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MADOGUCHI_LOG_LEVEL", "WARNING")},
}
