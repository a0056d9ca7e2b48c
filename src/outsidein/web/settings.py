"""Django settings for outsidein.

The database is chosen from the environment, in this order:

1. ``DATABASE_URL`` (for example ``postgres://user:pass@host:5432/outsidein``): PostgreSQL for
   multi-user deployments;
2. ``OUTSIDEIN_WORKSPACE``: the workspace folder's SQLite file (WAL mode), the embedded default;
3. otherwise an in-memory SQLite database (imports, type checks).

Production (see the README): ``OUTSIDEIN_SECRET_KEY``, ``OUTSIDEIN_ALLOWED_HOSTS``,
``OUTSIDEIN_HTTPS=1`` behind a TLS-terminating proxy (secure cookies, HSTS, the proxy's
``X-Forwarded-Proto``), ``OUTSIDEIN_CSRF_TRUSTED_ORIGINS`` and ``OUTSIDEIN_STATIC_ROOT`` for
``collectstatic``; e-mail through ``OUTSIDEIN_EMAIL_BACKEND`` and Django's ``EMAIL_*`` (the
environment variables of the same names).
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
    "ninja",
    "outsidein.store",
    "outsidein.web.apps.WebConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
# the workspace folder whose data/ holds the customer evidence (Parquet) that the assessments
# of this database are held against; ``outsidein serve`` sets it to the workspace it serves
OUTSIDEIN_DATA_ROOT = (
    os.environ.get("OUTSIDEIN_DATA_ROOT") or os.environ.get("OUTSIDEIN_WORKSPACE") or None
)
# persistent connections per server thread: no connect (and SQLite PRAGMAs) per request
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("OUTSIDEIN_CONN_MAX_AGE", "600"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fi", "Suomi"), ("de", "Deutsch")]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("OUTSIDEIN_STATIC_ROOT") or None
# without collectstatic (``outsidein serve``) WhiteNoise serves the apps' static folders
WHITENOISE_USE_FINDERS = STATIC_ROOT is None
WHITENOISE_AUTOREFRESH = DEBUG

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # the survey's autosave reads the token from the form, not cookies
SECURE_REFERRER_POLICY = "same-origin"  # survey links carry their token: never leak it
X_FRAME_OPTIONS = "DENY"
if os.environ.get("OUTSIDEIN_HTTPS", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
CSRF_FAILURE_VIEW = "outsidein.web.survey_views.csrf_failure"
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("OUTSIDEIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

EMAIL_BACKEND = os.environ.get(
    "OUTSIDEIN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# Django's own e-mail settings, from the environment variables of the same names
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# errors reach the server's log (stderr, which gunicorn keeps) with their traceback
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "outsidein": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
