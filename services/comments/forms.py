"""The one field of the question, checked as any form is: length, blank, no NUL characters
(which PostgreSQL cannot store, so they are refused here rather than failing as a 500)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_LENGTH


class CommentForm(forms.Form):
    # The thank-you page's own hand-over, so a page left open from an earlier client cannot
    # put its comment on the next client's answer (`question`).
    handover = forms.CharField(max_length=64, widget=forms.HiddenInput)
    text = forms.CharField(
        max_length=MAX_LENGTH,
        error_messages={
            "required": _("Write something first, or skip the question."),
            "max_length": _(
                "Keep it to %(limit_value)d characters or fewer (you wrote %(show_value)d)."
            ),
        },
    )
