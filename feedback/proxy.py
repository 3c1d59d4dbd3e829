"""The client's address behind a load balancer, from X-Forwarded-For sent by a trusted proxy.

Behind HAProxy or nginx every request reaches the app from the balancer's address. The remote-
link request limit, the login lock-out (django-axes) and the access log all read REMOTE_ADDR, so
without this one client over the limit would block everyone, and the access log would name the
balancer. Only a request that arrives from an address in TRUSTED_PROXIES has its
X-Forwarded-For read, from the right: the first address that is not itself a trusted proxy is
the client (anything further left was written by the client and can be forged).
Gunicorn trusts the same addresses for X-Forwarded-Proto (deploy/gunicorn.conf.py).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(entries: list[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(remote_addr: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    def is_trusted(address) -> bool:
        return any(address in network for network in trusted)

    peer = _address(remote_addr)
    if peer is None or not is_trusted(peer):
        return remote_addr
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            break
        if not is_trusted(address):
            return str(address)
    return remote_addr


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = networks(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if self.trusted and forwarded_for:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), forwarded_for, self.trusted
            )
        return self.get_response(request)
