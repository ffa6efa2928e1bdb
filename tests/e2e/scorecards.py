"""Scorecards for end-to-end tests: a hand-written tricky one and random ones.

Random scorecards are valid by construction (the contract's error cases are
tested in test_scorecard_validation.py) and draw fields, operators and values
from the demo data's vocabulary, so that rules actually match some leads.
"""

from __future__ import annotations

import random
from typing import Any

Row = dict[str, Any]
Scorecard = tuple[list[Row], list[Row], list[Row], list[Row]]


def rule(scorecard: str, rule_id: str, dimension: str, group: str, source: str,
         points: str, **extra: Any) -> Row:
    return {
        "scorecard_id": scorecard, "rule_id": rule_id, "dimension": dimension,
        "score_group": group, "source": source, "points": points,
        "description": f"{scorecard} {rule_id}", **extra,
    }


def tricky_scorecard(scorecard: str = "tricky") -> Scorecard:
    """Every feature at once: operators, decay, windows, absence, caps, markets, floors."""
    lead = "lead"
    act = "activity"
    rules = [
        rule(scorecard, "exec", "fit", "title", lead, "12.5", field="seniority",
             operator="in", value="c_level| VP |director"),
        rule(scorecard, "not_intern", "fit", "title", lead, "3", field="seniority",
             operator="not_in", value="intern|individual_contributor"),
        rule(scorecard, "title_chief", "fit", "title", lead, "4", field="job_title",
             operator="starts_with", value="chief"),
        rule(scorecard, "title_has_eng", "fit", "title", lead, "2", field="job_title",
             operator="contains", value="ENGINEER"),
        rule(scorecard, "mid_size", "fit", "firm", lead, "7", field="employee_count",
             operator="between", value="100|2000"),
        rule(scorecard, "size_bin_low", "fit", "size_bins", lead, "-3", field="employee_count",
             operator="range", value="|50"),
        rule(scorecard, "size_bin_mid", "fit", "size_bins", lead, "4.5", field="employee_count",
             operator="range", value=" 50 | 500 "),
        rule(scorecard, "size_bin_high", "fit", "size_bins", lead, "8", field="employee_count",
             operator="range", value="500|"),
        rule(scorecard, "big_revenue", "fit", "firm", lead, "5", field="annual_revenue",
             operator="gte", value="1e7"),
        rule(scorecard, "tiny", "fit", "firm", lead, "-6", field="employee_count",
             operator="lt", value="10"),
        rule(scorecard, "no_size", "fit", "firm", lead, "-2", field="employee_count",
             operator="is_null"),
        rule(scorecard, "has_city", "fit", "firm", lead, "1", field="city",
             operator="is_not_null"),
        rule(scorecard, "not_retail", "fit", "firm", lead, "2", field="industry",
             operator="not_equals", value="Retail"),
        rule(scorecard, "budget", "fit", "intent", lead, "9", field="budget_status",
             operator="equals", value="APPROVED"),
        rule(scorecard, "stack", "fit", "intent", lead, "4", field="tech_stack",
             operator="in", value="hubspot|salesforce"),
        rule(scorecard, "emea_gov", "fit", "firm", lead, "-8", field="industry",
             operator="equals", value="government", market="EMEA"),
        rule(scorecard, "apac_tech", "fit", "firm", lead, "6", field="industry",
             operator="equals", value="technology", market="apac"),
        rule(scorecard, "unknown_market", "fit", "firm", lead, "-1", field="lead_id",
             operator="is_not_null", market="unknown"),
        rule(scorecard, "competitor", "fit", "block", lead, "-100",
             field="company_domain", operator="in", value="rivalsoft.com|competeware.io"),
        rule(scorecard, "pricing_recent", "engagement", "web", act, "10",
             activity_type="page_view", field="page_path", operator="starts_with",
             value="/pricing", frequency="once", window_days="60", half_life_days="30"),
        rule(scorecard, "views", "engagement", "web", act, "0.7", activity_type="page_view",
             frequency="each", half_life_days="45", max_points="12"),
        rule(scorecard, "blog_reader", "engagement", "web", act, "3",
             activity_type="page_view", field="page_path", operator="contains",
             value="/blog/", frequency="once", min_count="3"),
        # ids that slug alike, and one with no Latin letters: column keys
        # must still be unique and the same in every model
        rule(scorecard, "blog reader", "engagement", "web", act, "1",
             activity_type="page_view", field="page_path", operator="contains",
             value="/blog/", frequency="each"),
        rule(scorecard, "интерес", "fit", "title", lead, "1.5", field="department",
             operator="in", value="marketing|sales"),
        rule(scorecard, "no_visits_30", "engagement", "web", act, "-7",
             activity_type="page_view", frequency="once", min_count="0", max_count="0",
             window_days="30"),
        rule(scorecard, "few_opens", "engagement", "email", act, "2",
             activity_type="email_open", frequency="each", min_count="1", max_count="5"),
        rule(scorecard, "launch", "engagement", "email", act, "6",
             activity_type="email_open", field="email_id", operator="equals",
             value="EM_PRODUCT_LAUNCH", frequency="once"),
        rule(scorecard, "demo_click", "engagement", "email", act, "15",
             activity_type="email_click", field="page_path", operator="equals",
             value="/product-demo", frequency="once", window_days="120"),
        rule(scorecard, "content", "engagement", "content", act, "4",
             activity_type="content_download", field="content_type", operator="in",
             value="case_study|whitepaper|ebook", frequency="each", half_life_days="60",
             max_points="20"),
        rule(scorecard, "webinar", "engagement", "content", act, "11",
             activity_type="webinar_attended", frequency="once", half_life_days="90"),
        rule(scorecard, "webinar_campaign", "engagement", "content", act, "1",
             activity_type="webinar_registered", field="campaign_id",
             operator="starts_with", value="wbn", frequency="each"),
        rule(scorecard, "demo", "engagement", "hand_raise", act, "25",
             activity_type="demo_request", frequency="once", window_days="90"),
        rule(scorecard, "unsub", "engagement", "negative", act, "-15",
             activity_type="unsubscribe", frequency="once"),
        rule(scorecard, "tickets", "engagement", "negative", act, "-2",
             activity_type="support_ticket", field="content_type", operator="not_in",
             value="sales_inquiry", frequency="each", max_points="6"),
        rule(scorecard, "careers", "engagement", "negative", act, "-4",
             activity_type="page_view", field="page_path", operator="starts_with",
             value="/careers", frequency="each", window_days="365"),
    ]
    groups = [
        {"scorecard_id": scorecard, "score_group": "title", "max_points": "15"},
        {"scorecard_id": scorecard, "score_group": "firm", "max_points": "14",
         "min_points": "-5"},
        {"scorecard_id": scorecard, "score_group": "web", "max_points": "18"},
        {"scorecard_id": scorecard, "score_group": "email", "max_points": "20",
         "min_points": "1"},
        {"scorecard_id": scorecard, "score_group": "negative", "min_points": "-20"},
        {"scorecard_id": scorecard, "score_group": "content", "max_points": "25.5"},
    ]
    bands = [
        {"scorecard_id": scorecard, "band": "ice", "min_score": None},
        {"scorecard_id": scorecard, "band": "lukewarm", "min_score": "10"},
        {"scorecard_id": scorecard, "band": "warm", "min_score": "22.5"},
        {"scorecard_id": scorecard, "band": "hot", "min_score": "40"},
    ]
    grades = [
        {"scorecard_id": scorecard, "grade": "C", "min_fit_score": None},
        {"scorecard_id": scorecard, "grade": "B", "min_fit_score": "5"},
        {"scorecard_id": scorecard, "grade": "A", "min_fit_score": "15"},
    ]
    return rules, groups, bands, grades


