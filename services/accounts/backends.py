"""Password login, as Django's ModelBackend does it, refused where a service switched it off."""

from django.contrib.auth.backends import ModelBackend

from . import sso


class PasswordBackend(ModelBackend):
    """Django's password check, refused for staff whose service logs in only through the
    municipality's login (Service.password_login off, see `sso.password_login_off`).

    Refused here, in the authentication path, and not only on the login page, so no other
    password form (Django's admin login, say) lets them in. The password is checked first, so
    only someone who knew it learns that single sign-on is the way: the login page reads
    `request.password_login_off` to say so instead of "wrong password".
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and sso.password_login_off(user):
            if request is not None:
                request.password_login_off = True
            return None
        return user
