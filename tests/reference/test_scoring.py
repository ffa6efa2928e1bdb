"""Hand-checked cases for the reference scoring implementation.

Every expected number below is worked out by hand in a comment; none is
copied from the implementation's output. The as-of date is 2024-06-30
throughout, so "2024-06-29" is 1 day old, "2024-06-23" 7 days old, etc.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from .scoring import (
    Result,
    lead_market,
    matches,
    parse_timestamp,
    read_csv_rows,
    score,
)

AS_OF = dt.date(2024, 6, 30)
SC = "sc"

Row = dict[str, str | None]


# ------------------------------------------------------------------ helpers


def lead(lead_id: str | None, **cols: str | None) -> Row:
    row: Row = {"lead_id": lead_id, "created_at": "2024-01-01"}
    row.update(cols)
    return row


def lead_rule(
    rule_id: str, points: str, field: str, operator: str, value: str | None, **kw: str
) -> Row:
    row: Row = {
        "scorecard_id": SC,
        "rule_id": rule_id,
        "dimension": "fit",
        "score_group": "fit_group",
        "source": "lead",
        "field": field,
        "operator": operator,
        "value": value,
        "points": points,
        "description": rule_id,
    }
    row.update(kw)
    return row


def activity_rule(
    rule_id: str, points: str, activity_type: str, frequency: str, **kw: str
) -> Row:
    row: Row = {
        "scorecard_id": SC,
        "rule_id": rule_id,
        "dimension": "engagement",
        "score_group": "engagement_group",
        "source": "activity",
        "activity_type": activity_type,
        "points": points,
        "frequency": frequency,
        "description": rule_id,
    }
    row.update(kw)
    return row


def event(
    event_id: str | None,
    lead_id: str | None,
    event_type: str,
    occurred_at: str | None,
    **props: str,
) -> Row:
    row: Row = {
        "event_id": event_id,
        "lead_id": lead_id,
        "event_type": event_type,
        "occurred_at": occurred_at,
    }
    row.update(props)
    return row


def run(**kw: object) -> Result:
    args: dict[str, object] = {
        "leads": [],
        "lead_attributes": [],
        "events": [],
        "rules": [],
        "groups": [],
        "bands": [],
        "grades": [],
        "country_markets": [],
        "as_of": AS_OF,
    }
    args.update(kw)
    return score(**args)  # type: ignore[arg-type]


def contribution(result: Result, lead_id: str, rule_id: str) -> float | None:
    return result.contributions.get((lead_id, SC, rule_id))


# ------------------------------------------------- section 4 worked example


def test_worked_example_from_the_spec() -> None:
    rules = [
        lead_rule("director", "10", "job_title", "equals", "Director"),
        lead_rule("manager", "5", "job_title", "equals", "Manager"),
        lead_rule("tech", "10", "industry", "equals", "Technology"),
        lead_rule("edu", "5", "industry", "equals", "Education"),
        activity_rule("opens", "5", "email_open", "once"),
        activity_rule(
            "no_opens", "-10", "email_open", "once", min_count="0", max_count="0"
        ),
        activity_rule("visits", "10", "page_view", "once", min_count="4"),
        activity_rule(
            "ebook",
            "15",
            "content_download",
            "once",
            field="content_type",
            operator="equals",
            value="ebook",
        ),
        activity_rule(
            "whitepaper",
            "20",
            "content_download",
            "once",
            field="content_type",
            operator="equals",
            value="whitepaper",
        ),
    ]
    # "Leads above 30 points are qualified": points are whole numbers here,
    # so "above 30" is "at least 31".
    bands = [
        {"scorecard_id": SC, "band": "not qualified", "min_score": None},
        {"scorecard_id": SC, "band": "qualified", "min_score": "31"},
    ]
    leads = [
        lead("A", job_title="Director", industry="Technology"),
        lead("B", job_title="Manager", industry="Education"),
    ]
    events = [
        event("e1", "A", "email_open", "2024-06-01"),
        event("e2", "A", "page_view", "2024-06-02"),
        event("e3", "A", "page_view", "2024-06-03"),
        event("e4", "A", "page_view", "2024-06-04"),
        event("e5", "A", "page_view", "2024-06-05"),
        event("e6", "A", "content_download", "2024-06-06", content_type="ebook"),
        event("e7", "B", "content_download", "2024-06-06", content_type="whitepaper"),
    ]
    result = run(leads=leads, events=events, rules=rules, bands=bands)

    # A: director 10 + tech 10 + opens 5 + visits 10 + ebook 15 = 50.
    a = result.scores[("A", SC)]
    assert (a.fit_score, a.engagement_score, a.total_score) == (20, 30, 50)
    assert a.band == "qualified"
    assert a.grade is None  # this scorecard has no grades
    assert {k[2]: v for k, v in result.contributions.items() if k[0] == "A"} == {
        "director": 10,
        "tech": 10,
        "opens": 5,
        "visits": 10,
        "ebook": 15,
    }
    assert result.activity_counts[("A", SC, "visits")] == 4

    # B: manager 5 + edu 5 + no_opens -10 + whitepaper 20 = 20.
    b = result.scores[("B", SC)]
    assert (b.fit_score, b.engagement_score, b.total_score) == (10, 10, 20)
    assert b.band == "not qualified"
    assert {k[2]: v for k, v in result.contributions.items() if k[0] == "B"} == {
        "manager": 5,
        "edu": 5,
        "no_opens": -10,
        "whitepaper": 20,
    }
    assert result.activity_counts[("B", SC, "no_opens")] == 0
    assert result.quarantine == []
    assert result.group_adjustments == {}


# ----------------------------------------------------------------- operators


@pytest.mark.parametrize(
    ("operator", "actual", "value", "expected"),
    [
        # equals / not_equals: case and surrounding spaces ignored on both sides
        ("equals", "  Director ", "director", True),
        ("equals", "Director", " DIRECTOR\t", True),
        ("equals", "Director of Sales", "director", False),
        ("equals", None, "director", False),
        ("not_equals", "Manager", "director", True),
        ("not_equals", "Director", "DIRECTOR", False),
        ("not_equals", None, "director", False),  # missing never matches
        ("not_equals", "   ", "director", False),  # blank is missing
        # in / not_in: "|"-separated, each part normalised, empty parts dropped
        ("in", " saas ", "Technology| SaaS |", True),
        ("in", "Retail", "Technology|SaaS", False),
        ("in", None, "Technology|SaaS", False),
        ("not_in", "Retail", "Technology|SaaS", True),
        ("not_in", "saas", "Technology| SaaS", False),
        ("not_in", "", "Technology|SaaS", False),  # missing never matches
        # contains / starts_with: literal text, % and _ are ordinary characters
        ("contains", "VP of Sales", "of sal", True),
        ("contains", "VP of Sales", "v%s", False),
        ("contains", "100% remote", "0% R", True),
        ("contains", None, "x", False),
        ("starts_with", "  /Pricing/plans", "/pricing", True),
        ("starts_with", "/pricing", "/p_icing", False),
        ("starts_with", "a_b", "A_", True),
        ("starts_with", "/about", "/pricing", False),
        # numeric comparisons
        ("gt", " 100 ", "99.5", True),
        ("gt", "100", "100", False),
        ("gte", "100", "100.0", True),
        ("lt", "-5", "0", True),
        ("lt", "0", "0", False),
        ("lte", "1e2", "100", True),  # 1e2 parses as 100.0
        ("gt", "lots", "10", False),  # non-number: rule does not apply
        ("gt", "10", "ten", False),  # non-number value: does not apply
        ("gt", "nan", "10", False),
        ("lt", "nan", "10", False),
        ("gt", "inf", "10", False),
        ("gt", None, "10", False),
        ("between", "50", "50|200", True),  # low bound inclusive
        ("between", "200", "50|200", True),  # high bound inclusive
        ("between", "49.99", "50|200", False),
        ("between", "200.01", "50|200", False),
        ("between", " 75 ", " 50 | 200 ", True),
        ("between", "75", "50|x", False),
        ("between", "75", "50", False),
        # range: half-open low <= x < high, an empty side an open end
        ("range", "50", "50|500", True),  # low bound inclusive
        ("range", "500", "50|500", False),  # high bound exclusive
        ("range", "499.99", "50|500", True),
        ("range", "49.99", "50|500", False),
        ("range", "-1e9", "|50", True),  # open low end
        ("range", "50", "|50", False),
        ("range", "500", "500|", True),  # open high end
        ("range", "1e12", "500|", True),
        ("range", " 75 ", " 50 | 500 ", True),
        ("range", "many", "50|500", False),  # attribute not a number
        ("range", None, "|50", False),  # missing matches only is_null
        ("range", "", "500|", False),
        # is_null / is_not_null
        ("is_null", None, None, True),
        ("is_null", "", None, True),
        ("is_null", "  \t", None, True),
        ("is_null", "x", None, False),
        ("is_not_null", "x", None, True),
        ("is_not_null", " ", None, False),
        ("is_not_null", None, None, False),
    ],
)
def test_operator(
    operator: str, actual: str | None, value: str | None, expected: bool
) -> None:
    assert matches(operator, actual, value) is expected


@pytest.mark.parametrize("number", ["-3", "0", "49.999", "50", "50.5", "499", "500", "7e5"])
def test_adjacent_range_bins_cover_every_number_once(number: str) -> None:
    bins = ["|50", "50|500", "500|"]
    assert sum(matches("range", number, b) for b in bins) == 1


def test_operators_through_score_with_quotes_matched_literally() -> None:
    leads = [
        lead(
            "L1",
            company_name="O'Reilly; drop table x",
            employee_count="250",
            annual_revenue="n/a",
            city=None,
        )
    ]
    rules = [
        lead_rule("quote", "1", "company_name", "starts_with", "o'reilly;"),
        lead_rule("big", "2", "employee_count", "between", "200|250"),
        lead_rule("rich", "4", "annual_revenue", "gt", "0"),  # n/a: not a number
        lead_rule("no_rev", "8", "annual_revenue", "is_null", None),  # not null
        lead_rule("no_city", "16", "city", "is_null", None),
        lead_rule("not_city", "32", "city", "not_equals", "Paris"),  # missing
        lead_rule("FIELD_CASE", "64", " Employee_Count ", "gte", "250"),
    ]
    result = run(leads=leads, rules=rules)
    # Applies: quote 1 + big 2 + no_city 16 + FIELD_CASE 64 = 83.
    assert result.scores[("L1", SC)].fit_score == 83
    assert {k[2] for k in result.contributions} == {
        "quote",
        "big",
        "no_city",
        "FIELD_CASE",
    }


# ------------------------------------------------------------ activity rules


def _page_views(lead_id: str, *dates: str) -> list[Row]:
    return [
        event(f"{lead_id}-{i}", lead_id, "page_view", d, page_path=f"/p{i}")
        for i, d in enumerate(dates)
    ]


def test_each_and_once_without_decay() -> None:
    events = _page_views("L1", "2024-06-30", "2024-06-20", "2024-05-01")
    rules = [
        activity_rule("each", "3", "page_view", "each"),
        activity_rule("once", "7", "page_view", "once"),
    ]
    result = run(leads=[lead("L1")], events=events, rules=rules)
    # each: 3 points x 3 views = 9; once: 7.
    assert contribution(result, "L1", "each") == 9
    assert contribution(result, "L1", "once") == 7
    assert result.activity_counts[("L1", SC, "each")] == 3
    assert result.scores[("L1", SC)].engagement_score == 16  # 9 + 7


def test_half_life_decay_each_and_once() -> None:
    # ages 0, 2 and 4 days, half-life 2 days: factors 1, 0.5 and 0.25.
    events = _page_views("L1", "2024-06-30", "2024-06-28", "2024-06-26T23:59:59")
    rules = [
        activity_rule("each", "8", "page_view", "each", half_life_days="2"),
        # once: decay of the newest activity (age 0) -> 8 * 1 = 8
        activity_rule("once", "8", "page_view", "once", half_life_days="2"),
    ]
    result = run(leads=[lead("L1")], events=events, rules=rules)
    # each: 8 * (1 + 0.5 + 0.25) = 14
    assert contribution(result, "L1", "each") == pytest.approx(14)
    assert contribution(result, "L1", "once") == pytest.approx(8)

    # once, newest activity 2 days old, half-life 4: 10 * 0.5 ** (2 / 4)
    # = 10 * 0.70710678 = 7.0710678 -> published 7.07
    events = _page_views("L2", "2024-06-28", "2024-06-20")
    rules = [activity_rule("once", "10", "page_view", "once", half_life_days="4")]
    result = run(leads=[lead("L2")], events=events, rules=rules)
    assert contribution(result, "L2", "once") == pytest.approx(7.0710678, abs=1e-6)
    row = result.scores[("L2", SC)]
    assert row.engagement_score == 7.07
    assert row.total_score == 7.07
    assert row.total_unrounded == pytest.approx(7.0710678, abs=1e-6)


def test_future_activities_do_not_count() -> None:
    # 2024-07-01 is after the as-of date: age -1, ignored.
    # 2024-06-30T23:30-02:00 is 2024-07-01 01:30 UTC: also the future.
    events = _page_views("L1", "2024-06-30", "2024-07-01", "2024-06-30T23:30:00-02:00")
    # An event at 2024-07-01T01:00+02:00 is 2024-06-30 23:00 UTC: age 0, counts.
    events.append(event("x", "L1", "page_view", "2024-07-01T01:00:00+02:00"))
    rules = [activity_rule("each", "1", "page_view", "each")]
    result = run(leads=[lead("L1")], events=events, rules=rules)
    assert result.activity_counts[("L1", SC, "each")] == 2  # 06-30 and x
    assert contribution(result, "L1", "each") == 2


def test_window_days_is_inclusive() -> None:
    # ages: 0, 7 (2024-06-23) and 8 (2024-06-22); window 7 keeps 0 and 7.
    events = _page_views("L1", "2024-06-30", "2024-06-23T23:00:00", "2024-06-22")
    rules = [
        activity_rule("win", "5", "page_view", "each", window_days="7"),
        activity_rule("all", "1", "page_view", "each"),
    ]
    result = run(leads=[lead("L1")], events=events, rules=rules)
    assert result.activity_counts[("L1", SC, "win")] == 2
    assert contribution(result, "L1", "win") == 10  # 5 * 2
    assert contribution(result, "L1", "all") == 3


def test_window_and_decay_together() -> None:
    # ages 1 and 3 within window 3; age 4 outside. half-life 1:
    # 4 * (0.5 ** 1 + 0.5 ** 3) = 4 * (0.5 + 0.125) = 2.5
    events = _page_views("L1", "2024-06-29", "2024-06-27", "2024-06-26")
    rule = activity_rule(
        "r", "4", "page_view", "each", window_days="3", half_life_days="1"
    )
    result = run(leads=[lead("L1")], events=events, rules=[rule])
    assert contribution(result, "L1", "r") == pytest.approx(2.5)
    assert result.scores[("L1", SC)].total_score == 2.5


@pytest.mark.parametrize(
    ("n", "applies"), [(0, False), (1, False), (2, True), (3, True), (4, False)]
)
def test_min_count_and_max_count_bounds(n: int, applies: bool) -> None:
    events = _page_views("L1", *["2024-06-01"] * n)
    rule = activity_rule("r", "6", "page_view", "once", min_count="2", max_count="3")
    result = run(leads=[lead("L1")], events=events, rules=[rule])
    # applies only for 2 <= n <= 3, then 6 points once
    assert contribution(result, "L1", "r") == (6 if applies else None)
    assert result.scores[("L1", SC)].total_score == (6 if applies else 0)
    if applies:
        assert result.activity_counts[("L1", SC, "r")] == n
    else:
        assert ("L1", SC, "r") not in result.activity_counts


def test_default_min_count_is_one_and_zero_count_each_contributes_zero() -> None:
    rules = [
        activity_rule("default_min", "5", "webinar_attended", "once"),
        # min_count 0 with "each": applies with n = 0 and adds 0 points
        activity_rule("each_zero", "5", "webinar_attended", "each", min_count="0"),
        # min_count 0, no max: once with n = 0 gives the full points
        activity_rule("once_zero", "2", "webinar_attended", "once", min_count="0"),
    ]
    result = run(leads=[lead("L1")], rules=rules)
    assert contribution(result, "L1", "default_min") is None
    assert contribution(result, "L1", "each_zero") == 0
    assert contribution(result, "L1", "once_zero") == 2
    assert result.activity_counts[("L1", SC, "each_zero")] == 0
    assert result.scores[("L1", SC)].total_score == 2


def test_absence_rule_zero_zero() -> None:
    rule = activity_rule(
        "no_opens",
        "-10",
        "email_open",
        "once",
        min_count="0",
        max_count="0",
        half_life_days="1",  # no activity: once gives plain points, no decay
    )
    leads = [lead("quiet"), lead("reader")]
    events = [
        event("e1", "reader", "email_open", "2024-06-01"),
        # a click is not an open: does not break quiet's absence
        event("e2", "quiet", "email_click", "2024-06-01"),
        # an open after the as-of date does not count either
        event("e3", "quiet", "email_open", "2024-07-02"),
    ]
    result = run(leads=leads, events=events, rules=[rule])
    assert contribution(result, "quiet", "no_opens") == -10
    assert result.scores[("quiet", SC)].total_score == -10
    assert contribution(result, "reader", "no_opens") is None
    assert result.scores[("reader", SC)].total_score == 0


def test_activity_field_filter_and_type_normalisation() -> None:
    events = [
        event("e1", "L1", " Page_View ", "2024-06-01", page_path="/Pricing/team"),
        event("e2", "L1", "page_view", "2024-06-02", page_path="/pricing"),
        event("e3", "L1", "page_view", "2024-06-03", page_path="/blog"),
        event("e4", "L1", "page_view", "2024-06-04"),  # no page_path
        event("e5", "L1", "email_open", "2024-06-04", campaign_id="C-7"),
    ]
    rules = [
        activity_rule(
            "pricing",
            "2",
            "PAGE_VIEW",
            "each",
            field="page_path",
            operator="starts_with",
            value="/pricing",
        ),
        activity_rule(
            "no_path",
            "100",
            "page_view",
            "each",
            field="page_path",
            operator="is_null",
        ),
        activity_rule(
            "campaign",
            "1",
            "email_open",
            "once",
            field="campaign_id",
            operator="in",
            value="c-7|c-8",
        ),
    ]
    result = run(leads=[lead("L1")], events=events, rules=rules)
    assert result.activity_counts[("L1", SC, "pricing")] == 2  # e1, e2
    assert contribution(result, "L1", "pricing") == 4
    assert result.activity_counts[("L1", SC, "no_path")] == 1  # e4
    assert contribution(result, "L1", "no_path") == 100
    assert contribution(result, "L1", "campaign") == 1
    assert result.scores[("L1", SC)].total_score == 105


# ---------------------------------------------------------------- max_points


def test_max_points_caps_absolute_value_both_signs() -> None:
    events = _page_views("L1", *["2024-06-01"] * 3)
    rules = [
        # 4 * 3 = 12, capped at 10
        activity_rule("pos", "4", "page_view", "each", max_points="10"),
        # -5 * 3 = -15, |x| capped at 10 -> -10
        activity_rule("neg", "-5", "page_view", "each", max_points="10"),
        # -2 * 3 = -6, under the cap: unchanged
        activity_rule("small", "-2", "page_view", "each", max_points="10"),
        # lead rule: 25 capped at 20
        lead_rule("lead_cap", "25", "lead_id", "is_not_null", None, max_points="20"),
    ]
    result = run(leads=[lead("L1")], events=events, rules=rules)
    assert contribution(result, "L1", "pos") == 10
    assert contribution(result, "L1", "neg") == -10
    assert contribution(result, "L1", "small") == -6
    assert contribution(result, "L1", "lead_cap") == 20
    row = result.scores[("L1", SC)]
    # engagement 10 - 10 - 6 = -6; fit 20; total 14
    assert (row.fit_score, row.engagement_score, row.total_score) == (20, -6, 14)


def test_max_points_applies_after_decay() -> None:
    # ages 0 and 1, half-life 1: 10 * (1 + 0.5) = 15 -> capped at 12
    events = _page_views("L1", "2024-06-30", "2024-06-29")
    rule = activity_rule(
        "r", "10", "page_view", "each", half_life_days="1", max_points="12"
    )
    result = run(leads=[lead("L1")], events=events, rules=[rule])
    assert contribution(result, "L1", "r") == 12


# -------------------------------------------------------------------- markets


COUNTRY_MARKETS = [
    {"country_code": "DE", "country_name": "Germany", "market": "DACH"},
    {"country_code": "US", "country_name": "United States", "market": "NA"},
    # a name equal to a later row's code: the code match must still win
    {"country_code": "XG", "country_name": "ge", "market": "Wrong"},
    {"country_code": "GE", "country_name": "Georgia", "market": "Caucasus"},
]


@pytest.mark.parametrize(
    ("country", "market"),
    [
        ("DE", "dach"),
        (" de ", "dach"),
        ("GERMANY", "dach"),
        ("united states ", "na"),
        ("ge", "caucasus"),  # code GE beats the name "ge"
        ("Atlantis", "unknown"),
        (None, "unknown"),
        ("  ", "unknown"),
    ],
)
def test_lead_market(country: str | None, market: str) -> None:
    assert lead_market(country, COUNTRY_MARKETS) == market


def test_market_specific_rules() -> None:
    leads = [
        lead("de", country="Germany"),
        lead("us", country=" us"),
        lead("nowhere", country="Atlantis"),
    ]
    rules = [
        lead_rule("all", "1", "lead_id", "is_not_null", None),
        lead_rule("dach", "10", "lead_id", "is_not_null", None, market=" dach "),
        lead_rule("na", "100", "lead_id", "is_not_null", None, market="NA"),
        lead_rule("unk", "1000", "lead_id", "is_not_null", None, market="unknown"),
        activity_rule("na_act", "5", "page_view", "once", market="na"),
        activity_rule(
            "dach_absent",
            "-3",
            "page_view",
            "once",
            min_count="0",
            max_count="0",
            market="DACH",
        ),
    ]
    events = _page_views("us", "2024-06-01")
    result = run(
        leads=leads, events=events, rules=rules, country_markets=COUNTRY_MARKETS
    )
    assert result.scores[("de", SC)].total_score == 8  # 1 + 10 - 3
    assert result.scores[("us", SC)].total_score == 106  # 1 + 100 + 5
    assert result.scores[("nowhere", SC)].total_score == 1001  # 1 + 1000
    assert contribution(result, "us", "dach_absent") is None  # wrong market
    assert ("nowhere", SC, "na_act") not in result.activity_counts


# --------------------------------------------------------------------- groups


def test_group_clamp_max_and_min_with_adjustment_rows() -> None:
    rules = [
        lead_rule("t1", "10", "job_title", "contains", "director", score_group="title"),
        lead_rule("t2", "10", "job_title", "contains", "sales", score_group="title"),
        lead_rule("n1", "-8", "email", "contains", "gmail", score_group="neg"),
        lead_rule("n2", "-4", "email", "contains", ".com", score_group="neg"),
        lead_rule("free", "7", "lead_id", "is_not_null", None, score_group="free"),
        activity_rule("pv", "3", "page_view", "each", score_group="web"),
    ]
    groups = [
        {
            "scorecard_id": SC,
            "score_group": "title",
            "max_points": "15",
            "min_points": None,
        },
        {
            "scorecard_id": SC,
            "score_group": "neg",
            "max_points": None,
            "min_points": "-5",
        },
        {
            "scorecard_id": SC,
            "score_group": "web",
            "max_points": "5",
            "min_points": "0",
        },
        # a cap on another scorecard's group of the same name has no effect
        {
            "scorecard_id": "other",
            "score_group": "free",
            "max_points": "1",
            "min_points": None,
        },
    ]
    leads = [lead("L1", job_title="Sales Director", email="x@gmail.com")]
    events = _page_views("L1", "2024-06-01", "2024-06-02")
    result = run(leads=leads, events=events, rules=rules, groups=groups)
    # title: 10 + 10 = 20 -> clamped to 15, adjustment -5
    # neg: -8 - 4 = -12 -> clamped to -5, adjustment +7
    # free: 7, not in the groups file: no cap
    # web: 3 * 2 = 6 -> clamped to 5, adjustment -1
    assert result.group_adjustments == {
        ("L1", SC, "title"): -5,
        ("L1", SC, "neg"): 7,
        ("L1", SC, "web"): -1,
    }
    row = result.scores[("L1", SC)]
    # fit 15 - 5 + 7 = 17; engagement 5; total 22
    assert (row.fit_score, row.engagement_score, row.total_score) == (17, 5, 22)
    # contributions (before group caps) plus adjustments add up to the total
    ledger = sum(v for k, v in result.contributions.items() if k[0] == "L1")
    ledger += sum(result.group_adjustments.values())
    assert ledger == pytest.approx(row.total_unrounded)


def test_group_min_points_lifts_a_group_where_nothing_applied() -> None:
    # Literal reading of 3.6: the group's sum is 0, then clamped to [2, 10].
    rules = [lead_rule("r", "5", "industry", "equals", "Technology", score_group="g")]
    groups = [
        {"scorecard_id": SC, "score_group": "g", "max_points": "10", "min_points": "2"}
    ]
    result = run(leads=[lead("L1", industry="Retail")], rules=rules, groups=groups)
    assert result.contributions == {}
    assert result.group_adjustments == {("L1", SC, "g"): 2}  # 2 - 0
    assert result.scores[("L1", SC)].fit_score == 2


def test_group_within_caps_has_no_adjustment() -> None:
    rules = [lead_rule("r", "5", "lead_id", "is_not_null", None, score_group="g")]
    groups = [
        {"scorecard_id": SC, "score_group": "g", "max_points": "5", "min_points": "-5"}
    ]
    result = run(leads=[lead("L1")], rules=rules, groups=groups)
    assert result.group_adjustments == {}  # 5 is inside [-5, 5]
    assert result.scores[("L1", SC)].fit_score == 5


# ----------------------------------------------------------- bands and grades


BANDS = [
    {"scorecard_id": SC, "band": "cold", "min_score": None},
    {"scorecard_id": SC, "band": "hot", "min_score": "60"},
    {"scorecard_id": SC, "band": "warm", "min_score": "30"},
]
GRADES = [
    {"scorecard_id": SC, "grade": "A", "min_fit_score": "20"},
    {"scorecard_id": SC, "grade": "B", "min_fit_score": "10"},
    {"scorecard_id": SC, "grade": "C", "min_fit_score": None},
]


@pytest.mark.parametrize(
    ("fit_points", "engagement_points", "band", "grade"),
    [
        ("0", "0", "cold", "C"),
        ("-50", "0", "cold", "C"),  # below every bound: the empty one
        ("10", "19.99", "cold", "B"),  # total 29.99 < 30; fit 10 >= 10
        ("10", "20", "warm", "B"),  # total exactly 30: inclusive
        ("9.999", "20", "warm", "B"),  # fit rounds to 10.00, total to 30.00
        ("9.994", "20", "cold", "C"),  # fit 9.99, total 29.99
        ("20", "40", "hot", "A"),  # total 60, fit 20
        ("25", "100", "hot", "A"),
    ],
)
def test_bands_and_grades(
    fit_points: str, engagement_points: str, band: str, grade: str
) -> None:
    rules = [
        lead_rule("fit", fit_points, "lead_id", "is_not_null", None),
        activity_rule("eng", engagement_points, "page_view", "once", min_count="0"),
    ]
    result = run(leads=[lead("L1")], rules=rules, bands=BANDS, grades=GRADES)
    row = result.scores[("L1", SC)]
    assert (row.band, row.grade) == (band, grade)


def test_rounding_happens_only_at_the_end() -> None:
    rules = [
        lead_rule("f1", "0.004", "lead_id", "is_not_null", None),
        activity_rule("e1", "0.004", "page_view", "once", min_count="0"),
    ]
    result = run(leads=[lead("L1")], rules=rules)
    row = result.scores[("L1", SC)]
    # fit 0.004 -> 0.0, engagement 0.004 -> 0.0, total 0.008 -> 0.01
    assert (row.fit_score, row.engagement_score, row.total_score) == (0, 0, 0.01)
    assert row.total_unrounded == pytest.approx(0.008)


def test_every_lead_scored_by_every_scorecard() -> None:
    rules = [
        lead_rule("r", "5", "industry", "equals", "tech"),
        lead_rule("r", "7", "industry", "equals", "tech") | {"scorecard_id": "chal"},
    ]
    bands = BANDS + [{"scorecard_id": "chal", "band": "low", "min_score": None}]
    leads = [lead("L1", industry="Tech"), lead("L2", industry="Retail")]
    result = run(leads=leads, rules=rules, bands=bands, grades=GRADES)
    assert set(result.scores) == {
        ("L1", SC),
        ("L1", "chal"),
        ("L2", SC),
        ("L2", "chal"),
    }
    assert result.scores[("L1", "chal")].total_score == 7
    assert result.scores[("L2", SC)].total_score == 0
    assert result.scores[("L2", SC)].band == "cold"
    assert result.scores[("L2", SC)].grade == "C"
    assert result.scores[("L2", "chal")].band == "low"
    assert result.scores[("L2", "chal")].grade is None  # no grades for chal


# ------------------------------------------------------ lead versions, deletes


def test_current_lead_row_latest_updated_at_and_ties() -> None:
    rules = [lead_rule("r", "1", "job_title", "equals", "current")]
    leads = [
        # L1: the 2024-03 row is latest even though loaded first
        lead("L1", job_title="current", updated_at="2024-03-01"),
        lead("L1", job_title="old", updated_at="2024-02-01"),
        # L2: same updated_at -> the later row in load order wins
        lead("L2", job_title="old", updated_at="2024-03-01 10:00:00"),
        lead("L2", job_title="current", updated_at="2024-03-01T10:00:00"),
        # L3: 10:00+05:00 is 05:00 UTC, earlier than 06:00 UTC
        lead("L3", job_title="current", updated_at="2024-03-01 06:00:00"),
        lead("L3", job_title="old", updated_at="2024-03-01T10:00:00+05:00"),
        # L4: a row without updated_at is the oldest, whatever its created_at
        lead("L4", job_title="current", updated_at="2024-04-01"),
        lead("L4", job_title="old", created_at="2024-05-01", updated_at=None),
        # L5: no timestamps at all sorts oldest
        lead("L5", job_title="current", updated_at="2023-01-01"),
        lead("L5", job_title="old", created_at=None, updated_at=None),
        # L6: lead_id compared after strip (case kept): one lead, not two
        lead(" L6 ", job_title="old", updated_at="2024-01-01"),
        lead("L6", job_title="current", updated_at="2024-01-02"),
        # l6 (lower case) is another lead
        lead("l6", job_title="old"),
    ]
    result = run(leads=leads, rules=rules)
    for lead_id in ("L1", "L2", "L3", "L4", "L5", "L6"):
        assert result.scores[(lead_id, SC)].total_score == 1, lead_id
    assert result.scores[("l6", SC)].total_score == 0
    assert len(result.scores) == 7


def test_deleted_leads_are_gone() -> None:
    rules = [lead_rule("r", "1", "lead_id", "is_not_null", None)]
    leads = [
        lead("gone", is_deleted="false", updated_at="2024-01-01"),
        lead("gone", is_deleted=" TRUE ", updated_at="2024-02-01"),
        lead("back", is_deleted="yes", updated_at="2024-01-01"),
        lead("back", is_deleted="0", updated_at="2024-02-01"),
        lead("y", is_deleted="Y"),
        lead("t", is_deleted="t"),
        lead("one", is_deleted="1"),
        lead("maybe", is_deleted="maybe"),  # not a true/false word: kept
        lead("blank", is_deleted=" "),
    ]
    # events of a deleted lead are not "unknown lead": the lead exists
    events = [event("e1", "gone", "page_view", "2024-06-01")]
    result = run(leads=leads, events=events, rules=rules)
    assert {k[0] for k in result.scores} == {"back", "maybe", "blank"}
    assert result.quarantine == []


def test_lead_column_beats_custom_attribute_of_same_name() -> None:
    rules = [lead_rule("r", "1", "industry", "equals", "tech")]
    attrs = [
        {
            "lead_id": "L1",
            "attribute_name": "industry",
            "attribute_value": "tech",
            "updated_at": None,
        }
    ]
    result = run(
        leads=[lead("L1", industry="retail")], lead_attributes=attrs, rules=rules
    )
    assert result.scores[("L1", SC)].total_score == 0


def test_custom_attribute_versions() -> None:
    def attr(lead_id: str, name: str, value: str | None, updated: str | None) -> Row:
        return {
            "lead_id": lead_id,
            "attribute_name": name,
            "attribute_value": value,
            "updated_at": updated,
        }

    rules = [
        lead_rule("tier", "10", " Plan_Tier ", "equals", "enterprise"),
        lead_rule("no_seats", "1", "seats", "is_null", None),
        lead_rule("seats", "100", "seats", "gte", "50"),
    ]
    attributes = [
        # L1: newest plan_tier is enterprise (name compared by norm)
        attr("L1", "PLAN_TIER", "enterprise", "2024-05-01"),
        attr("L1", "plan_tier", "starter", "2024-04-01"),
        # L1: seats: the empty-updated_at row is oldest; newest is 60
        attr("L1", "seats", "10", None),
        attr("L1", "seats", "60", "2024-01-01"),
        # L2: tie on updated_at -> later row wins: starter
        attr("L2", "plan_tier", "enterprise", "2024-05-01T00:00:00Z"),
        attr("L2", "plan_tier", "starter", "2024-05-01 00:00:00"),
        # L2: latest seats value is missing -> only is_null matches
        attr("L2", "seats", "80", "2024-01-01"),
        attr("L2", "seats", None, "2024-02-01"),
    ]
    leads = [lead("L1"), lead("L2"), lead("L3")]
    result = run(leads=leads, lead_attributes=attributes, rules=rules)
    assert result.scores[("L1", SC)].total_score == 110  # tier 10 + seats 100
    assert result.scores[("L2", SC)].total_score == 1  # no_seats
    assert result.scores[("L3", SC)].total_score == 1  # no attribute at all


# ----------------------------------------------------------------- quarantine


def test_quarantine_reasons() -> None:
    leads = [
        lead(None),  # 0
        lead("  "),  # 1
        lead("bad_created", created_at="yesterday"),  # 2
        lead("bad_updated", updated_at="2024-13-01"),  # 3
        lead("ok"),  # 4
        lead("bad_updated", updated_at="2024-02-01"),  # 5: usable version
    ]
    attributes = [
        {
            "lead_id": None,
            "attribute_name": "a",
            "attribute_value": "1",
            "updated_at": None,
        },  # 0
        {
            "lead_id": "ok",
            "attribute_name": " ",
            "attribute_value": "1",
            "updated_at": None,
        },  # 1
        {
            "lead_id": "ok",
            "attribute_name": "a",
            "attribute_value": "1",
            "updated_at": "01/02/2024",
        },  # 2
        {
            "lead_id": "bad_created",
            "attribute_name": "a",
            "attribute_value": "1",
            "updated_at": None,
        },  # 3: that lead has no usable row
        {
            "lead_id": "ok",
            "attribute_name": "a",
            "attribute_value": None,
            "updated_at": None,
        },  # 4: fine (missing value is allowed)
    ]
    events = [
        event("e0", None, "page_view", "2024-06-01"),  # 0
        event("e1", "ok", "page_view", None),  # 1
        event("e2", "ok", "page_view", " "),  # 2
        event("e3", "ok", "page_view", "June 1st"),  # 3
        event("e4", "ghost", "page_view", "2024-06-01"),  # 4
        event("e5", "ok", "page_view", "2024-06-01"),  # 5 fine
        event(" e5", "ok", "page_view", "2024-06-02"),  # 6 duplicate of e5
        event("e4", "ok", "page_view", "2024-06-03"),  # 7 duplicate: row 4 has valid fields
        event(None, "ok", "page_view", "2024-06-04"),  # 8 fine: no id
        event("", "ok", "page_view", "2024-06-05"),  # 9 fine: no id
        event("E5", "ok", "page_view", "2024-06-05"),  # 10 fine: case kept
        event("e7", None, "page_view", "bad"),  # 11: lead_id checked first
        event("e5", "ghost", "page_view", "bad"),  # 12: timestamp before lead
        event("e5", "ghost", "page_view", "2024-06-01"),  # 13: duplicate before lead
        event("e9", "bad_updated", "page_view", "2024-06-01"),  # 14 fine
    ]
    rules = [activity_rule("pv", "1", "page_view", "each")]
    result = run(leads=leads, lead_attributes=attributes, events=events, rules=rules)
    assert result.quarantine == [
        ("leads", 0, "missing lead_id"),
        ("leads", 1, "missing lead_id"),
        ("leads", 2, "unparseable created_at"),
        ("leads", 3, "unparseable updated_at"),
        ("lead_attributes", 0, "missing lead_id"),
        ("lead_attributes", 1, "missing attribute_name"),
        ("lead_attributes", 2, "unparseable updated_at"),
        ("lead_attributes", 3, "unknown lead"),
        ("events", 0, "missing lead_id"),
        ("events", 1, "missing occurred_at"),
        ("events", 2, "missing occurred_at"),
        ("events", 3, "unparseable occurred_at"),
        ("events", 4, "unknown lead"),
        ("events", 6, "duplicate event_id"),
        ("events", 7, "duplicate event_id"),
        ("events", 11, "missing lead_id"),
        ("events", 12, "unparseable occurred_at"),
        ("events", 13, "duplicate event_id"),
    ]
    # usable events of "ok": 5, 8, 9, 10 -> 4 page views
    assert result.activity_counts[("ok", SC, "pv")] == 4
    assert result.activity_counts[("bad_updated", SC, "pv")] == 1
    assert set(result.scores) == {("ok", SC), ("bad_updated", SC)}


# ------------------------------------------------------------ parsing helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-30", dt.datetime(2024, 6, 30)),
        (" 2024-06-30 ", dt.datetime(2024, 6, 30)),
        ("2024-06-30 10:15", dt.datetime(2024, 6, 30, 10, 15)),
        ("2024-06-30T10:15:30", dt.datetime(2024, 6, 30, 10, 15, 30)),
        ("2024-06-30T10:15:30.5", dt.datetime(2024, 6, 30, 10, 15, 30, 500000)),
        ("2024-06-30 10:15:30.123456", dt.datetime(2024, 6, 30, 10, 15, 30, 123456)),
        ("2024-06-30T10:15:30Z", dt.datetime(2024, 6, 30, 10, 15, 30)),
        # 01:30 at +02:00 is 23:30 UTC the day before
        ("2024-06-30T01:30:00+02:00", dt.datetime(2024, 6, 29, 23, 30)),
        ("2024-06-30T01:30:00+0200", dt.datetime(2024, 6, 29, 23, 30)),
        ("2024-06-30T01:30:00+02", dt.datetime(2024, 6, 29, 23, 30)),
        ("2024-06-30T22:30:00-03:00", dt.datetime(2024, 7, 1, 1, 30)),
        ("", None),
        (None, None),
        ("yesterday", None),
        ("2024-02-30", None),
        ("2024-06-30 25:00", None),
        ("20240630", None),
        ("2024-W26-7", None),
        ("30/06/2024", None),
        ("2024-06-30+02:00", None),
        ("2024-06-30T10", None),
    ],
)
def test_parse_timestamp(text: str | None, expected: dt.datetime | None) -> None:
    assert parse_timestamp(text) == expected


def test_read_csv_rows(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("lead_id,job_title,city\nL2,,Paris\nL1, VP ,\n", encoding="utf-8")
    assert read_csv_rows(path) == [
        {"lead_id": "L2", "job_title": None, "city": "Paris"},
        {"lead_id": "L1", "job_title": " VP ", "city": None},
    ]