LEAD_TESTS: list[tuple[str, str, list[str]]] = [
    ("seniority", "in", ["c_level|vp", "manager|director", "intern"]),
    ("seniority", "equals", ["manager", "VP", "director"]),
    ("job_title", "contains", ["director", "engineer", "chief", "manager"]),
    ("job_title", "starts_with", ["vp", "head", "marketing"]),
    ("industry", "equals", ["technology", "finance", "education"]),
    ("industry", "not_in", ["technology|finance", "retail"]),
    ("industry", "not_equals", ["government"]),
    ("employee_count", "between", ["50|500", "1|49", "501|100000"]),
    ("employee_count", "range", ["|50", "50|500", "500|", "100.5|1e4"]),
    ("annual_revenue", "range", ["1000000|", "|250000"]),
    ("employee_count", "gt", ["1000", "200"]),
    ("employee_count", "lte", ["20", "5e2"]),
    ("annual_revenue", "gte", ["1000000", "50000000"]),
    ("annual_revenue", "lt", ["250000"]),
    ("country", "in", ["US|GB|CA|united states|united kingdom|canada", "DE|FR|IT|ES"]),
    ("country", "is_null", [""]),
    ("lead_source", "equals", ["paid_search", "referral", "event"]),
    ("department", "in", ["marketing|sales", "engineering|it"]),
    ("company_domain", "contains", [".io", "labs"]),
    ("budget_status", "equals", ["approved", "planned"]),
    ("tech_stack", "in", ["hubspot|salesforce", "marketo"]),
    ("trial_status", "not_equals", ["none"]),
    ("newsletter_opt_in", "equals", ["true"]),
    ("trial_status", "is_not_null", [""]),
]

ACTIVITY_TESTS: list[tuple[str, str | None, str | None, list[str]]] = [
    ("page_view", None, None, [""]),
    ("page_view", "page_path", "starts_with", ["/pricing", "/product", "/careers"]),
    ("page_view", "page_path", "contains", ["blog", "docs"]),
    ("email_open", None, None, [""]),
    ("email_open", "email_id", "equals", ["em_product_launch"]),
    ("email_click", "page_path", "equals", ["/product-demo"]),
    ("content_download", "content_type", "in", ["case_study|ebook", "whitepaper"]),
    ("content_download", "content_type", "not_equals", ["datasheet"]),
    ("webinar_attended", None, None, [""]),
    ("webinar_registered", "campaign_id", "starts_with", ["wbn"]),
    ("demo_request", None, None, [""]),
    ("form_submit", None, None, [""]),
    ("unsubscribe", None, None, [""]),
    ("support_ticket", "content_type", "not_in", ["sales_inquiry"]),
]

