"""A small, real OpenID Connect provider for the single sign-on tests (tests/oidc).

django-oauth-toolkit's provider in a Django project of its own, run as a separate process on a
free loopback port by `serve.py`, so the app meets the protocol as it meets a municipality's
provider: over HTTP, with signed ID tokens, PKCE and its own login page.
"""
