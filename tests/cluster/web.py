"""A tiny HTTP client for one device: its own loopback address, its own cookies, nothing hidden.

Each device connects from its own address in 127.0.0.0/8 (Linux answers on all of it), so the
servers see many phones instead of one test process, as they would in a town. The production
settings mark cookies Secure; this client sends them over plain HTTP on loopback anyway, which a
browser would not, so the test can run without TLS.

The CSRF cookie is made here, like the one the form page handed the phone earlier: Django
accepts any well-formed secret that the request repeats in X-CSRFToken. Django renews it at
login, and the client follows.
"""

import http.client
import json
import secrets
import string
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> dict:
        return json.loads(self.body)


class Device:
    def __init__(self, port: int, source: str = "127.0.0.1", timeout: float = 10):
        self.port = port
        self.source = source
        self.timeout = timeout
        self.cookies = {"csrftoken": "".join(secrets.choice(CSRF_ALPHABET) for _ in range(32))}

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict) -> Reply:
        body = urlencode(fields).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def post_json(self, path: str, data: dict) -> Reply:
        return self.request("POST", path, json.dumps(data).encode(), "application/json")

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> Reply:
        """One request on a fresh connection; network errors are raised for the caller to sort."""
        headers = {
            "Host": "localhost",
            "Connection": "close",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
        }
        if content_type:
            headers["Content-Type"] = content_type
            headers["Accept"] = "application/json" if "json" in content_type else "text/html"
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source, 0)
        )
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        self._keep_cookies(response.msg.get_all("Set-Cookie") or [])
        received = {name.lower(): value for name, value in response.getheaders()}
        return Reply(response.status, received, data, time.monotonic() - started)

    def _keep_cookies(self, lines: list[str]) -> None:
        for line in lines:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
