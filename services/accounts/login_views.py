"""The staff login page: Django's, with the municipality's login beside the password form."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import sso


class StaffLoginForm(AuthenticationForm):
    def clean(self):
        """Says so when the password was right but the person's service logs in only through
        the municipality (services.accounts.backends.PasswordBackend), instead of the usual
        "wrong username or password"."""
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "password_login_off", False):
                raise forms.ValidationError(
                    _("Your service uses the municipality's login. Log in with the button above."),
                    code="password_login_off",
                ) from None
            raise


class StaffLoginView(LoginView):
    authentication_form = StaffLoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if sso.enabled():
            url = reverse("oidc_authentication_init")
            next_url = context.get(self.redirect_field_name)
            if next_url:
                url = f"{url}?{urlencode({'next': next_url})}"
            context["sso"] = {"url": url, "label": sso.button_text()}
        return context
