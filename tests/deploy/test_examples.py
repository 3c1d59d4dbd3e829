"""The example configurations in deploy/ stay valid and keep what docs/deploy.md relies on."""

import configparser
import re
import shutil
import subprocess

import pytest
from django.conf import settings

DEPLOY = settings.BASE_DIR / "deploy"


def test_haproxy_accepts_the_example(tmp_path):
    haproxy, openssl = shutil.which("haproxy"), shutil.which("openssl")
    if haproxy is None or openssl is None:
        pytest.skip("haproxy or openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [openssl, *request, "-subj", "/CN=kor.example.no", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    bundle = tmp_path / "bundle.pem"
    bundle.write_text(cert.read_text() + key.read_text())
    config = (DEPLOY / "haproxy.cfg").read_text()
    config = config.replace("/etc/haproxy/certs/kor.example.no.pem", str(bundle))
    config = config.replace(
        "/etc/haproxy/errors/feedback-503.http", str(DEPLOY / "haproxy-503.http")
    )
    (tmp_path / "haproxy.cfg").write_text(config)
    result = subprocess.run(
        [haproxy, "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["haproxy.cfg", "nginx.conf"])
def test_the_proxies_probe_readyz_and_log_no_urls(name):
    config = (DEPLOY / name).read_text()
    assert "X-Forwarded-Proto https" in config
    assert "X-Request-ID" in config
    if name == "haproxy.cfg":
        assert "uri /readyz" in config
        log_format = re.search(r'log-format "(.*)"', config)[1]
        # %r is the request line, %HU/%HP/%HPO/%HQ the URL, path and query.
        assert not re.search(r"%r(?![a-z])|%HU|%HP|%HQ", log_format)
        assert "option httplog" not in config
    else:
        assert "access_log off;" in config


def test_the_web_unit_starts_gunicorn_with_the_config_in_the_repository():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(DEPLOY / "feedback-web.service")
    assert unit["Service"]["ExecStart"].endswith("gunicorn -c deploy/gunicorn.conf.py")
    assert (settings.BASE_DIR / "deploy" / "gunicorn.conf.py").exists()
    assert unit["Service"]["Type"] == "notify"


def test_the_balancer_answers_503_with_retry_after_when_no_host_is_ready():
    """While the database is away every host fails /readyz; the balancer's own 503 must tell
    the tablet to retry, like the app's (found by the cluster test)."""
    assert (
        "errorfile 503 /etc/haproxy/errors/feedback-503.http"
        in (DEPLOY / "haproxy.cfg").read_text()
    )
    answer = (DEPLOY / "haproxy-503.http").read_bytes()
    assert answer.startswith(b"HTTP/1.1 503 ")
    assert b"\r\nRetry-After: 30\r\n" in answer and b"\r\n\r\n" in answer
