"""The peer pages' forms: sharing a case, a comment, a new group and a member to add."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import COMMENT_LENGTH, QUESTION_LENGTH, SharedCase, SupervisionGroup


class ShareForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Supervision group"), queryset=SupervisionGroup.objects.none(), empty_label=None
    )
    question = forms.CharField(
        label=_("Your question to the group"),
        max_length=QUESTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=SharedCase._meta.get_field("question").help_text,
    )
    consent = forms.BooleanField(
        label=_(
            "The client has agreed that this case is discussed in the network's supervision group"
        ),
        required=True,
        error_messages={
            "required": _("Share only when the client has agreed. Ask the client first.")
        },
    )

    def __init__(self, *args, groups, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda group: f"{group.name} ({group.network})"
        self.episode = episode

    def clean_group(self):
        group = self.cleaned_data["group"]
        if SharedCase.objects.filter(
            group=group, episode=self.episode, withdrawn_at__isnull=True
        ).exists():
            raise forms.ValidationError(_("This episode is already shared with this group."))
        return group


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The group's members and the network's coordinators read it."),
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=120)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if SupervisionGroup.objects.filter(network=self.network, name=name).exists():
            raise forms.ValidationError(_("The network has a group with this name already."))
        return name


class MemberForm(forms.Form):
    """A helper of a member service, chosen as "name (service)"."""

    membership = forms.TypedChoiceField(label=_("Helper"), coerce=int)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {membership.pk: membership for membership in memberships}
        self.fields["membership"].choices = [
            (pk, f"{membership.user} ({membership.service.name})")
            for pk, membership in self.memberships.items()
        ]

    def clean_membership(self):
        return self.memberships[self.cleaned_data["membership"]]
