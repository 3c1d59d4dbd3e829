"""The production environment of docs/deploy.md passes `check --deploy` with no warnings."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# As in docs/deploy.md, "Environment".
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k8#Qz2!vR9@mW4$tY7^pL1&nB6*cX3(jH5)dF0_gS8+aE2=uI4",
    "ALLOWED_HOSTS": "kor.example.no",
    "CSRF_TRUSTED_ORIGINS": "https://kor.example.no",
    "DATABASE_URL": "postgres://feedback:secret@10.0.0.20:5432/feedback",
    "REDIS_URL": "redis://10.0.0.21:6379/0",
    "BEHIND_TLS_PROXY": "1",
    "TRUSTED_PROXIES": "10.0.0.10,10.0.0.11",
    "STATIC_ROOT": "/srv/feedback/static",
}


def run(*arguments: str) -> subprocess.CompletedProcess:
    environment = (
        {key: value for key, value in os.environ.items() if key not in {"LOG_FORMAT", *PRODUCTION}}
        | PRODUCTION
        | {"DJANGO_SETTINGS_MODULE": "feedback.settings"}
    )
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_check_deploy_has_no_warnings_with_the_production_settings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_log_json_serve_hashed_files_and_keep_oslo_time():
    result = run(
        "-c",
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.LOGGING['handlers']['console']['formatter'], "
        "s.STORAGES['staticfiles']['BACKEND'], s.TIME_ZONE, s.USE_TZ, "
        "s.SECURE_PROXY_SSL_HEADER, s.TRUSTED_PROXIES]))",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "json",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "Europe/Oslo",
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        ["10.0.0.10", "10.0.0.11"],
    ]
