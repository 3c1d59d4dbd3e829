"""Settings of the bare "hello" app: only what Django needs to answer a request."""

import os

SECRET_KEY = os.environ.get("SECRET_KEY", "benchmark-only-not-secret")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
ROOT_URLCONF = "benchmarks.hello.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
