"""Forms on the service administration pages: staff, teams, forms in use and the service's own
settings."""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from feedback.spreadsheet import starts_like_formula
from services.measures.age_groups import AgeGroup
from services.measures.choosing import covers
from services.measures.models import Instrument, Purpose

from . import sso
from .models import Membership, Role, Service, Team, User
from .staff import Placement
from .teams import teams_of

SERVICE_BOUNDS = {
    "off_track_from_session": (2, 20),
    "no_change_by_session": (2, 20),
    "retention_years": (1, 20),
}


def no_formula_start(value: str) -> None:
    """A username shows in staff lists and exports: a spreadsheet must not run it."""
    if starts_like_formula(value):
        raise ValidationError(_("A username cannot start with =, +, - or @."))


class PlacementForm(forms.Form):
    """Roles, team and client permission of one staff member in one service."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A user council member reads and answers the suggestion box, and sees nothing of "
            "clients or dashboards."
        ),
        error_messages={"required": _("Choose at least one role.")},
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )
    can_view_clients = forms.BooleanField(
        label=capfirst(Membership._meta.get_field("can_view_clients").verbose_name),
        help_text=Membership._meta.get_field("can_view_clients").help_text,
        required=False,
    )

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_of(service)

    def placement(self) -> Placement:
        roles = set(self.cleaned_data["roles"])
        return Placement(
            roles=tuple(role.value for role in Role if role in roles),
            team=self.cleaned_data["team"],
            can_view_clients=self.cleaned_data["can_view_clients"],
        )


class InviteForm(PlacementForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("What they log in with. Letters, digits and . _ only is easiest."),
        validators=[no_formula_start, UnicodeUsernameValidator()],
    )
    field_order = ["first_name", "last_name", "email", "username", "roles", "team"]

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, service=service, **kwargs)
        self.service = service
        if sso.enabled():
            # Single sign-on finds an invited account by this address (services.accounts.oidc).
            email = self.fields["email"]
            email.required = True
            email.label = _("Email at the municipality")
            email.help_text = _("They log in through the municipality's login with this address.")

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        existing = User.objects.filter(username__iexact=username).first()
        if existing is not None:
            if existing.memberships.filter(service=self.service).exists():
                raise ValidationError(
                    _(
                        "%(username)s already works in this service. Change their roles on "
                        "their page in the staff list instead."
                    ),
                    params={"username": existing.username},
                )
            raise ValidationError(_("That username is taken. Choose another one."))
        return username

    def profile(self) -> dict:
        return {
            key: self.cleaned_data[key] for key in ("first_name", "last_name", "email", "username")
        }


class EditPlacementForm(PlacementForm):
    """Changing a member's placement; an administrator cannot demote themselves."""

    def __init__(self, *args, service: Service, actor: User, member: User, **kwargs):
        super().__init__(*args, service=service, **kwargs)
        self.actor = actor
        self.member = member

    def clean_roles(self) -> list[str]:
        roles = self.cleaned_data["roles"]
        if self.member.pk == self.actor.pk and Role.ADMINISTRATOR not in roles:
            raise ValidationError(
                _(
                    "You cannot remove your own administrator role. Ask another administrator "
                    "of the service to do it."
                )
            )
        return roles


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "code"]
        help_texts = {
            "code": _("A short name without spaces, unique in the service, e.g. «voksne».")
        }

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        taken = teams_of(self.service).filter(code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Another team in this service already has that code."))
        return code

    def save(self, commit: bool = True) -> Team:
        self.instance.service = self.service
        return super().save(commit=commit)


def within(low: int, high: int):
    def check(value: int) -> None:
        if value is not None and not low <= value <= high:
            raise ValidationError(
                _("Choose a whole number from %(low)d to %(high)d."),
                params={"low": low, "high": high},
            )

    return check


class ServiceSettingsForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "team_access",
            "helper_comparison",
            "require_two_factor",
            "password_login",
            "off_track_from_session",
            "off_track_alert",
            "no_change_by_session",
            "retention_years",
        ]
        # Two levels with their trade-off spelled out: radio buttons show both at once.
        widgets = {"off_track_alert": forms.RadioSelect}

    def __init__(self, *args, signed_in_through_provider: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in SERVICE_BOUNDS.items():
            field = self.fields[name]
            field.validators = [within(low, high)]
            field.widget.attrs.update({"min": low, "max": high})
        # Password login can be switched off only where the municipality's login is there.
        if not sso.enabled():
            del self.fields["password_login"]
        self.signed_in_through_provider = signed_in_through_provider

    def clean_password_login(self) -> bool:
        """An administrator switches password login off only from a session that came in
        through the municipality's login, so they know it lets them in before it is the only
        way in (for them, too)."""
        allowed = self.cleaned_data["password_login"]
        if not allowed and self.instance.password_login and not self.signed_in_through_provider:
            raise ValidationError(
                _(
                    "Log in with the municipality's login first, to see that it works for you, "
                    "and then switch password login off."
                )
            )
        return allowed


class FormChoiceForm(forms.Form):
    """One choice of the form the service gives an age group for a purpose."""

    purpose = forms.ChoiceField(choices=Purpose.choices, widget=forms.HiddenInput)
    age_group = forms.ChoiceField(choices=AgeGroup.choices, widget=forms.HiddenInput)
    instrument = forms.ModelChoiceField(
        label=_("Form"), queryset=Instrument.objects.filter(active=True), empty_label=None
    )

    def clean(self):
        cleaned = super().clean()
        instrument = cleaned.get("instrument")
        purpose, age_group = cleaned.get("purpose"), cleaned.get("age_group")
        if instrument and purpose and age_group and not covers(instrument, purpose, age_group):
            raise ValidationError(_("That form is not made for this age group and purpose."))
        return cleaned
