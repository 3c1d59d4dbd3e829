"""A member's turn at a meeting: their personal code opens it once, and each answer in it is
stored exactly once.

The group QR code is the same for everyone at the meeting, so it names nobody; the code typed on
the phone (or on the tablet passed round) says which member answers. A turn is opened once per
member and meeting (`Turn`'s unique constraint decides, also for two phones at the same instant):
a code typed a second time is refused, so no one can answer twice, or in someone else's name
after them. The turn's own random address then carries the member through their forms, so a
reload or a dropped connection on their phone loses nothing.

A member who is a client answers the service's outcome form in a group session of their own
episode, through an ordinary hand-over (`prepare_handover` and `submit_answer`: the same checks
and "exactly once" as the tablet and the remote link), so it joins their own series and chart.
Everyone answers the group alliance form, kept per meeting (`GroupRating`).

No address or browser is stored with a member's answer: the audit rows name the meeting's
service and, for a client, the client, as for any answer, but not the device it came from.
"""

import uuid
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.audit import log
from services.audit.models import Action
from services.measures.forms_in_use import chosen_form
from services.measures.models import Instrument, Purpose
from services.measures.scoring import ScoreError, score_items
from services.ratings.handovers import LinkClosed, already_answered, prepare_handover
from services.ratings.models import Method, Rater
from services.ratings.recording import RatingError
from services.sessions.models import Session, SessionKind
from services.sessions.recording import create_session

from .models import Attendance, GroupRating, Meeting, Member, Turn, TurnMethod, normalised_code

# The group form is the service's choice for adults: participants who are not clients have no
# age group, and a group meets as one.
GROUP_FORM_AGE_GROUP = "adult"

NO_GROUP_FORM = _("No group form is chosen for this service. Tell the group leader.")
CLOSED = _("Answers for this meeting are closed. Thank you for coming!")


class TurnRefused(RatingError):
    """A code that opens no turn; `status` is the reply's HTTP status."""

    def __init__(self, message, status: int):
        super().__init__(message, "code")
        self.status = status


class NothingToAnswer(TurnRefused):
    """A member who is asked nothing: a thank-you, not an error."""

    def __init__(self, message):
        super().__init__(message, 200)


def meeting_for_token(token: uuid.UUID) -> Meeting | None:
    return Meeting.objects.select_related("group__service").filter(token=token).first()


def turn_for_token(token: uuid.UUID) -> Turn | None:
    return (
        Turn.objects.select_related(
            "meeting__group__service",
            "member__episode__client",
            "handover__instrument",
            "handover__session",
        )
        .filter(token=token)
        .first()
    )


def group_form(service_id: int) -> Instrument | None:
    return chosen_form(service_id, GROUP_FORM_AGE_GROUP, Purpose.GROUP_ALLIANCE)


def is_open(meeting: Meeting) -> bool:
    return meeting.group.is_open and meeting.is_open(timezone.now())


def _member(meeting: Meeting, typed_code: str) -> Member:
    code = normalised_code(typed_code or "")
    if not code:
        raise TurnRefused(_("Type your personal code."), 400)
    member = meeting.group.members.filter(code=code).select_related("episode__client").first()
    if member is None or not member.was_member_on(meeting.date):
        raise TurnRefused(
            _("This code does not belong to this group. Check it, or ask the group leader."), 400
        )
    if member.episode is not None and member.episode.client.declined_feedback:
        # A client who said no to feedback is asked nothing, in a group as anywhere else; the
        # words do not say why, so the page tells no one else that the code is a client's.
        raise NothingToAnswer(_("There is nothing for you to answer today. Thank you for coming!"))
    return member


def open_turn(
    meeting: Meeting, typed_code: str, method: str, join_key: uuid.UUID | None = None
) -> Turn:
    """The member's one turn at this meeting, with their outcome form if they are a client.

    `join_key` is the random key of the code form that was sent: the same form sent again (a
    double tap, a resend after a lost reply) gets the turn it opened, not a refusal.

    Raises TurnRefused: 410 for a closed meeting, 400 for an unknown code, 409 for a code
    already used at this meeting.
    """
    if not is_open(meeting):
        raise TurnRefused(CLOSED, 410)
    member = _member(meeting, typed_code)
    if method not in TurnMethod.values:
        method = TurnMethod.PHONE
    try:
        with transaction.atomic():
            turn = Turn.objects.create(
                meeting=meeting, member=member, method=method, join_key=join_key
            )
            Attendance.objects.get_or_create(meeting=meeting, member=member)
            turn.handover = _outcome_handover(meeting, member, method)
            if turn.handover is not None:
                turn.save(update_fields=["handover"])
    except IntegrityError:
        opened = Turn.objects.filter(meeting=meeting, member=member).first()
        if opened is not None and join_key is not None and opened.join_key == join_key:
            return opened
        if opened is None and join_key is not None:
            # The key was another member's (the tablet's back button shows the form that
            # opened the last turn): this member's turn is opened without one.
            return open_turn(meeting, typed_code, method)
        raise TurnRefused(
            _(
                "This code has already been used at this meeting. If that was not you, tell the "
                "group leader."
            ),
            409,
        ) from None
    return turn


