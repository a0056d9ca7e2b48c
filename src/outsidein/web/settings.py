"""Django settings for outsidein.

The database is chosen from the environment, in this order:

1. ``DATABASE_URL`` (for example ``postgres://user:pass@host:5432/outsidein``): PostgreSQL for
   multi-user deployments;
2. ``OUTSIDEIN_WORKSPACE``: the workspace folder's SQLite file (WAL mode), the embedded default;
3. otherwise an in-memory SQLite database (imports, type checks).
"""

from __future__ import annotations

import os
from pathlib import Path

from outsidein.store.database import database_from_environment

BASE_DIR = Path(__file__).resolve().parent

DEBUG = os.environ.get("OUTSIDEIN_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("OUTSIDEIN_SECRET_KEY") or "outsidein-local-only-not-secret"
ALLOWED_HOSTS = [
    h
    for h in os.environ.get(
        "OUTSIDEIN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver"
    ).split(",")
    if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "outsidein.store",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "outsidein.web.urls"

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
            ],
        },
    }
]

WSGI_APPLICATION = "outsidein.web.wsgi.application"

DATABASES = {"default": database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fi", "Suomi"), ("de", "Deutsch")]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("OUTSIDEIN_STATIC_ROOT") or None

EMAIL_BACKEND = os.environ.get(
    "OUTSIDEIN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
