"""Correcting a stored rating: change its scores or who answered, move it to the right session
(of this client or another), or delete it. Always with a reason; always kept and audited.

The rating row itself is changed or deleted, so every figure, chart, export and signal that
reads ratings is right without knowing corrections exist; what it was is kept in
`RatingCorrection` (the old values as JSON, what was done, why, by whom), written in the same
transaction. Model save() and delete() are used, never a queryset update, so the dashboard facts
and the caseload summaries hear of it (services.dashboards.receivers). The audit log records the
action and the reason, never the scores, as it does for every other write.

Who may correct (the helpers who may see the client) is the views' business; these functions
check that the result is a rating the app could have stored in the first place.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.audit import log
from services.audit.models import Action
from services.measures.models import Instrument
from services.measures.scoring import ScoreError, score_items, score_total_only
from services.measures.templatetags.measures import instrument_name, score
from services.sessions.models import CorrectionKind, RatingCorrection, Session

from .models import Method, Rater, Rating
from .paper import _rated_at

REASON_LENGTH = 200  # the whole reason fits in the audit log's detail, after its prefix
TAKEN = gettext_lazy(
    "Session %(number)d already has an answer to this form from this person. "
    "Delete or move that one first."
)


class CorrectionError(ValueError):
    """A correction that cannot be made; `message` is translated, `field` names the input."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def values_of(rating: Rating) -> dict:
    """The rating as plain JSON values: what the history keeps of it."""
    return {
        "session": rating.session_id,
        "session_number": rating.session.number,
        "session_date": rating.session.date.isoformat(),
        "episode": rating.session.episode_id,
        "instrument": rating.instrument.key,
        "version": rating.instrument.version,
        "purpose": rating.purpose,
        "rater": rating.rater,
        "rater_name": rating.rater_name,
        "age_group": rating.age_group,
        "items": rating.items,
        "total": str(rating.total),
        "method": rating.method,
        "rated_at": rating.rated_at.isoformat(),
        "submission_key": str(rating.submission_key),
    }


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise CorrectionError(_("Write why the answer is corrected."), "reason")
    if len(reason) > REASON_LENGTH:
        raise CorrectionError(
            _("Keep the reason to %(count)d characters.") % {"count": REASON_LENGTH}, "reason"
        )
    return reason


def _locked(rating: Rating) -> Rating:
    """The rating as stored now, locked until the correction is committed."""
    current = (
        Rating.objects.select_for_update(of=("self",))
        .select_related("session__episode__client__service", "instrument")
        .filter(pk=rating.pk)
        .first()
    )
    if current is None:
        raise CorrectionError(_("The answer has been deleted meanwhile."))
    return current


def _remember(rating, kind, before, reason, user, *, moved_to=None) -> RatingCorrection:
    return RatingCorrection.objects.create(
        rating_id=before["id"],
        episode_id=before["episode"],
        moved_to=moved_to,
        kind=kind,
        before={key: value for key, value in before.items() if key != "id"},
        after=values_of(rating) if rating is not None else None,
        reason=reason,
        user=user,
        actor=user.get_username() if user is not None else "system",
    )


def _audit(rating, client, detail, reason, request, action=Action.CHANGE) -> None:
    log.record(
        action,
        obj=rating,
        client=client,
        request=request,
        detail=f"corrected: {detail}; reason: {reason}",
    )


def _atomically(correct):
    """Run a correction in one transaction; a clash with another rating's slot, found only on
    writing (a colleague's correction meanwhile), undoes all of it and says why."""
    try:
        with transaction.atomic():
            return correct()
    except IntegrityError:
        raise CorrectionError(
            _("Another answer took this place meanwhile. Reload the page and try again.")
        ) from None


def _slot_taken(rating: Rating, session: Session, rater: str, rater_name: str) -> bool:
    return (
        Rating.objects.filter(
            session=session, purpose=rating.purpose, rater=rater, rater_name=rater_name
        )
        .exclude(pk=rating.pk)
        .exists()
    )


