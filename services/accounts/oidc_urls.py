"""Single sign-on's addresses, under /oidc/ and only when it is configured (feedback/urls.py).

The names are mozilla-django-oidc's, which it reverses itself.
"""

from django.urls import path

from . import oidc_views

urlpatterns = [
    path("authenticate/", oidc_views.Authenticate.as_view(), name="oidc_authentication_init"),
    path("callback/", oidc_views.Callback.as_view(), name="oidc_authentication_callback"),
]