MARKETS = ["na", "emea", "apac", "latam", "unknown"]


def random_scorecard(seed: int, scorecard: str) -> Scorecard:
    """A valid random scorecard: 8-20 rules, random caps, bands and grades."""
    rng = random.Random(seed)
    rules: list[Row] = []
    for index in range(rng.randint(8, 20)):
        dimension = rng.choice(["fit", "engagement"])
        group = f"{dimension[:3]}{rng.randint(1, 3)}"
        points = rng.choice(["5", "10", "-5", "2.5", "7.25", "-12", "20", "0.3", "1"])
        extra: Row = {}
        if rng.random() < 0.15:
            extra["market"] = rng.choice(MARKETS)
        if rng.random() < 0.25:
            extra["max_points"] = rng.choice(["3", "8", "15.5"])
        if dimension == "fit":
            field, operator, values = rng.choice(LEAD_TESTS)
            value = rng.choice(values)
            rules.append(rule(scorecard, f"rule_{index}", dimension, group, "lead", points,
                              field=field, operator=operator, value=value or None, **extra))
            continue
        activity_type, field, operator, values = rng.choice(ACTIVITY_TESTS)
        frequency = rng.choice(["each", "once"])
        if field:
            extra.update(field=field, operator=operator, value=rng.choice(values))
        shape = rng.random()
        if shape < 0.15:
            extra.update(min_count="0", max_count="0")
            frequency = "once"
        elif shape < 0.35:
            extra["min_count"] = str(rng.randint(1, 5))
        elif shape < 0.45:
            extra["max_count"] = str(rng.randint(1, 6))
        elif shape < 0.5:
            extra["min_count"] = "0"
        if rng.random() < 0.4:
            extra["window_days"] = rng.choice(["0", "7", "30", "90", "365"])
        if rng.random() < 0.4:
            extra["half_life_days"] = rng.choice(["7", "30", "45.5", "180"])
        rules.append(rule(scorecard, f"rule_{index}", dimension, "e_" + group, "activity",
                          points, activity_type=activity_type, frequency=frequency, **extra))
    groups: list[Row] = []
    for group in sorted({row["score_group"] for row in rules}):
        choice = rng.random()
        if choice < 0.3:
            groups.append({"scorecard_id": scorecard, "score_group": group,
                           "max_points": rng.choice(["10", "25", "4.5"])})
        elif choice < 0.5:
            groups.append({"scorecard_id": scorecard, "score_group": group,
                           "min_points": rng.choice(["-10", "0", "2"]),
                           "max_points": rng.choice(["30", ""])})
    thresholds = sorted(rng.sample(range(-5, 60), rng.randint(1, 4)))
    bands = [{"scorecard_id": scorecard, "band": "b0", "min_score": None}]
    bands += [{"scorecard_id": scorecard, "band": f"b{i + 1}", "min_score": str(value)}
              for i, value in enumerate(thresholds)]
    grades: list[Row] = []
    if rng.random() < 0.7:
        grades = [{"scorecard_id": scorecard, "grade": "low", "min_fit_score": None},
                  {"scorecard_id": scorecard, "grade": "high",
                   "min_fit_score": str(rng.randint(0, 25))}]
    return rules, groups, bands, grades


def edited_shipped_rules(rules: list[Row]) -> list[Row]:
    """An edit of the shipped scorecard_rules.csv that changes which
    activities match (for the incremental runs: new tests are counted from
    every event, dropped ones deleted): `pricing_page` tests `contains
    pricing` instead of `starts_with /pricing`, `blog_reader` is new (a
    page_view test no other rule has), `careers_page` is gone. Three
    half-open `range` bins of employee_count (open below, spaced, open
    above) and one of annual_revenue are new too, so that the engines that
    run this edit (DuckDB and the Spark cluster) both score `range`."""
    edited = [dict(row) for row in rules
              if not (row["scorecard_id"] == "default" and row["rule_id"] == "careers_page")]
    for row in edited:
        if row["scorecard_id"] == "default" and row["rule_id"] == "pricing_page":
            row.update(operator="contains", value="pricing")
    edited.append(rule("default", "blog_reader", "engagement", "web", "activity", "2",
                       activity_type="page_view", field="page_path", operator="starts_with",
                       value="/blog", frequency="each", max_points="20",
                       half_life_days="30", description="Reads the blog"))
    for rule_id, points, field, value in (
        ("size_below_50", "-3", "employee_count", "|50"),
        ("size_50_to_500", "4", "employee_count", " 50 | 500 "),
        ("size_from_500", "8", "employee_count", "500|"),
        ("revenue_from_1m", "5", "annual_revenue", "1e6|"),
    ):
        edited.append(rule("default", rule_id, "fit", "size_bins", "lead", points,
                           field=field, operator="range", value=value))
    return edited