def _rater(rater: str, rater_name: str) -> tuple[str, str]:
    if rater not in Rater.values:
        raise CorrectionError(_("Unknown rater."), "rater")
    rater_name = "" if rater == Rater.CLIENT else " ".join(rater_name.split())
    if rater == Rater.OTHER and not rater_name:
        raise CorrectionError(_("Write who answers."), "rater_name")
    return rater, rater_name


def _scores(rating: Rating, items: Mapping[str, object] | None, total: object):
    """New scores on the rating's own form: every line, or the total for a total-only one."""
    spec = rating.instrument.spec
    try:
        if rating.is_total_only:
            return score_total_only(spec, total)
        return score_items(spec, items or {})
    except ScoreError as error:
        raise CorrectionError(error.message, error.field) from None


def edit_rating(
    rating: Rating,
    *,
    items: Mapping[str, object] | None,
    total: object,
    rater: str,
    rater_name: str,
    reason: str,
    user,
    request=None,
) -> Rating:
    """Correct the scores (on the same form), or who answered. Raises CorrectionError."""
    reason = _reason(reason)

    def correct():
        current = _locked(rating)
        before = {"id": current.pk, **values_of(current)}
        scored = _scores(current, items, total)
        new_rater, new_name = _rater(rater, rater_name)
        new_items = (
            {key: str(value) for key, value in scored.items.items()}
            if scored.items is not None
            else None
        )
        changed = [
            name
            for name, old, new in (
                ("items", current.items, new_items),
                ("total", current.total, scored.total),
                ("rater", (current.rater, current.rater_name), (new_rater, new_name)),
            )
            if old != new
        ]
        if not changed:
            raise CorrectionError(_("Nothing was changed."))
        if _slot_taken(current, current.session, new_rater, new_name):
            raise CorrectionError(TAKEN % {"number": current.session.number}, "rater")
        current.items, current.total = new_items, scored.total
        current.rater, current.rater_name = new_rater, new_name
        current.save(update_fields=["items", "total", "rater", "rater_name"])
        _remember(current, CorrectionKind.EDITED, before, reason, user)
        client = current.session.episode.client
        _audit(current, client, f"edited {', '.join(changed)}", reason, request)
        return current

    return _atomically(correct)


def move_rating(rating: Rating, *, to_session: Session, reason: str, user, request=None) -> Rating:
    """Move the rating to the session it belongs to: of this client, or of another client of
    the same service (a form answered on the wrong client's page). Raises CorrectionError.

    Refused where the session has this person's answer to this form already (one per session,
    the database's rule too), or where the form is not meant for the client's age then.
    """
    reason = _reason(reason)

    def correct():
        current = _locked(rating)
        before = {"id": current.pk, **values_of(current)}
        target = (
            Session.objects.select_related("episode__client__service")
            .filter(pk=to_session.pk)
            .first()
        )
        if target is None or target.pk == current.session_id:
            raise CorrectionError(_("Choose another session."), "session")
        client = target.episode.client
        source_client = current.session.episode.client
        if client.service_id != source_client.service_id:
            raise CorrectionError(_("Choose another session."), "session")
        if client.declined_feedback and current.method != Method.IMPORT:
            raise CorrectionError(_("The client has declined to give feedback."), "session")
        age_group = client.age_group_on(target.date)
        if age_group not in current.instrument.spec.age_groups:
            raise CorrectionError(
                _("This form is not meant for the client's age group."), "session"
            )
        if _slot_taken(current, target, current.rater, current.rater_name):
            raise CorrectionError(TAKEN % {"number": target.number}, "session")
        current.session, current.age_group = target, age_group
        if current.method in (Method.PAPER, Method.IMPORT):
            current.rated_at = _rated_at(target)  # dated on the session's day, as when entered
        current.save(update_fields=["session", "age_group", "rated_at"])
        other = target.episode_id != before["episode"]
        _remember(
            current,
            CorrectionKind.MOVED,
            before,
            reason,
            user,
            moved_to=target.episode if other else None,
        )
        if client.pk == source_client.pk:
            detail = f"moved from session {before['session_number']} to session {target.number}"
            if other:
                detail += f" of episode {target.episode.code}"
            _audit(current, client, detail, reason, request)
        else:
            _audit(current, source_client, "moved to another client", reason, request)
            _audit(current, client, "moved here from another client", reason, request)
        return current

    return _atomically(correct)


