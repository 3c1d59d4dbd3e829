"""The client's own curve on the thank-you page, when the helper allowed it.

Drawn by the charts app's client chart (no cutoff line, no expected trajectory, no clinical
words) from the same episode data as the helper's chart, so the two never disagree: with the
client's own scored goals under the curve, as on the client page's "To show the client".
"""

from django.utils.translation import get_language

from services.charts.cache import cached_chart
from services.charts.client import client_chart
from services.clients.progress import chart_data, load_rules, model_version
from services.goals.chart import with_goals
from services.goals.reading import episode_goals

from .models import Handover, Rater
from .series import episode_series


def client_curve(handover: Handover) -> str | None:
    """Inline SVG of the client's outcome curve, or None when there is nothing to show them.

    Only for the client themself: a parent or teacher who answered does not see the client's
    scores, nor the client's goals.
    """
    if not handover.show_curve or handover.rater != Rater.CLIENT:
        return None
    episode = handover.session.episode
    records = episode_series([episode.pk])[episode.pk]
    if not any(record.ors is not None for record in records):
        return None
    rules = load_rules([episode.service_id])
    data = with_goals(chart_data(records, episode.service_id, rules), episode_goals(episode.pk))
    svg = cached_chart(
        client_chart,
        data,
        model_version=model_version(records, episode.service_id, rules),
        language=get_language() or "nb",
        size="tablet",
    )
    return svg.decode()