def _outcome_handover(meeting: Meeting, member: Member, method: str):
    """The client member's outcome form in a group session of their episode, or None when
    they are not a client or the form cannot be given (episode closed or begun after the
    meeting, feedback declined, no form chosen, already answered in that session)."""
    episode = member.episode
    if episode is None or not episode.is_open or meeting.date < episode.start_date:
        return None
    try:
        with transaction.atomic():  # a refused form leaves no group session behind
            handover = prepare_handover(
                episode,
                method=Method.TABLET if method == TurnMethod.TABLET else Method.LINK,
                purpose=Purpose.OUTCOME,
                rater=Rater.CLIENT,
                session=group_session(episode, meeting),
                user=meeting.group.leader,
            )
            # Answerable only while the meeting is: not for a link's usual days afterwards.
            handover.expires_at = meeting.open_until
            handover.save(update_fields=["expires_at"])
            return handover
    except (RatingError, IntegrityError):
        return None


def group_session(episode, meeting: Meeting) -> Session:
    """A group session of its own for this meeting in the episode, registered and audited.

    One per turn, and a member has one turn per meeting: a client in two groups that meet the
    same day answers in two sessions, and the day's individual session stays the helper's.
    """
    session = create_session(
        episode, date=meeting.date, helper=meeting.group.leader, kind=SessionKind.GROUP
    )
    log.record(Action.CREATE, obj=session, client=episode.client, detail="group meeting")
    return session


def needs_outcome(turn: Turn) -> bool:
    """Whether the turn's outcome form can still be answered. A form that can no longer be
    (the meeting closed, the episode closed, feedback declined, its slot taken another way)
    is passed over, so the member goes on to the group form instead of being stuck."""
    handover = turn.handover
    if handover is None or handover.used_at is not None:
        return False
    episode = turn.member.episode
    if handover.is_expired(timezone.now()) or not is_open(turn.meeting):
        return False
    if episode is None or not episode.is_open or episode.client.declined_feedback:
        return False
    if not handover.instrument.active:
        return False
    return not already_answered(handover.session, Purpose.OUTCOME, Rater.CLIENT, "")


def has_answered_group_form(turn: Turn) -> bool:
    return GroupRating.objects.filter(meeting_id=turn.meeting_id, member_id=turn.member_id).exists()


def record_group_answer(
    turn: Turn, *, submission_key: uuid.UUID, items: Mapping[str, object], instrument_key: str
) -> tuple[GroupRating, bool]:
    """Store the member's group alliance answer once; a repeat of the same submission gets the
    stored one (created False). Raises RatingError (LinkClosed when nothing more can be
    answered in this turn)."""
    try:
        with transaction.atomic():
            return _record(turn, submission_key, items, instrument_key)
    except IntegrityError:
        stored = GroupRating.objects.filter(submission_key=submission_key).first()
        if stored is not None and (stored.meeting_id, stored.member_id) == (
            turn.meeting_id,
            turn.member_id,
        ):
            return stored, False
        raise LinkClosed(
            _("You have already answered for this meeting."), "submission_key"
        ) from None


def _record(turn, submission_key, items, instrument_key) -> tuple[GroupRating, bool]:
    # The turn row is locked: two copies of one answer wait for each other here.
    turn = (
        Turn.objects.select_for_update(of=("self",))
        .select_related("meeting__group", "member__episode__client")
        .get(pk=turn.pk)
    )
    stored = GroupRating.objects.filter(submission_key=submission_key).first()
    if stored is not None:
        if (stored.meeting_id, stored.member_id) != (turn.meeting_id, turn.member_id):
            raise RatingError(_("This form has already been used."), "submission_key")
        return stored, False
    if has_answered_group_form(turn):
        raise LinkClosed(_("You have already answered for this meeting."), "submission_key")
    if not is_open(turn.meeting):
        raise LinkClosed(CLOSED, "submission_key")
    instrument = group_form(turn.meeting.group.service_id)
    if instrument is None:
        raise RatingError(NO_GROUP_FORM, "instrument")
    if instrument_key != instrument.key:
        raise RatingError(_("The answer is for another form than this one."), "instrument")
    try:
        scored = score_items(instrument.spec, items)
    except ScoreError as error:
        raise RatingError(error.message, error.field) from None
    rating = GroupRating.objects.create(
        meeting=turn.meeting,
        member=turn.member,
        instrument=instrument,
        items={key: str(value) for key, value in scored.items.items()},
        total=scored.total,
        method=turn.method,
        rated_at=timezone.now(),
        submission_key=submission_key,
    )
    client = turn.member.episode.client if turn.member.episode_id else None
    log.record(
        Action.CREATE,
        obj=rating,
        client=client,
        service=turn.meeting.group.service,
        detail="group meeting",
    )
    return rating, True
