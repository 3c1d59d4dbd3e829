"""The load balancer's configuration, written like deploy/haproxy.cfg but on loopback, no TLS.

As in deploy/haproxy.cfg: the health check asks `/readyz`, a connection refused by a dead server
is tried on another one (`retry-on conn-failure`, `option redispatch`), and a request already
inside a server that dies is not repeated here (it gets a 502; the page's outbox sends it
again with the same key). `option forwardfor` passes the client's address, which the app reads
from its trusted proxies only (TRUSTED_PROXIES, feedback.proxy), so per-address limits and the
audit log see the phone, not the balancer.

When the database is down every server fails `/readyz`, and after `fall` checks the balancer
has none left: it answers 503 itself. `errorfile 503` gives that answer a Retry-After too, like
the app's own 503 during an outage (feedback.outage), so a client is told to come back either
way. Checks run every second here (2 s in deploy/) to keep the test short.
"""

from pathlib import Path

CONFIG = """\
global
    maxconn 1000

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout queue 10s
    timeout check 3s
    retries 2
    option redispatch
    retry-on conn-failure
    option forwardfor
    errorfile 503 {errorfile}

frontend web
    bind 127.0.0.1:{port}
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 1s fall 3 rise 2 maxconn 20
{servers}
"""


# The balancer's own 503, sent when no server is ready (CRLF line ends, as HAProxy wants).
# The balancer's own 503 is the one shipped for production (deploy/haproxy-503.http).
NO_SERVER = (Path(__file__).resolve().parents[2] / "deploy" / "haproxy-503.http").read_bytes()


def write_config(folder: Path, port: int, server_ports: list[int]) -> Path:
    errorfile = folder / "503.http"
    errorfile.write_bytes(NO_SERVER)
    servers = "\n".join(
        f"    server app{index} 127.0.0.1:{server_port} check"
        for index, server_port in enumerate(server_ports, start=1)
    )
    config = folder / "haproxy.cfg"
    config.write_text(CONFIG.format(port=port, servers=servers, errorfile=errorfile))
    return config


def command(config: Path) -> list[str]:
    """Foreground (`-db`), so the test owns the process and its group."""
    return ["haproxy", "-db", "-f", str(config)]
