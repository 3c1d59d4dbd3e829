"""Issue #12 item 7: published figures are compared like for like, with their source.

Published outcome figures come from people in treatment, so the service's bar beside them counts
only the episodes that started below the cutoff (EpisodeFact.clinical = 1). Every published
figure names its source in full, on the page (footnote and hover), in the downloads and in
docs/dashboards.md; a figure without a source it can be checked against is not shown.
"""

import datetime
import html
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from services.dashboards import benchmarks, periods, report, visuals
from services.dashboards.exports import figures_csv
from services.dashboards.figures import build_dashboard
from tests.dashboards import excel_csv
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "dashboards.md"
PERIOD = periods.custom(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def closed(service, intake, end):
    episode = EpisodeFactory(
        client__service=service,
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2026, 3, 10),
        end_reason="planned",
    )
    for number, score in enumerate((intake, end), start=1):
        session = SessionFactory(
            episode=episode, number=number, date=datetime.date(2026, 2, number * 7)
        )
        RatingFactory(session=session, score=score)


@pytest.fixture
def mixed_intakes(service):
    """Five adults starting below the cutoff of 25 (four improve, one deteriorates) and five
    starting above it (none changes reliably)."""
    for intake, end in ((10, 20), (12, 26), (15, 21), (18, 24), (20, 14)):
        closed(service, intake, end)
    for intake in (27, 29, 30, 31, 33):
        closed(service, intake, intake + 1)
    return service


def test_every_published_figure_has_a_full_source_and_adds_up():
    assert benchmarks.BENCHMARKS, "the trial figures have a source (see docs/dashboards.md)"
    for benchmark in benchmarks.BENCHMARKS:
        assert "doi.org/" in benchmark.citation
        assert str(benchmark.year) in benchmark.citation
        total = benchmark.improved + benchmark.unchanged + benchmark.deteriorated
        assert total == pytest.approx(1, abs=0.002), benchmark.key  # rounding only


def test_the_misquoted_public_sector_figures_are_gone():
    """65.6 + 35.4 + 10.7 = 111.7 %: at least one is misquoted, and the source they were
    quoted from cannot tell which."""
    figures = [(b.improved, b.unchanged, b.deteriorated) for b in benchmarks.BENCHMARKS]
    assert (0.656, 0.354, 0.107) not in figures
    assert all(b.key != "public" for b in benchmarks.BENCHMARKS)


def test_the_docs_cite_every_published_figure():
    text = DOCS.read_text()
    for benchmark in benchmarks.BENCHMARKS:
        assert benchmark.citation in text
        assert f"{benchmark.improved * 100:.1f}" in text
    assert "111.7" in text  # and say why the public-sector figures were dropped


def test_the_service_bar_beside_published_figures_counts_clinical_intakes_only(mixed_intakes):
    dashboard = build_dashboard(mixed_intakes, PERIOD)
    assert dashboard.outcome_n.value == 10
    clinical = dashboard.clinical
    assert clinical["n"].value == 5
    assert clinical["improved"].value == pytest.approx(4 / 5)  # recovered included
    assert clinical["unchanged"].value == pytest.approx(0)
    assert clinical["deteriorated"].value == pytest.approx(1 / 5)
    chart = visuals.benchmark_chart(dashboard)
    service_bar = chart.bars[0]
    assert service_bar.values == pytest.approx((0.8, 0.0, 0.2))
    everyone = dashboard.categories["current"]
    assert everyone["recovered"].value + everyone["improved"].value == pytest.approx(0.4)
    assert [bar.key for bar in chart.bars[1:]] == [b.key for b in benchmarks.BENCHMARKS]


def test_the_overall_categories_chart_has_no_published_bars(mixed_intakes):
    chart = visuals.categories(build_dashboard(mixed_intakes, PERIOD))
    assert [bar.key for bar in chart.bars] == ["current", "previous"]


def test_too_few_clinical_intakes_show_no_service_bar(service):
    for intake in (10, 12, 15, 30, 31, 32, 33, 34):
        closed(service, intake, intake + 6)
    dashboard = build_dashboard(service, PERIOD)
    assert dashboard.clinical["n"].suppressed
    assert visuals.benchmark_chart(dashboard).bars[0].values == (None, None, None)


def test_the_page_says_what_is_compared_and_cites_the_source(client, mixed_intakes, leader):
    client.force_login(leader)
    page = client.get(
        reverse("dashboards:service", kwargs={"code": mixed_intakes.code}),
        {"period": "custom", "from": "2026-03-01", "to": "2026-03-31"},
    ).content.decode()
    for benchmark in benchmarks.BENCHMARKS:
        assert f'title="{html.escape(benchmark.citation)}"' in page  # on hover
        assert f'id="source-{benchmark.key}"' in page  # the footnote
        assert f'href="#source-{benchmark.key}"' in page
    assert "Gimeno-Peón" in page
    assert "65,6" not in page and "35,4" not in page
    assert (
        "only episodes that started below the cutoff" in page
        or "bare forløp som startet under klinisk grense" in page
    )


