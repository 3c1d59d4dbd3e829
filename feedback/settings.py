"""Settings for the feedback service, read from the environment.

Defaults are safe for a developer's laptop (SQLite file, DEBUG on, localhost only). In production
set DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; the app refuses to start with the
development secret when DEBUG is off, because a known key lets anyone forge sessions.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from feedback.log_config import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", True)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Load balancers whose X-Forwarded-For names the client (feedback.proxy); addresses or networks.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    "feedback.apps.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "services.accounts",
    "services.clients",
    "services.sessions",
    "services.measures",
    "services.ratings",
    "services.audit",
    "services.dashboards",
    "services.supervision",
    "services.offers",
    "services.comments",
    "services.goals",
    "services.suggestions",
    "services.changes",
    "services.groups",
    "services.demo",
    "services.jobs",
    "services.api",
    "services.fhir",
    "services.messaging",
    "services.network",
    "services.research",
    "services.peer",
]

MIDDLEWARE = [
    # Probes first: no login, HTTPS redirect or host check in their way (feedback.health).
    "feedback.health.HealthCheckMiddleware",
    "feedback.request_log.RequestLogMiddleware",
    "feedback.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "feedback.sessions.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "services.accounts.two_factor.RequireTwoFactorMiddleware",
    "feedback.middleware.ChosenLanguageMiddleware",
    "services.ratings.kiosk.KioskMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "feedback.outage.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "feedback.urls"
WSGI_APPLICATION = "feedback.wsgi.application"
ASGI_APPLICATION = "feedback.asgi.application"

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
                "services.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database host fails a request (and /readyz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(env("DATABASE_CONNECT_TIMEOUT", "5"))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (services.jobs, docs/deploy.md "Background jobs"): procrastinate keeps its queue
# in PostgreSQL. Its migrations are PostgreSQL SQL, so on SQLite (`make run`) it is left out and
# the jobs' management commands are run by hand.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("procrastinate.contrib.django")
PROCRASTINATE_ON_APP_READY = "services.jobs.tasks.on_app_ready"
# Only for tests: registers the debug task `sleep_then_mark`, which writes its marks here.
JOBS_DEBUG_MARK_DIR = env("JOBS_DEBUG_MARK_DIR", "")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# In production, `collectstatic` writes hashed names (app.3f2a1c.css) that WhiteNoise serves with
# a ten-year Cache-Control, and a missing file is an error at deploy time, not a broken page.
# With DEBUG on (make run, the tests) files are served from the source folders as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedStaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# One cache for every server process and host in production (request limits, charts); local
# memory is enough for one development process. `check --deploy` warns without REDIS_URL.
REDIS_URL = env("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "feedback"),
            # A Redis that stopped answering must not hold a request (or /readyz) for long.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "feedback"}
    )
}

# Security. Normen: strong authentication, short idle sessions, lock-out after failed logins.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Tilbakemeldinger")
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_MINUTES", "30")) * 60
# The idle window slides with each request, written at most once a minute (feedback.sessions).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Tablet handover: the helper unlocks with a PIN or password; remote links expire.
REMOTE_LINK_HOURS = int(env("REMOTE_LINK_HOURS", "72"))
# A tablet handed to a client works on its own hand-over for this long, also after the helper's
# idle session has run out (services.ratings.kiosk).
TABLET_HANDOVER_HOURS = int(env("TABLET_HANDOVER_HOURS", "3"))
# The wording of the goals question after the outcome form: a definition file (JSON or YAML) of
# the organisation's own, or empty for the app's neutral wording (services.goals.definition).
GOAL_WORDING_FILE = env("GOAL_WORDING_FILE", "")
REMOTE_LINK_RATE_LIMIT = int(env("REMOTE_LINK_RATE_LIMIT", "60"))  # requests / 10 min / address
INVITATION_DAYS = int(env("INVITATION_DAYS", "7"))  # a new staff member's one-time link
PIN_FAILURE_LIMIT = int(env("PIN_FAILURE_LIMIT", "5"))
PIN_LOCKOUT_MINUTES = int(env("PIN_LOCKOUT_MINUTES", "15"))
# The access log is kept long (Normen, pasientjournalloven); prune_audit_log removes older events.
AUDIT_RETENTION_YEARS = int(env("AUDIT_RETENTION_YEARS", "10"))
# The base of every FHIR identifier system, code system and Questionnaire URL (docs/fhir.md):
# an address the organisation owns, set once and never changed.
FHIR_BASE_URL = env("FHIR_BASE_URL", "https://tilbakemeldinger.invalid/fhir")
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Staff single sign-on through the municipality's OpenID Connect provider (docs/sso.md,
# services.accounts.oidc). Inert unless OIDC_RP_CLIENT_ID is set: no button, no /oidc/ pages,
# and every service's "allow password login" is then ignored.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_DISCOVERY = env("OIDC_OP_DISCOVERY", "")  # the provider's openid-configuration URL
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile")
OIDC_MFA_ACR_VALUES = env_list("OIDC_MFA_ACR_VALUES", "")
OIDC_MFA_AMR_VALUES = env_list("OIDC_MFA_AMR_VALUES", "")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", "")
OIDC_REQUIRE_VERIFIED_EMAIL = env_bool("OIDC_REQUIRE_VERIFIED_EMAIL", True)
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = int(env("OIDC_TIMEOUT", "10"))
OIDC_CREATE_USER = False  # invitations are the only way in
if OIDC_RP_CLIENT_ID:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "services.accounts.oidc.StaffOIDCBackend",
        "services.accounts.backends.PasswordBackend",
    ]
    # Lock-outs count wrong passwords, not sign-ons the app refused (services.accounts.sso).
    AXES_WHITELIST_CALLABLE = "services.accounts.sso.not_a_password_attempt"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Inline SVG charts from matplotlib carry style attributes; scripts stay strict.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The REST API (services/api, docs/api.md): API keys only, one request budget per key in the
# shared cache, cursor pages in the order rows changed, numbers as JSON numbers.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["services.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["services.api.permissions.ServiceKey"],
    "DEFAULT_THROTTLE_CLASSES": ["services.api.throttling.PerKeyThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env("API_RATE_LIMIT", "600/min")},
    "DEFAULT_PAGINATION_CLASS": "services.api.pagination.ChangedOrder",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tilbakemeldinger API",
    "DESCRIPTION": "Clients, episodes, sessions, ratings, signals and the outcome report of one "
    "service, for its record system. Authenticate with `Authorization: Bearer <API key>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Remote links sent to the client by text message or e-mail (services.messaging, docs/messaging.md).
# SITE_URL: the address clients open links at; empty uses the host the helper's browser used.
SITE_URL = env("SITE_URL", "")
SMS_BACKEND = env(
    "SMS_BACKEND",
    "services.messaging.gateways.ConsoleSmsBackend"
    if DEBUG
    else "services.messaging.gateways.HttpJsonSmsBackend",
)
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TEMPLATE = env("SMS_GATEWAY_TEMPLATE", "")  # JSON with {to}, {text}, {sender}
SMS_GATEWAY_TIMEOUT = float(env("SMS_GATEWAY_TIMEOUT", "10"))
SMS_SENDER = env("SMS_SENDER", "")
# Django's own console e-mail backend prints the address; this one masks it.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "services.messaging.gateways.ConsoleEmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = float(env("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ikke-svar@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# One JSON object a line (LOG_FORMAT=json, the default when DEBUG is off) or text; one line per
# request from feedback.request_log, never a raw path or anything about a client.
LOGGING = logging_config(
    log_format=env("LOG_FORMAT", "text" if DEBUG else "json"), level=env("LOG_LEVEL", "INFO")
)
