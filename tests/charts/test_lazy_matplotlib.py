"""matplotlib is imported where a chart is drawn, not when Django loads the URL config.

Every management command runs the system checks, which import the URL config; importing
matplotlib there cost each command about a second (issue #14).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOAD_URLS = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','feedback.settings'); "
    "django.setup(); import feedback.urls, sys; print('matplotlib' in sys.modules)"
)


def test_loading_the_url_config_does_not_import_matplotlib():
    result = subprocess.run(
        [sys.executable, "-c", LOAD_URLS],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_the_first_figure_gets_the_chart_settings():
    """The settings once made at import are made before the first figure is drawn."""
    code = (
        "from services.charts.output import new_figure; from services.charts.data import SIZES;"
        "import matplotlib; new_figure(SIZES['tablet']);"
        "print(matplotlib.rcParams['svg.hashsalt'], matplotlib.rcParams['svg.fonttype'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["feedback-charts", "none"]
