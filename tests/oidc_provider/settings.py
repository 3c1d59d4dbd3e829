"""Settings of the test provider; everything that changes per run comes from `serve.py`."""

import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUN_DIR = Path(os.environ["OP_DIR"])

SECRET_KEY = "test-provider-only-never-anywhere-else"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(RUN_DIR / "provider.sqlite3")}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/login/"
# The app under test runs on the same host: its cookies must not overwrite these.
SESSION_COOKIE_NAME = "op_sessionid"
CSRF_COOKIE_NAME = "op_csrftoken"

# Per person: the claims beyond `sub` (e-mail, and acr/amr for a second factor).
PEOPLE = json.loads((RUN_DIR / "people.json").read_text())

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (RUN_DIR / "key.pem").read_text(),
    "OIDC_ISS_ENDPOINT": os.environ["OP_ISSUER"],
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.PeopleValidator",
    "SCOPES": {"openid": "OpenID Connect", "email": "E-mail", "profile": "Profile"},
    "PKCE_REQUIRED": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