def test_without_a_sourced_figure_the_page_says_why(client, mixed_intakes, leader, monkeypatch):
    monkeypatch.setattr(benchmarks, "BENCHMARKS", ())
    client.force_login(leader)
    page = client.get(
        reverse("dashboards:service", kwargs={"code": mixed_intakes.code}),
        {"period": "custom", "from": "2026-03-01", "to": "2026-03-31"},
    ).content.decode()
    assert 'id="benchmark-heading"' not in page
    assert "No published figures are shown" in page or "Ingen publiserte tall vises" in page


def test_the_download_carries_the_sources_and_the_clinical_subset(mixed_intakes):
    # Issue #16: the figures CSV is written for Norwegian Excel; excel_csv reads it so.
    rows = excel_csv.rows(figures_csv(build_dashboard(mixed_intakes, PERIOD)))
    published = [r for r in rows if r["section"] == "benchmark"]
    assert {r["group"] for r in published} == {b.key for b in benchmarks.BENCHMARKS}
    assert all(r["label"] in {b.citation for b in benchmarks.BENCHMARKS} for r in published)
    clinical = {r["figure"]: r for r in rows if r["section"] == "outcome_categories_clinical"}
    assert float(clinical["improved"]["value"]) == pytest.approx(0.8)
    assert clinical["improved"]["n"] == "5"


# Issue #12 item 9 (review): the clinical subset (n = c_n) is shown beside all episodes (n).
# With 0 < n − c_n < 5, subtracting one from the other tells how the few who started above the
# cutoff went.


@pytest.fixture
def two_above(service):
    """Six adults starting below the cutoff (four improve, two deteriorate) and two starting
    above it (one improves, one deteriorates)."""
    for intake, end in ((10, 20), (12, 26), (15, 21), (18, 24), (20, 14), (22, 16)):
        closed(service, intake, end)
    closed(service, 27, 33)
    closed(service, 30, 24)
    return service


def above_the_cutoff(dashboard) -> dict[str, int] | None:
    """What subtracting gives away: the outcome categories of the episodes that started at or
    above the cutoff, counted, when every figure it needs is shown."""
    everyone, clinical = dashboard.categories["current"], dashboard.clinical
    needed = [dashboard.outcome_n, *everyone.values(), *clinical.values()]
    if not all(figure.shown for figure in needed):
        return None
    n, c_n = dashboard.outcome_n.value, clinical["n"].value
    own = {
        "improved": everyone["recovered"].value + everyone["improved"].value,
        "unchanged": everyone["unchanged"].value,
        "deteriorated": everyone["deteriorated"].value,
    }
    return {key: round(own[key] * n - clinical[key].value * c_n) for key in own}


def test_a_few_above_the_cutoff_cannot_be_worked_out_by_subtracting(two_above):
    dashboard = build_dashboard(two_above, PERIOD)
    assert dashboard.outcome_n.value == 8
    assert dashboard.categories["current"]["deteriorated"].shown
    assert above_the_cutoff(dashboard) is None, "the subset beside all gives the two away"
    assert dashboard.clinical_withheld
    assert all(figure.suppressed for figure in dashboard.clinical.values())
    assert visuals.benchmark_chart(dashboard).bars[0].values == (None, None, None)
    # Issue #16: the figures CSV is written for Norwegian Excel; excel_csv reads it so.
    rows = excel_csv.rows(figures_csv(dashboard))
    subset = [r for r in rows if r["section"] == "outcome_categories_clinical"]
    assert subset and all(number(r["value"]) is None and not r["n"] for r in subset)


def number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def test_the_page_says_why_the_subset_is_withheld(client, two_above, leader):
    client.force_login(leader)
    page = client.get(
        reverse("dashboards:service", kwargs={"code": two_above.code}),
        {"period": "custom", "from": "2026-03-01", "to": "2026-03-31"},
    ).content.decode()
    assert (
        "fewer than five of the episodes counted started at or above the cutoff" in page
        or "færre enn fem av forløpene som er telt, startet på eller over klinisk grense" in page
    )


def test_with_none_above_the_cutoff_the_subset_is_all_and_shown(service):
    for intake, end in ((10, 20), (12, 26), (15, 21), (18, 24), (20, 14)):
        closed(service, intake, end)
    dashboard = build_dashboard(service, PERIOD)
    assert not dashboard.clinical_withheld
    assert dashboard.clinical["n"].value == 5
    assert dashboard.clinical["improved"].value == pytest.approx(4 / 5)


def test_five_above_the_cutoff_leave_the_subset_shown(mixed_intakes):
    dashboard = build_dashboard(mixed_intakes, PERIOD)
    assert not dashboard.clinical_withheld
    assert above_the_cutoff(dashboard) == {"improved": 0, "unchanged": 5, "deteriorated": 0}


def test_the_monthly_report_says_why_the_subset_is_withheld(two_above, monkeypatch):
    notes = []
    real = report._note

    def keep(page, y, text, *args, **kwargs):
        notes.append(text)
        return real(page, y, text, *args, **kwargs)

    monkeypatch.setattr(report, "_note", keep)
    with translation.override("en"):
        report.monthly_report(two_above, 2026, 3)
    assert any("fewer than five of the episodes counted started" in note for note in notes)
    assert not any("Like for like: the service's bar counts only" in note for note in notes)
