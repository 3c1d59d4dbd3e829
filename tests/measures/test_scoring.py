"""Scoring and change rules, over the whole 0–40 range and every age group."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.measures.definitions import Norms, parse_definition
from services.measures.loading import BUILTIN_DIR
from services.measures.scoring import (
    OutcomeCategory,
    ScoreError,
    change_category,
    effect_size,
    parse_score,
    sample_sd_from_sums,
    score_items,
    score_total_only,
)

ORS = parse_definition(json.loads((BUILTIN_DIR / "ors.json").read_text()))
CORS = parse_definition(json.loads((BUILTIN_DIR / "cors.json").read_text()))
NORMS = {**ORS.norms, **CORS.norms}
YCORS = parse_definition(json.loads((BUILTIN_DIR / "ycors.json").read_text()))
TEN = Decimal(10)

totals = st.decimals(min_value=0, max_value=40, places=1, allow_nan=False, allow_infinity=False)
age_groups = st.sampled_from(sorted(NORMS))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", "0.0"),
        ("10", "10.0"),
        ("7.3", "7.3"),
        ("7,3", "7.3"),
        ("10.0", "10.0"),
        ("0,0", "0.0"),
        (4, "4.0"),
        (0, "0.0"),
        (7.5, "7.5"),
        (10.0, "10.0"),
        ("7.30", "7.3"),
        (Decimal("2.5"), "2.5"),
    ],
)
def test_valid_scores_are_read_exactly(raw, expected):
    assert parse_score(raw, maximum=TEN) == Decimal(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "not been answered"),
        ("", "not been answered"),
        ("  ", "not been answered"),
        ("abc", "must be a number"),
        ("nan", "must be a number"),
        ("inf", "must be a number"),
        (True, "must be a number"),
        ("-0.1", "between 0 and 10"),
        ("10.1", "between 0 and 10"),
        ("1e9999999", "must be a number"),
        ("7.35", "at most 1 decimal"),
        ("1e-99999", "must be a number"),
        ("-0", "between 0 and 10"),
        ("-0.0", "between 0 and 10"),
        ("-0,0", "between 0 and 10"),
        (-0.0, "between 0 and 10"),
        (Decimal("-0.0"), "between 0 and 10"),
        (-1, "between 0 and 10"),
        (10.5, "between 0 and 10"),
        (1e300, "between 0 and 10"),
        (7.25, "at most 1 decimal"),
        (1e-7, "at most 1 decimal"),
        (float("nan"), "must be a number"),
        (float("inf"), "must be a number"),
        (Decimal("NaN"), "must be a number"),
        ("\u0665", "must be a number"),
        ("\u0667.\u0665", "must be a number"),
        ("\uff15", "must be a number"),
        ("+5", "must be a number"),
        ("5e0", "must be a number"),
        (" 5 ", "must be a number"),
        ("5\n", "must be a number"),
        ("5.", "must be a number"),
        (".5", "must be a number"),
        ("5,5,5", "must be a number"),
        ("5_0", "must be a number"),
        ("0x5", "must be a number"),
        ([5], "must be a number"),
        ({"value": 5}, "must be a number"),
    ],
)
def test_invalid_scores_say_why(raw, message):
    with pytest.raises(ScoreError, match=message):
        parse_score(raw, maximum=TEN)


@given(
    st.one_of(
        st.sampled_from(["-0", "-0.0", "-0,0", -0.0, Decimal("-0.0"), Decimal("-0E+1")]),
        st.from_regex(r"-?[0-9]{1,2}([.,][0-9]{1,2})?", fullmatch=True),
        st.text(max_size=8),
        st.floats(),
        st.integers(),
        st.decimals(),
    )
)
def test_a_score_is_never_negative_zero_nor_out_of_range(raw):
    try:
        score = parse_score(raw, maximum=TEN)
    except ScoreError:
        return
    assert not score.is_signed()
    assert Decimal(0) <= score <= TEN
    assert str(score) == f"{score:.1f}"


def test_items_add_up_exactly():
    scored = score_items(
        ORS, {"individually": "7.3", "interpersonally": "5.1", "socially": "0", "overall": "10"}
    )
    assert scored.total == Decimal("22.4")
    assert scored.items["socially"] == Decimal("0.0")


def test_a_missing_item_is_not_answered_never_zero():
    with pytest.raises(ScoreError) as error:
        score_items(ORS, {"individually": "7", "interpersonally": "5", "socially": "4"})
    assert error.value.field == "overall"


def test_unknown_items_are_refused():
    values = {key: "5" for key in ORS.item_keys} | {"mood": "3"}
    with pytest.raises(ScoreError, match="mood"):
        score_items(ORS, values)


def test_total_only_keeps_items_empty():
    scored = score_total_only(ORS, "31.5")
    assert scored.items is None
    assert scored.total == Decimal("31.5")
    with pytest.raises(ScoreError, match="between 0 and 40"):
        score_total_only(ORS, "40.1")


@given(st.lists(st.decimals(0, 10, places=1), min_size=4, max_size=4))
def test_any_four_valid_items_total_their_sum(values):
    scored = score_items(ORS, dict(zip(ORS.item_keys, map(str, values), strict=True)))
    assert scored.total == sum(values, Decimal(0))
    assert Decimal(0) <= scored.total <= Decimal(40)


ADULT = Norms(cutoff=Decimal(25), reliable_change=Decimal(5))


@pytest.mark.parametrize(
    ("intake", "end", "expected"),
    [
        ("15", "25", OutcomeCategory.RECOVERED),  # crosses the cutoff exactly
        ("20", "25", OutcomeCategory.RECOVERED),  # change exactly RCI
        ("15", "24.9", OutcomeCategory.IMPROVED),  # reliable but below cutoff
        ("25", "35", OutcomeCategory.IMPROVED),  # started at the cutoff: cannot recover
        ("20", "24.9", OutcomeCategory.UNCHANGED),
        ("20", "15.1", OutcomeCategory.UNCHANGED),
        ("20", "15", OutcomeCategory.DETERIORATED),
        ("30", "10", OutcomeCategory.DETERIORATED),
    ],
)
def test_change_categories_at_their_edges(intake, end, expected):
    assert change_category(Decimal(intake), Decimal(end), ADULT) == expected


@given(intake=totals, end=totals, age_group=age_groups)
def test_change_category_matches_its_definition_everywhere(intake, end, age_group):
    norms = NORMS[age_group]
    category = change_category(intake, end, norms)
    change = end - intake
    if change >= norms.reliable_change:
        recovered = intake < norms.cutoff <= end
        assert category == (OutcomeCategory.RECOVERED if recovered else OutcomeCategory.IMPROVED)
    elif change <= -norms.reliable_change:
        assert category == OutcomeCategory.DETERIORATED
    else:
        assert category == OutcomeCategory.UNCHANGED


@given(intake=totals, age_group=age_groups)
def test_only_an_intake_below_the_cutoff_can_recover(intake, age_group):
    norms = NORMS[age_group]
    category = change_category(intake, Decimal(40), norms)
    if intake >= norms.cutoff:
        assert category != OutcomeCategory.RECOVERED


def test_child_norms_need_more_change():
    assert change_category(Decimal(20), Decimal(25), NORMS["adult"]) == OutcomeCategory.RECOVERED
    assert change_category(Decimal(20), Decimal(25), NORMS["child"]) == OutcomeCategory.UNCHANGED
    assert change_category(Decimal(20), Decimal(26), NORMS["child"]) == OutcomeCategory.IMPROVED


def test_the_young_child_form_is_not_judged():
    # Issue #12 item 6: the under-6 form is faces-only and normally unscored, so a young child
    # is no longer judged with the child form's norms (26 → 32 used to be "recovered").
    assert "young_child" not in NORMS
    assert YCORS.scored is False and YCORS.norms == {}


def test_effect_size_uses_the_sample_sd_of_intake():
    intakes, ends = [10, 20, 30], [20, 25, 35]
    # mean change (80/3 - 20) = 6.667; sample SD of intake = 10
    assert effect_size(intakes, ends) == pytest.approx(0.6667, abs=1e-4)


def test_effect_size_is_undefined_without_spread_or_data():
    assert effect_size([], []) is None
    assert effect_size([20], [30]) is None
    assert effect_size([20, 20], [25, 30]) is None
    with pytest.raises(ValueError):
        effect_size([1, 2], [3])


@given(st.lists(st.decimals(0, 40, places=1), min_size=2, max_size=50))
def test_sd_from_sums_matches_the_direct_sample_sd(values):
    import statistics

    floats = [float(v) for v in values]
    got = sample_sd_from_sums(len(floats), sum(floats), sum(v * v for v in floats))
    assert got == pytest.approx(statistics.stdev(floats), abs=1e-6)


def test_sd_from_sums_is_undefined_for_one_value():
    assert sample_sd_from_sums(1, 20.0, 400.0) is None
