"""The client's answer to "Is there anything we should do differently?" after an alliance form.

One comment belongs to one rating (the alliance answer it follows), so it goes wherever the
rating goes: moved with it by a correction, deleted with it, erased with the client. The text is
the client's own and may name someone despite the warning on the form, so it is client data:
the helper reads it on the client's page (audited there), the client's export lists it,
retention deletes it, and leaders see it only without the client, by month, five or more at
a time (`listing`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.ratings.models import Rating

MAX_LENGTH = 500


class SessionComment(models.Model):
    # One-to-one: the database itself keeps a double tap or a resent form to one comment.
    rating = models.OneToOneField(
        Rating, on_delete=models.CASCADE, related_name="comment", verbose_name=_("rating")
    )
    text = models.CharField(_("comment"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("client's comment")
        verbose_name_plural = _("clients' comments")

    def __str__(self) -> str:
        return f"{self.rating.session}"