def delete_rating(rating: Rating, *, reason: str, user, request=None) -> None:
    """Delete a wrong rating (given by mistake, for someone else, twice): it is gone from every
    figure; the history keeps what it was. Raises CorrectionError."""
    reason = _reason(reason)

    def correct():
        current = _locked(rating)
        before = {"id": current.pk, **values_of(current)}
        _audit(current, current.session.episode.client, "deleted", reason, request, Action.DELETE)
        current.delete()
        _remember(None, CorrectionKind.DELETED, before, reason, user)

    _atomically(correct)


@dataclass(frozen=True)
class HistoryLine:
    """One correction as the client page lists it."""

    at: object
    actor: str
    kind: str
    what: str
    reason: str


def has_corrections():
    """An expression for an episode query: whether the episode has a correction history (of
    its own ratings, or of ratings moved into it), so a page reads the history only then."""
    return Exists(
        RatingCorrection.objects.filter(Q(episode=OuterRef("pk")) | Q(moved_to=OuterRef("pk")))
    )


def describe(correction: RatingCorrection, episode_id: int, form_name: str) -> str:
    """What was done, in a few words, seen from the episode `episode_id`. A rating moved to
    or from another client says so without naming that client: whoever reads this page later
    may not be allowed to see them."""
    before, after = correction.before, correction.after or {}
    words = {
        "form": form_name,
        "total": score(before["total"]),
        "number": before["session_number"],
        "to": after.get("session_number"),
    }
    if correction.kind == CorrectionKind.DELETED:
        return _("%(form)s %(total)s in session %(number)d deleted") % words
    if correction.kind == CorrectionKind.EDITED:
        text = _("%(form)s in session %(number)d: total %(total)s → %(new)s") % {
            **words,
            "new": score(after.get("total")),
        }
        if (before["rater"], before["rater_name"]) != (after.get("rater"), after.get("rater_name")):
            text += ", " + _("answered by %(rater)s") % {
                "rater": Rating(rater=after.get("rater")).get_rater_display()
            }
        return text
    moved_to = correction.moved_to
    if moved_to is None:
        return _("%(form)s %(total)s moved from session %(number)d to session %(to)d") % words
    if moved_to.client_id == correction.episode.client_id:
        return _(
            "%(form)s %(total)s moved from session %(number)d of episode %(from_episode)s "
            "to session %(to)d of episode %(to_episode)s"
        ) % {**words, "from_episode": correction.episode.code, "to_episode": moved_to.code}
    if correction.episode_id == episode_id:
        return _("%(form)s %(total)s in session %(number)d moved to another client") % words
    return _("%(form)s %(total)s moved here (session %(to)d) from another client") % words


def history(episode_id: int, limit: int = 10) -> list[HistoryLine]:
    """The episode's latest corrections, newest first: those of its ratings and those moved
    into it from another episode. Each form is named as the answers table names it."""
    corrections = list(
        RatingCorrection.objects.filter(Q(episode_id=episode_id) | Q(moved_to_id=episode_id))
        .select_related("episode", "moved_to")
        .order_by("-at", "-pk")[:limit]
    )
    keys = {(c.before["instrument"], c.before["version"]) for c in corrections}
    forms = {
        (instrument.key, instrument.version): instrument_name(instrument)
        for instrument in Instrument.objects.filter(key__in={key for key, _version in keys})
    }
    return [
        HistoryLine(
            at=correction.at,
            actor=correction.actor,
            kind=correction.get_kind_display(),
            what=describe(
                correction,
                episode_id,
                forms.get((correction.before["instrument"], correction.before["version"]))
                or str(Rating(purpose=correction.before["purpose"]).get_purpose_display()),
            ),
            reason=correction.reason,
        )
        for correction in corrections
    ]
