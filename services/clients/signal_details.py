"""Which rule raised each of an episode's signals, with its numbers, for the caseload and the
client page.

The inputs are exactly those `progress.signals_for` judges the episode by (`progress.judging`),
taken from the rules already loaded for the page, so the details cost no queries.
"""

from collections.abc import Iterable

from django.utils.translation import get_language

from services.measures.definitions import translate
from services.measures.signal_details import signal_details
from services.measures.signals import Signal
from services.ratings.series import SessionRecord

from .progress import ProgressRules, judging


def details_for(
    records: list[SessionRecord],
    service_id: int,
    rules: ProgressRules,
    signals: Iterable[Signal],
) -> dict[Signal, str]:
    """The details of `signals` (from `signals_for` with the same records and rules).

    "Rating missing" and the alliance rule look at every session, as `signals_for` does; the
    other rules at the current form's series.
    """
    signals = tuple(signals)
    if not signals:
        return {}
    basis = judging(records, service_id, rules)
    form = basis.alliance_form
    language = get_language() or "nb"
    labels = {item.key: translate(item.label, language) for item in form.items} if form else {}
    details = {}
    every_session = [signal for signal in signals if signal in (Signal.MISSING, Signal.ALLIANCE)]
    if every_session:
        details.update(signal_details(every_session, records, None, basis.alliance, None, labels))
    judged = [signal for signal in signals if signal not in every_session]
    if judged and basis.norms is not None:
        details.update(
            signal_details(judged, basis.judged, basis.norms, basis.alliance, basis.model, labels)
        )
    return {signal: details[signal] for signal in signals if signal in details}
