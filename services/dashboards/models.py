"""Dashboard facts: what the leaders' figures count, one row per session and per episode.

Why they exist: on a service of 10,000 clients, joining every rating to its session and episode
and windowing each episode's ORS ratings to find its intake and end took over a second per page.
These rows hold the result of that work, so a page sums a few narrow columns instead.

They are derived data, never edited by hand: `facts.rebuild` writes a client's rows from that
client's episodes, sessions and ratings alone, and every change to those marks the client
outdated in the same transaction (see `receivers`), so the next dashboard read rebuilds them
first. Deleting the source deletes the fact (CASCADE), as erasure requires.
"""

from django.conf import settings
from django.db import models
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service, Team
from services.clients.models import Client, Episode
from services.measures.signals import TITLES, Signal
from services.sessions.models import Session


class SessionFact(models.Model):
    """One session as the dashboard counts it.

    `previous_*` is the day of the same client's session before this one (by date, then
    session id): any session, one in the same team, one with the same helper, one with the same
    helper in the same team (a helper's row on a team's page). A client was seen
    in a period that starts on day `a` exactly once per session whose previous day is before `a`
    (or missing), so distinct clients become a sum and need no DISTINCT over every session.
    """

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    day = models.DateField()
    month = models.DateField()  # the first of day's month
    ors_rated = models.PositiveSmallIntegerField()  # client ORS ratings: 0 or 1
    srs_total = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    srs_flagged = models.PositiveSmallIntegerField()  # 1 when below the form's threshold
    previous_any = models.DateField(null=True)
    previous_in_team = models.DateField(null=True)
    previous_with_helper = models.DateField(null=True)
    previous_in_team_with_helper = models.DateField(null=True)
    # 1 when the client had no earlier session that month (at each of the same levels)
    first_in_month_any = models.PositiveSmallIntegerField()
    first_in_month_in_team = models.PositiveSmallIntegerField()
    first_in_month_with_helper = models.PositiveSmallIntegerField()
    first_in_month_in_team_with_helper = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("session fact")
        verbose_name_plural = _("session facts")
        # Every dashboard statement reads one service's sessions between two days.
        indexes = [models.Index(fields=["service", "day"], name="sessionfact_service_day")]

    def __str__(self) -> str:
        return f"session {self.session_id} on {self.day}"


