"""A closed episode's result: the category the leaders' outcome figures give it, in words.

An open episode has signals, prompts for the next conversation ("no reliable change yet"). A
closed one has an outcome, and showing it the live prompt would read as if it were still
running. It is judged exactly as `services.dashboards.facts.judge_series` judges it for the
outcome figures, so the client page, the summary for the record system and the dashboards agree:
the first client ORS gives the form and age group whose norms apply, the last ORS on that form
is the end, and `services.measures.scoring.change_category` names the change. An episode with
fewer than two ratings on that form, or rated on an unscored form, is not judged, just as the
figures leave it out.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.measures.definitions import InstrumentDefinition, Norms
from services.measures.scoring import OutcomeCategory, change_category
from services.measures.signal_details import limit_text, score_text
from services.measures.templatetags.measures import signed_score
from services.ratings.series import SessionRecord

TOO_FEW = "too_few"
UNSCORED = "unscored"

TITLES = {
    OutcomeCategory.RECOVERED: gettext_lazy(
        "Reliable improvement: below the cutoff → above the cutoff"
    ),
    OutcomeCategory.IMPROVED: gettext_lazy("Reliable improvement"),
    OutcomeCategory.UNCHANGED: gettext_lazy("No reliable change over the episode"),
    OutcomeCategory.DETERIORATED: gettext_lazy("Reliable deterioration"),
    TOO_FEW: gettext_lazy("Too few ratings to judge the change"),
    UNSCORED: gettext_lazy("Not judged: the form has no scores"),
}


@dataclass(frozen=True)
class FinalOutcome:
    """The category (or why there is none: `TOO_FEW`, `UNSCORED`) with the numbers behind it."""

    key: str
    intake: Decimal | None = None
    end: Decimal | None = None
    norms: Norms | None = None
    ratings: int = 0

    @property
    def judged(self) -> bool:
        return self.key in tuple(OutcomeCategory)

    @property
    def title(self) -> str:
        return str(TITLES[self.key])

    @property
    def detail(self) -> str:
        """The numbers a helper can check the category by, or why it is not judged."""
        if self.key == UNSCORED:
            return _("The episode was rated on a form without scores, so it has no change.")
        if self.key == TOO_FEW:
            return _("A change needs a first and a last rating on the same form.")
        return _(
            "ORS %(intake)s at the first rating and %(end)s at the last (%(change)s); "
            "reliable change %(rc)s, cutoff %(cutoff)s."
        ) % {
            "intake": score_text(self.intake),
            "end": score_text(self.end),
            "change": signed_score(self.end - self.intake),
            "rc": limit_text(self.norms.reliable_change),
            "cutoff": limit_text(self.norms.cutoff),
        }


def final_outcome(
    records: list[SessionRecord], forms: dict[int, InstrumentDefinition]
) -> FinalOutcome:
    """The episode's outcome from its sessions; `forms` by instrument id, every version (as
    `progress.ProgressRules.forms`). Sessions count in the figures' order: by date, then number."""
    rated = sorted(
        (record for record in records if record.ors is not None),
        key=lambda record: (record.date, record.number),
    )
    if not rated:
        return FinalOutcome(TOO_FEW)
    first = rated[0]
    series = [record for record in rated if record.ors_instrument_id == first.ors_instrument_id]
    spec = forms.get(first.ors_instrument_id)
    norms = spec.norms.get(first.ors_age_group) if spec is not None and spec.scored else None
    if norms is None:
        return FinalOutcome(UNSCORED, ratings=len(series))
    intake, end = series[0].ors, series[-1].ors
    if len(series) < 2:
        return FinalOutcome(TOO_FEW, intake, end, norms, len(series))
    return FinalOutcome(change_category(intake, end, norms), intake, end, norms, len(series))
