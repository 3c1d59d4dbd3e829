"""Run the test provider: `python -m tests.oidc_provider.serve DIR PORT REDIRECT_URI`.

DIR holds people.json (username -> claims), written by the test; this writes a fresh RSA
signing key, the provider's SQLite database and subjects.json (username -> `sub`), registers
the app under test as a confidential client and serves on 127.0.0.1:PORT until stopped.
"""

import json
import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "tilbakemeldinger-test"
CLIENT_SECRET = "test-client-secret-not-for-anything-else"
PASSWORD = "provider-password"


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def write_key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def prepare(run_dir: Path, redirect_uri: str) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    people = json.loads((run_dir / "people.json").read_text())
    subjects = {}
    for username, claims in people.items():
        user = get_user_model().objects.create_user(
            username, email=claims.get("email", ""), password=PASSWORD
        )
        subjects[username] = str(user.pk)
    Application.objects.create(
        name="Tilbakemeldinger",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    (run_dir / "subjects.json").write_text(json.dumps(subjects))


def main() -> None:
    run_dir, port, redirect_uri = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    write_key(run_dir / "key.pem")
    os.environ["OP_DIR"] = str(run_dir)
    os.environ["OP_ISSUER"] = f"http://127.0.0.1:{port}/o"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django
    from django.core.wsgi import get_wsgi_application

    django.setup()
    prepare(run_dir, redirect_uri)
    server = make_server(
        "127.0.0.1",
        port,
        get_wsgi_application(),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