class DailyActivity(models.Model):
    """One service's session facts of one day, summed per team and helper.

    Sums are all the activity figures need apart from distinct clients, so a page reads a few
    thousand of these instead of every session of two years. `facts.rebuild` sums the days its
    clients' sessions fall on anew, from the session facts, after replacing those.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    month = models.DateField()
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sessions = models.PositiveIntegerField()
    ors_rated = models.PositiveIntegerField()
    srs_n = models.PositiveIntegerField()
    srs_sum = models.DecimalField(max_digits=9, decimal_places=1)
    srs_flagged = models.PositiveIntegerField()
    first_in_month_any = models.PositiveIntegerField()
    first_in_month_in_team = models.PositiveIntegerField()
    first_in_month_with_helper = models.PositiveIntegerField()
    first_in_month_in_team_with_helper = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("daily activity")
        verbose_name_plural = _("daily activity")
        # The page reads one service's days between two dates.
        indexes = [models.Index(fields=["service", "day"], name="dailyactivity_service_day")]

    def __str__(self) -> str:
        return f"{self.day}"


class EpisodeFact(models.Model):
    """One episode as the outcome figures see it: its first and last client ORS, judged.

    The categories are decided here, in Python, by the same rule as the client's own chart
    (`services.measures.scoring.change_category`), under the norms named by `norms_key`; facts
    judged under other rules (norms, alliance thresholds) than the current ones are outdated (see
    `facts.refresh_outdated`).
    The scores are only summed, so they are kept as binary floats, which sum much faster than
    PostgreSQL's numeric.
    """

    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True)
    end_month = models.DateField(null=True)  # the first day of end_date's month
    end_quarter = models.DateField(null=True)  # and of its quarter: the trends' keys
    end_reason = models.CharField(max_length=20, blank=True)
    sessions = models.PositiveIntegerField()
    ors_count = models.PositiveIntegerField()  # client ORS ratings
    # First and last client ORS total and the change (subtracted exactly, then stored as floats)
    intake = models.FloatField(null=True)
    end = models.FloatField(null=True)
    change = models.FloatField(null=True)
    # 1 or 0, so that a slice's count is a sum:
    # The form and age group of the intake: the episode is judged by these, and only the
    # ratings on the intake's form count (a later form change starts a new series).
    form = models.CharField(max_length=40, blank=True)
    age_group = models.CharField(max_length=20, blank=True)
    scored = models.PositiveSmallIntegerField()  # the intake's form has norms for its age group
    paired = models.PositiveSmallIntegerField()  # closed, scored, two or more ORS on that form
    clinical = models.PositiveSmallIntegerField()  # intake below the cutoff
    improved = models.PositiveSmallIntegerField()  # reliable improvement (recovered included)
    recovered = models.PositiveSmallIntegerField()
    deteriorated = models.PositiveSmallIntegerField()
    band = models.PositiveSmallIntegerField(null=True)  # intake in bands of five points: 0–7
    rules_key = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("episode fact")
        verbose_name_plural = _("episode facts")
        # Finds facts judged under other rules by two range scans (see facts.refresh_outdated).
        indexes = [models.Index(fields=["rules_key"], name="episodefact_rules")]

    def __str__(self) -> str:
        return f"episode {self.episode_id}"


class CollateralFact(models.Model):
    """One collateral rater's outcome ratings (a parent's, a teacher's) of one episode.

    Kept apart from the client's own figures: a parent's view of how the child has been is
    reported beside the child's, never mixed into it. Judged like an episode fact: the first and
    last rating on the first form this rater used, under that form's norms for the client's age
    group at that first rating.
    """

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    rater = models.CharField(max_length=20)
    rater_name = models.CharField(max_length=80, blank=True)
    end_date = models.DateField(null=True)  # the episode's
    end_month = models.DateField(null=True)
    form = models.CharField(max_length=40)
    age_group = models.CharField(max_length=20)
    ratings = models.PositiveIntegerField()
    intake = models.FloatField()
    end = models.FloatField()
    change = models.FloatField()
    scored = models.PositiveSmallIntegerField()
    paired = models.PositiveSmallIntegerField()  # closed, scored, two or more ratings
    clinical = models.PositiveSmallIntegerField()
    improved = models.PositiveSmallIntegerField()
    recovered = models.PositiveSmallIntegerField()
    deteriorated = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("collateral fact")
        verbose_name_plural = _("collateral facts")
        indexes = [models.Index(fields=["service", "end_date"], name="collateralfact_service_end")]

    def __str__(self) -> str:
        return f"episode {self.episode_id} {self.rater}"


class EpisodeSummary(models.Model):
    """One open episode as the helper's caseload shows it: counts, scores, signals and curve.

    Why it exists: the caseload read every session and rating of every open episode and judged
    them all in Python on each view, so a helper with 400 episodes waited a quarter of a second
    and longer every week. It is rebuilt with the client's facts (`facts._rebuild_batch`, by
    `services.clients.caseload.summarise`), so the page sorts, filters and pages in SQL. The
    signals depend on the service's rules as well (trajectories, alliance forms, settings), named
    by `rules_key`; `caseload.up_to_date` rebuilds the summaries judged under other rules.
    The signal details are words, kept in every language the app speaks.
    """

    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    sessions = models.PositiveIntegerField()
    last_session = models.DateField(null=True)
    # The current series' first and latest client ORS (`series.intake_and_latest`).
    intake = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    latest = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    change = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    latest_srs = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    signals = models.CharField(max_length=200)  # ",deteriorated,missing," most severe first
    severity = models.SmallIntegerField()  # "signals first" order: lower is more urgent
    details = models.JSONField(default=dict)  # {language: {signal: which rule, which numbers}}
    sparkline = models.TextField()  # our own SVG, see services.charts.sparkline
    rules_key = models.CharField(max_length=16)

    class Meta:
        indexes = [
            models.Index(fields=["service", "severity"], name="summary_severity"),
            # Finds a service's summaries judged under other rules by two range scans, on every
            # caseload view (caseload.up_to_date); a scan of the wide rows cost ~5 ms at 10k.
            models.Index(fields=["service", "rules_key"], name="summary_rules"),
        ]

    def __str__(self) -> str:
        return f"episode {self.episode_id}"

    def details_in_language(self) -> dict[str, str]:
        """Which rule fired with which numbers, per signal, in the reader's language."""
        return self.details.get(get_language() or "nb") or self.details.get("nb", {})

    @property
    def badges(self) -> list[tuple[str, str, str]]:
        """(key, title, which rule fired with which numbers) for each signal, in the reader's
        language."""
        details = self.details_in_language()
        return [
            (key, str(TITLES[Signal(key)]), details.get(key, ""))
            for key in self.signals.strip(",").split(",")
            if key
        ]

    @property
    def curve(self) -> SafeString:
        return mark_safe(self.sparkline)  # written by services.charts.sparkline, not by a user


class PendingChange(models.Model):
    """A change to a client's data that the facts have not taken in yet.

    A new row per change, never one per client: a reader deletes only the rows it read, so a
    change committed while it rebuilds leaves its own row behind for the next read. A deleted
    session also leaves the day it was counted on (its fact is already gone). No foreign keys:
    an erased client's row costs one empty rebuild.
    """

    client_id = models.BigIntegerField(null=True)
    service_id = models.BigIntegerField(null=True)
    day = models.DateField(null=True)

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")

    def __str__(self) -> str:
        return f"client {self.client_id}" if self.client_id else f"{self.day}"


class MonthlyReportFile(models.Model):
    """A service's monthly report (PDF) as it stood on the first night after the month.

    Made once by the background job `store_monthly_reports` (`archive.store_missing`), so a
    leader downloads the same report every time and the app does not draw it again. Kept in the
    database, not on disk, because every app server must serve it and the servers share nothing
    but the database. Figures only, small counts suppressed as on the page: no client's data.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first of the month
    language = models.CharField(max_length=8)
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monthly report file")
        verbose_name_plural = _("monthly report files")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "month"], name="monthlyreportfile_service_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.month:%Y-%m}"
