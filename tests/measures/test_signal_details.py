"""Signal details: each rule says that it fired and with which numbers (issue #12 item 4)."""

from decimal import Decimal

import pytest
from django.utils import translation

from services.measures.definitions import AllianceRule, Norms
from services.measures.signal_details import DETAILS, limit_text, score_text, signal_details
from services.measures.signals import SessionScores, Signal, SignalRules, episode_signals
from services.measures.trajectory import DEFAULT_MODEL, expected
from services.ratings.series import SessionRecord

ORANGE_ALERT = SignalRules(off_track_alert="orange")  # raise below the 25th percentile
ADULT = Norms(cutoff=Decimal(25), reliable_change=Decimal(5))
ALLIANCE = AllianceRule(threshold=Decimal(36), item_threshold=Decimal(9), drop=Decimal(4))
SRS_LABELS = {
    "relationship": "Was I heard and respected?",
    "goals": "Did we talk about what I wanted?",
    "approach": "Did the way we worked suit me?",
    "overall": "Today's session overall",
}


def details(
    records, norms=ADULT, alliance=ALLIANCE, labels=SRS_LABELS, rules=None
) -> dict[Signal, str]:
    """The details of exactly the signals the rules raise, as the pages call them."""
    raised = episode_signals(records, norms, alliance, DEFAULT_MODEL, rules)
    found = signal_details(raised, records, norms, alliance, DEFAULT_MODEL, labels)
    assert tuple(found) == raised
    return found


def sessions(*ors, srs=38.0):
    return [SessionScores(number, ors=score, srs=srs) for number, score in enumerate(ors, 1)]


def with_srs(*srs, items=None):
    records = [SessionScores(n, ors=20.0, srs=score) for n, score in enumerate(srs, 1)]
    records[-1] = SessionScores(len(srs), ors=20.0, srs=srs[-1], srs_items=items)
    return records


def test_deterioration_names_the_drop_the_intake_and_the_reliable_change():
    found = details(sessions(21.0, 19.0, 16.0))
    assert found[Signal.DETERIORATED] == (
        "ORS 16.0 is 5.0 below the intake 21.0 (reliable change 5)"
    )


def test_off_track_names_the_session_and_the_expected_range():
    band = expected(DEFAULT_MODEL, 15.0, 3)
    latest = round(band.low - 0.5, 1)
    assert latest > band.lowest
    found = details(sessions(15.0, 16.0, latest), rules=ORANGE_ALERT)
    assert found[Signal.OFF_TRACK] == (
        f"ORS {latest:.1f} at session 3 is below the expected range "
        f"({band.low:.1f}–{band.high:.1f})"
    )


def test_off_track_below_the_lowest_tenth_says_so():
    band = expected(DEFAULT_MODEL, 15.0, 3)
    latest = round(band.lowest - 0.5, 1)
    found = details(sessions(15.0, 16.0, latest))
    assert found[Signal.OFF_TRACK] == (
        f"ORS {latest:.1f} at session 3 is below the expected range "
        f"({band.low:.1f}–{band.high:.1f}) and below {band.lowest:.1f}, where only 1 in 10 "
        "clients with a similar intake are"
    )


def test_off_track_counts_sessions_from_intake_but_shows_the_session_number():
    band = expected(DEFAULT_MODEL, 15.0, 3)  # the third session from intake
    latest = round(band.low - 0.3, 1)
    assert latest > band.lowest
    records = [
        SessionScores(1, srs=38.0),
        SessionScores(2, ors=15.0, srs=38.0),
        SessionScores(4, ors=latest, srs=38.0),
    ]
    found = details(records, rules=ORANGE_ALERT)
    assert found[Signal.OFF_TRACK].startswith(f"ORS {latest:.1f} at session 4 is below")
    assert f"({band.low:.1f}–{band.high:.1f})" in found[Signal.OFF_TRACK]


def test_an_srs_below_the_threshold_says_so():
    assert details(with_srs(34.0))[Signal.ALLIANCE] == "SRS 34.0 is below the threshold 36"


def test_a_low_item_is_named_by_its_label():
    items = {"relationship": 8.5, "goals": 9.5, "approach": 9.0, "overall": 10.0}
    found = details(with_srs(37.0, items=items))
    assert found[Signal.ALLIANCE] == "“Was I heard and respected?” 8.5 is below 9"


def test_several_low_items_are_each_named_in_the_forms_order():
    items = {"relationship": 9.5, "goals": 8.9, "approach": 9.0, "overall": 8.0}
    found = details(with_srs(36.4, items=items))
    assert found[Signal.ALLIANCE] == (
        "“Did we talk about what I wanted?” 8.9 is below 9; “Today's session overall” 8.0 is "
        "below 9"
    )


def test_items_given_in_order_are_named_by_position():
    found = details(with_srs(37.0, items=(9.5, 9.5, 8.0, 10.0)))
    assert found[Signal.ALLIANCE] == "“Did the way we worked suit me?” 8.0 is below 9"


