"""A tiny OpenID Connect provider (django-oidc-provider) for the OIDC plugin's tests.

Run by ``serve.py`` in its own process with its own SQLite file; nothing here is
part of madoguchi."""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECRET_KEY = "idp-test-only-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_URL = os.environ["IDP_SITE_URL"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "idp_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["IDP_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
OIDC_USERINFO = "idp_settings.userinfo"
OIDC_IDTOKEN_INCLUDE_CLAIMS = True
OIDC_IDTOKEN_PROCESSING_HOOK = "idp_settings.id_token_hook"
OIDC_IDTOKEN_SUB_GENERATOR = "idp_settings.sub_generator"

# A provider that numbers its accounts with 12 digits (user ``numbered``).
NUMBERED_SUB = "246813579024"


def sub_generator(user):
    return NUMBERED_SUB if user.username == "numbered" else str(user.id)


def userinfo(claims, user):
    claims["name"] = "高橋 健太"
    claims["family_name"], claims["given_name"] = "高橋", "健太"
    claims["birthdate"] = "1992-06-15"
    claims["gender"] = "male"
    claims["address"]["formatted"] = "東京都千代田区千代田1-1"
    claims["address"]["postal_code"] = "100-0001"
    return claims


def id_token_hook(id_token, **kwargs):
    # Kana as Japanese IdPs send it, and a 個人番号 the relying party must drop.
    id_token["family_name#ja-Kana-JP"] = "タカハシ"
    id_token["given_name#ja-Kana-JP"] = "ケンタ"
    id_token["my_number"] = "123456789018"
    # …and the same number where no name says what it is: as a number, in a list.
    id_token["x_card"] = {"number": 123456789018, "numbers": ["123456789018"]}
    return id_token
