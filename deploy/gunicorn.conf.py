"""Gunicorn settings for the web process: the systemd unit, `make serve` and the cluster test.

    gunicorn -c deploy/gunicorn.conf.py

Everything that differs between hosts comes from the environment (docs/deploy.md):
GUNICORN_BIND (comma-separated addresses, default 127.0.0.1:8000), WEB_CONCURRENCY (worker
processes, default 2 × CPU cores + 1), GUNICORN_TIMEOUT, and TRUSTED_PROXIES or
FORWARDED_ALLOW_IPS (the load balancers' addresses).
"""

import multiprocessing
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so the JSON formatter below can be imported by the arbiter

wsgi_app = "feedback.wsgi:application"
chdir = str(ROOT)

bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
# Sync workers: each request has a process of its own, and a slow chart or export does not hold
# up others in it. Two per core plus one is gunicorn's own advice for such workers.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"

# A request still running after `timeout` seconds is killed and its worker replaced; the load
# balancer's server timeout should be a little longer (deploy/haproxy.cfg, deploy/nginx.conf).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On restart or upgrade, running requests get this long to finish.
graceful_timeout = 30
# Replace each worker after about a thousand requests, so slow growth (matplotlib) stays bounded.
max_requests = 1000
max_requests_jitter = 100
# Workers' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Gunicorn 25+ opens a control socket at one fixed path per user, which two servers on one host
# would fight over; systemd and signals are enough.
control_socket_disable = True

# X-Forwarded-Proto (and so HTTPS) is believed only from the load balancers; feedback.proxy reads
# X-Forwarded-For from the same addresses.
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS") or os.environ.get("TRUSTED_PROXIES") or "127.0.0.1,::1"
)

# No access log: it would carry raw paths (client ids, remote-link tokens). The app writes one
# JSON line per request with the route pattern instead (feedback.request_log).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
debug = os.environ.get("DEBUG", "1").strip().lower() in {"1", "true", "yes", "on"}
if os.environ.get("LOG_FORMAT", "text" if debug else "json") == "json":
    # Gunicorn's own lines (boot, worker timeouts) as JSON too. Configuring logging this way
    # switches gunicorn's access logger on, so it is silenced explicitly.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": []},
        "formatters": {"json": {"()": "feedback.log_config.json_formatter"}},
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["error_console"],
                "propagate": False,
            },
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
    }