def test_an_item_without_a_label_is_named_by_its_number():
    found = details(with_srs(37.0, items={"a": 9.5, "b": 8.0}), labels={})
    assert found[Signal.ALLIANCE] == "“Item 2” 8.0 is below 9"


def test_a_drop_names_both_scores():
    assert details(with_srs(40.0, 36.0))[Signal.ALLIANCE] == "SRS dropped 4.0 points (40.0 → 36.0)"


def test_every_alliance_rule_that_fired_is_listed():
    items = {"relationship": 8.0, "goals": 9.0, "approach": 9.0, "overall": 9.0}
    found = details(with_srs(39.0, 35.0, items=items))
    assert found[Signal.ALLIANCE] == (
        "SRS 35.0 is below the threshold 36; “Was I heard and respected?” 8.0 is below 9; "
        "SRS dropped 4.0 points (39.0 → 35.0)"
    )


def test_a_one_point_drop_has_no_detail_because_it_raises_nothing():
    """Issue #12 item 4: 38 → 37 is measurement noise."""
    assert Signal.ALLIANCE not in details(with_srs(38.0, 37.0))


def test_no_change_names_the_difference_and_the_reliable_change():
    found = details(sessions(20.0, 21.0, 22.0, 22.5))
    assert found[Signal.NO_CHANGE] == (
        "ORS 22.5 at session 4 differs by 2.5 from the intake 20.0, less than the reliable change 5"
    )


def test_a_slight_drop_without_change_shows_the_size_of_the_difference():
    found = details(sessions(20.0, 19.0, 18.0, 17.0))
    assert "differs by 3.0 from the intake 20.0" in found[Signal.NO_CHANGE]


@pytest.mark.parametrize(
    ("last", "text"),
    [
        (SessionScores(3, ors=None, srs=38.0), "Session 3 has no ORS from the client"),
        (SessionScores(3, ors=22.0, srs=None), "Session 3 has no SRS from the client"),
        (SessionScores(3), "Session 3 has neither ORS nor SRS from the client"),
    ],
)
def test_missing_names_the_session_and_what_is_missing(last, text):
    assert details([*sessions(20.0, 21.0), last])[Signal.MISSING] == text


def test_without_an_alliance_form_only_a_missing_ors_counts():
    records = [*sessions(20.0, 21.0, srs=None), SessionScores(3)]
    found = details(records, alliance=None)
    assert found[Signal.MISSING] == "Session 3 has no ORS from the client"


def test_above_the_cutoff_at_intake_names_both_numbers():
    found = details(sessions(26.5))
    assert found[Signal.ABOVE_CUTOFF_AT_INTAKE] == ("Intake ORS 26.5 is at or above the cutoff 25")


def test_configured_thresholds_show_as_configured():
    norms = Norms(cutoff=Decimal("27.5"), reliable_change=Decimal("4.3"))
    found = details(sessions(28.0, 23.0), norms=norms)
    assert found[Signal.DETERIORATED].endswith("(reliable change 4.3)")
    assert found[Signal.ABOVE_CUTOFF_AT_INTAKE].endswith("the cutoff 27.5")


def test_numbers_use_the_norwegian_decimal_comma():
    with translation.override("nb"):
        found = details(with_srs(39.0, 34.5))
        assert score_text(Decimal("34.5")) == "34,5"
        assert limit_text(Decimal("4.3")) == "4,3"
        assert limit_text(Decimal("36.0")) == "36"
    assert "34,5" in found[Signal.ALLIANCE]
    assert "(39,0 → 34,5)" in found[Signal.ALLIANCE]
    assert "4,5" in found[Signal.ALLIANCE]


def test_scores_are_rounded_not_cut_off():
    assert score_text(21.349) == "21.3"
    assert score_text(21.35) == "21.4"
    assert score_text(Decimal("27.46")) == "27.5"


def test_only_the_signals_asked_for_are_explained():
    records = sessions(21.0, 15.0)
    found = signal_details([Signal.DETERIORATED], records, ADULT, ALLIANCE, DEFAULT_MODEL)
    assert list(found) == [Signal.DETERIORATED]


def test_the_series_records_of_the_ratings_app_can_be_used_directly():
    import datetime

    day = datetime.date(2026, 1, 5)
    records = [
        SessionRecord(1, 1, day, ors=Decimal("20.0"), srs=Decimal("38.0")),
        SessionRecord(
            2,
            2,
            day,
            ors=Decimal("14.0"),
            srs=Decimal("37.0"),
            srs_items={"relationship": Decimal("8.5"), "goals": Decimal("9.5")},
        ),
    ]
    found = details(records)
    assert found[Signal.DETERIORATED] == "ORS 14.0 is 6.0 below the intake 20.0 (reliable change 5)"
    assert found[Signal.ALLIANCE] == "“Was I heard and respected?” 8.5 is below 9"


def test_every_signal_has_a_detail():
    assert set(DETAILS) == set(Signal)
