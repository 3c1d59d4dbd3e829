"""A network's figures (issue #20 part 2): pooled sums give the same figures as one service
with every member's episodes, and no withheld figure can be worked out by differencing."""

import datetime

import pytest

from services.dashboards.periods import custom
from services.dashboards.suppression import MINIMUM, Figure
from services.network import figures
from services.network.access import member_services
from tests.factories import ServiceFactory

from .conftest import closed_episodes

pytestmark = pytest.mark.django_db

YEAR = custom(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def shown_n(figure: Figure) -> int:
    """The n a reader sees beside a figure (also one with no value, as "–")."""
    return 0 if figure.suppressed else figure.n or 0


def test_pooled_figures_are_those_of_one_service_with_every_episode(region):
    x, _y = region["networks"]
    pooled = figures.network_figures(member_services(x), YEAR)
    together = ServiceFactory(code="alle", name="Alle")
    closed_episodes(together, 12 + 3 + 8, code="T")
    alone = figures.network_figures([together], YEAR)
    for row, single in zip(pooled.rows, alone.rows, strict=True):
        assert row.pooled.figure == single.pooled.figure, row.spec.key
    assert pooled.rows[1].pooled.figure == Figure(23, 23)  # closed episodes


@pytest.mark.parametrize("network_index", [0, 1])
def test_no_withheld_figure_can_be_worked_out_from_the_network(region, network_index):
    """The test tries: the network's n minus every member's n that is shown leaves the
    withheld members together, which must be two or more resting on MINIMUM or more."""
    network = region["networks"][network_index]
    shown = figures.network_figures(member_services(network), YEAR)
    tried = 0
    for row in shown.rows:
        withheld = [cell for cell in row.members if cell.figure.suppressed]
        if not withheld:
            continue
        tried += 1
        if row.pooled.figure.suppressed:
            continue
        rest = row.pooled.figure.n - sum(shown_n(cell.figure) for cell in row.members)
        assert len(withheld) >= 2, row.spec.key
        assert rest >= MINIMUM, row.spec.key
        assert rest == sum(cell.basis for cell in withheld)
    assert tried >= 3, "Birkenes' three episodes are withheld in several rows"


def test_a_network_of_two_withholds_both_or_the_total(region):
    """Y = Birkenes (3) and Froland (8): Froland must go too, or the total gives Birkenes."""
    _x, y = region["networks"]
    closed = next(row for row in figures.network_figures(member_services(y), YEAR).rows)
    assert all(cell.figure.suppressed for cell in closed.members)
    assert closed.pooled.figure == Figure(11, 11)


def test_a_leader_sees_the_network_only_when_the_others_cannot_be_read_off(region):
    a, _b, c = region["services"]
    x, y = region["networks"]
    beside_x = figures.benchmark(a, member_services(x), YEAR)
    closed = next(row for row in beside_x if row.spec.key == "closed")
    assert closed.own.figure == Figure(12, 12)
    assert closed.network.figure == Figure(23, 23)  # the others: two services, 11 episodes
    beside_y = figures.benchmark(c, member_services(y), YEAR)
    assert all(
        row.network.figure.suppressed or row.network.figure.value is None for row in beside_y
    )


def test_pooled_sums_add_figure_by_figure():
    assert figures.pooled_sums([{"n": 2, "sx": 1.5, "z": None}, {"n": 3, "sx": None}]) == {
        "n": 5,
        "sx": 1.5,
        "z": None,
    }
