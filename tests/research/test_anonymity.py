"""k_anonymise on hand-made rows: it climbs only as far as it must, suppresses what is left, and
every class it returns has k or more."""

from collections import Counter

import pytest

from services.research.anonymity import (
    ALL,
    DEFAULT_LADDER,
    Step,
    always_all,
    classes,
    k_anonymise,
    quarter_to_year,
    to_all,
)

QI = ("service", "team", "age_group", "start_quarter", "end_quarter")


def row(team="a", age="adult", start="2026-Q1", end="", person=None, n=0) -> dict:
    return {
        "service": "s1",
        "team": team,
        "age_group": age,
        "start_quarter": start,
        "end_quarter": end,
        "score": n,
        "_person": person if person is not None else f"p{team}{age}{start}{end}{n}",
    }


def many(count: int, **values) -> list[dict]:
    return [row(n=i, **values) for i in range(count)]


def smallest(rows, k=5) -> int:
    sizes = Counter(tuple(r[c] for c in QI) for r in rows)
    return min(sizes.values()) if sizes else k


def test_nothing_in_nothing_out():
    rows, report = k_anonymise([], QI)
    assert rows == []
    assert report.rows_in == report.rows_out == report.suppressed == 0
    assert report.steps == ()
    assert report.smallest_class is None


def test_a_class_of_exactly_k_is_kept_as_it_is():
    data = many(5, team="a") + many(5, team="b")
    rows, report = k_anonymise(data, QI, k=5)
    assert report.steps == ()
    assert report.suppressed == 0
    assert report.smallest_class == 5
    assert {r["team"] for r in rows} == {"a", "b"}


def test_one_short_of_k_and_nothing_to_merge_with_is_suppressed():
    data = many(4, team="a")
    rows, report = k_anonymise(data, QI, k=5)
    assert rows == []
    assert report.suppressed == 4
    assert report.steps == tuple(step.name for step in DEFAULT_LADDER)  # it tried all


def test_all_unique_rows_end_in_one_class_at_the_top_of_the_ladder():
    data = [
        row(team=f"t{i}", age=age, start=f"202{5 + i % 2}-Q{1 + i % 4}", n=i)
        for i, age in enumerate(["adult", "child", "adolescent", "young_child"] * 3)
    ]
    assert smallest(data) == 1
    rows, report = k_anonymise(data, QI, k=5)
    assert report.steps == tuple(step.name for step in DEFAULT_LADDER)
    assert report.suppressed == 0
    assert {(r["team"], r["age_group"], r["start_quarter"]) for r in rows} == {(ALL, ALL, ALL)}
    assert report.classes == 1 and report.smallest_class == 12


def test_it_stops_at_the_first_rung_that_is_enough():
    # Two small teams that together make ten: generalising the team is enough, quarters stay.
    data = many(3, team="a") + many(7, team="b", start="2026-Q2") + many(2, team="c")
    data += many(6, team="a", start="2026-Q2")
    rows, report = k_anonymise(data, QI, k=5, max_suppressed=0)
    assert report.steps == ("team",)
    assert {r["start_quarter"] for r in rows} == {"2026-Q1", "2026-Q2"}
    assert {r["team"] for r in rows} == {ALL}
    assert report.at_risk == (5, 0)
    assert smallest(rows) >= 5


def test_a_few_stragglers_are_suppressed_rather_than_coarsening_everyone():
    data = many(50, team="a") + many(50, team="b") + many(2, team="c")
    rows, report = k_anonymise(data, QI, k=5, max_suppressed=0.05)
    assert report.steps == ()
    assert report.suppressed == 2
    assert len(rows) == 100
    assert "c" not in {r["team"] for r in rows}


def test_with_no_suppression_allowed_it_climbs_instead():
    data = many(50, team="a") + many(50, team="b") + many(2, team="c")
    rows, report = k_anonymise(data, QI, k=5, max_suppressed=0)
    assert report.steps == ("team",)
    assert report.suppressed == 0
    assert len(rows) == 102


def test_quarters_become_years_for_start_and_end_alike():
    data = [row(start=f"2026-Q{1 + i % 4}", end=f"2026-Q{1 + i % 4}", n=i) for i in range(8)]
    data += [row(start="2025-Q4", end="", n=i) for i in range(5)]
    rows, report = k_anonymise(data, QI, k=5, max_suppressed=0)
    assert report.steps == ("team", "quarter_to_year")
    assert Counter((r["start_quarter"], r["end_quarter"]) for r in rows) == {
        ("2026", "2026"): 8,
        ("2025", ""): 5,
    }


def test_people_not_rows_when_told_whose_rows_they_are():
    # Five rows, but only two clients: not five people to hide among.
    data = [row(person="p1", n=i) for i in range(3)] + [row(person="p2", n=i) for i in range(2)]
    kept, _ = k_anonymise(data, QI, k=5)
    assert len(kept) == 5
    kept, report = k_anonymise(data, QI, k=5, person="_person")
    assert kept == []
    assert report.suppressed == 5


def test_minimum_level_starts_higher_and_never_goes_back():
    data = many(10, team="a") + many(10, team="b")
    rows, report = k_anonymise(data, QI, k=5, minimum_level=2)
    assert report.steps == ("team", "quarter_to_year")
    assert {r["team"] for r in rows} == {ALL}
    assert {r["start_quarter"] for r in rows} == {"2026"}


def test_the_input_is_left_as_it_was():
    data = many(3, team="a") + many(3, team="b")
    before = [dict(r) for r in data]
    k_anonymise(data, QI, k=5)
    assert data == before


def test_other_columns_pass_through_untouched():
    data = many(6, team="a")
    rows, _ = k_anonymise(data, QI, k=5)
    assert sorted(r["score"] for r in rows) == list(range(6))


def test_every_class_left_has_k_whatever_the_mix():
    import random

    rng = random.Random(7)
    data = [
        row(
            team=rng.choice("abc"),
            age=rng.choice(["adult", "adult", "adult", "child", "adolescent"]),
            start=f"{rng.choice([2025, 2026])}-Q{rng.randint(1, 4)}",
            end=rng.choice(["", "2026-Q3", "2026-Q4"]),
            n=i,
        )
        for i in range(300)
    ]
    for k in (2, 5, 11):
        rows, report = k_anonymise(data, QI, k=k)
        assert smallest(rows, k) >= k
        assert report.rows_out + report.suppressed == 300
        assert min(classes(rows, QI).values()) == report.smallest_class


def test_a_custom_ladder_and_the_small_steps():
    ladder = (Step("age", {"age_group": to_all}),)
    data = many(3, age="child") + many(3, age="adolescent")
    rows, report = k_anonymise(data, QI, k=5, ladder=ladder)
    assert report.steps == ("age",)
    assert {r["age_group"] for r in rows} == {ALL}
    assert quarter_to_year("2026-Q3") == "2026"
    assert quarter_to_year("2026") == "2026"
    assert quarter_to_year("") == ""
    assert to_all("") == "" and to_all("x") == ALL
    assert always_all("") == ALL


@pytest.mark.parametrize(("k", "level"), [(0, 0), (5, -1), (5, 5)])
def test_nonsense_is_refused(k, level):
    with pytest.raises(ValueError):
        k_anonymise([], QI, k=k, minimum_level=level)
