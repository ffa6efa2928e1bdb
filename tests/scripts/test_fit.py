"""Known-answer tests of the fit (scripts/lead_scoring/fit): binning,
scaling, the data floor, the leak guard, the CSV writer and determinism.
Pure Python on hand-made data; the expected values are worked out in the
comments, from the rules in the modules' docstrings."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pytest

from scripts.lead_scoring.fit.binning import (
    Bin,
    assign,
    categorical_bins,
    information_value,
    numeric_bins,
)
from scripts.lead_scoring.fit.evaluate import best_f1_threshold, deciles, ks_statistic
from scripts.lead_scoring.fit.features import Candidate, TrainingTable, table_from_rows
from scripts.lead_scoring.fit.model import FitError, Options, auc, check_data_floor, fit, screen
from scripts.lead_scoring.fit.scaling import Scale, relative_coefficients
from scripts.lead_scoring.fit.write import describe, replace_scorecard, rule_rows, write_fit


def test_numeric_bins_merge_equal_rates_into_one_cut() -> None:
    # x = 1..200, converted exactly when x > 150: twenty pre-bins of ten
    # (cuts 11, 21, ..., 191), all rates 0 then all 1: merged into two bins
    values = list(range(1, 201))
    outcomes = [x > 150 for x in values]
    bins = numeric_bins(values, outcomes, round_cuts=False)
    assert [(b.low, b.high, b.count, b.events) for b in bins] == [
        (None, 151, 150, 0), (151, None, 50, 50)]


def test_numeric_bins_enforce_a_monotonic_trend() -> None:
    # four groups of 50 (x 1-50, 51-100, 101-150, 151-200) converting 10 %,
    # 30 %, 20 %, 50 %; four pre-bins at 51, 101, 151. Rising breaks between
    # the 2nd and 3rd: merged (15 + 10 = 25 of 100), so 10 %, 25 %, 50 %;
    # falling would merge everything into fewer, weaker bins
    values = list(range(1, 201))
    events = {1: 5, 51: 15, 101: 10, 151: 25}
    outcomes = []
    for x in values:
        start = max(s for s in events if s <= x)
        outcomes.append(x - start < events[start])
    bins = numeric_bins(values, outcomes, prebins=4, round_cuts=False)
    assert [(b.low, b.high, b.count, b.events) for b in bins] == [
        (None, 51, 50, 5), (51, 151, 100, 25), (151, None, 50, 25)]
    rates = [b.rate for b in bins]
    assert rates == sorted(rates)


def test_numeric_bins_keep_missing_apart_and_round_cuts() -> None:
    # 0..999 with conversion above 500; cut points rounded to 2 significant
    # digits (the quantile cut 500 stays 500); None is its own bin
    values: list[float | None] = [float(x) for x in range(1000)] + [None] * 100
    outcomes = [x is not None and x >= 500 for x in values]
    bins = numeric_bins(values, outcomes)
    assert [(b.kind, b.low, b.high) for b in bins] == [
        ("range", None, 500.0), ("range", 500.0, None), ("missing", None, None)]
    assert bins[-1].count == 100 and bins[-1].events == 0


def test_numeric_bins_give_a_rare_nonzero_count_its_own_bin() -> None:
    # 97 leads without the activity, 3 with it (all converted): the quantile
    # cuts are all 0, yet "at least one" is a bin (min share 1 %)
    values = [0] * 97 + [1, 2, 5]
    outcomes = [False] * 97 + [True] * 3
    bins = numeric_bins(values, outcomes, min_bin_share=0.01, round_cuts=False)
    assert [(b.low, b.high, b.count, b.events) for b in bins] == [
        (None, 1, 97, 0), (1, None, 3, 3)]


def test_categorical_bins_pool_rare_values_and_order_by_rate() -> None:
    # a: 100 leads 10 converted, b: 100 / 30, c: 3 / 0, d: 2 / 2, missing 20 / 1.
    # 5 % of 225 = 11.25: c and d are rare, pooled as "other" (5 / 2 = 40 %);
    # ordered by rate a (10 %), b (30 %), other (40 %); other is too small and
    # merges into its only neighbour b
    values = (["a"] * 100 + ["b"] * 100 + ["c"] * 3 + ["d"] * 2 + [None] * 20)
    outcomes = ([True] * 10 + [False] * 90 + [True] * 30 + [False] * 70
                + [False] * 3 + [True] * 2 + [True] + [False] * 19)
    bins = categorical_bins(values, outcomes)
    assert [(b.kind, b.categories, b.other, b.count, b.events) for b in bins] == [
        ("categories", ("a",), False, 100, 10),
        ("categories", ("b",), True, 105, 32),
        ("missing", (), False, 20, 1),
    ]
    # an unseen value falls in the pooled group, as `not_in` would match it
    assert assign(bins, "zzz") == 1
    assert assign(bins, "a") == 0
    assert assign(bins, None) == 2


def test_information_value_by_hand() -> None:
    # two bins: 10 of 50 and 40 of 50 converted (50 events, 50 non-events);
    # smoothed WoE ln((10.5/50.5)/(40.5/50.5)) and ln((40.5/50.5)/(10.5/50.5))
    bins = [Bin("range", 50, 10, None, 1), Bin("range", 50, 40, 1, None)]
    woe = math.log(40.5 / 10.5)
    expected = (0.2 - 0.8) * -woe + (0.8 - 0.2) * woe
    assert information_value(bins) == pytest.approx(expected)


def test_scale_points_to_double_the_odds() -> None:
    scale = Scale(base_score=50, base_rate=0.10, pdo=10)
    assert scale.factor == pytest.approx(10 / math.log(2))
    # the base score stands for the base rate; +10 points double the odds
    assert scale.probability(50) == pytest.approx(0.10)
    assert scale.probability(60) == pytest.approx(2 / 11)  # odds 2/9
    assert scale.probability(40) == pytest.approx(1 / 19)  # odds 1/18
    assert scale.score_at(0.10) == pytest.approx(50)
    # ln 2 of log-odds is exactly pdo points; rounding is half away from zero
    assert scale.points(math.log(2)) == 10
    assert scale.points(0.26 * math.log(2)) == 3
    assert scale.points(-0.26 * math.log(2)) == -3
    assert scale.points(0.24 * math.log(2)) == 2
    # intercept ln(1/9) (a 10 % base) gives exactly the base score
    assert scale.base_points(math.log(1 / 9)) == 50


def test_relative_coefficients_zero_the_most_common_bin() -> None:
    relative, shift = relative_coefficients([0.5, -0.2, 1.0], [10, 30, 5])
    assert relative == pytest.approx([0.7, 0.0, 1.2])
    assert shift == pytest.approx(-0.2)


def _table(n: int, converted: int) -> TrainingTable:
    start = date(2025, 1, 1)
    return TrainingTable([f"L{i:04d}" for i in range(n)],
                         [start + timedelta(days=i % 60) for i in range(n)],
                         [i < converted for i in range(n)])


def test_data_floor_says_how_many_there_are_and_are_needed() -> None:
    with pytest.raises(FitError) as error:
        check_data_floor(_table(500, 99), date(2025, 3, 1), 100)
    message = str(error.value)
    assert "99 converted leads" in message and "at least 100" in message
    assert "500 leads" in message
    check_data_floor(_table(500, 100), date(2025, 3, 1), 100)  # at the floor: fits


def test_auc_ks_and_best_f1_by_hand() -> None:
    # converted at scores 2 and 4, not at 1 and 3: 3 of 4 pairs ranked right
    assert auc([1, 2, 3, 4], [False, True, False, True]) == pytest.approx(0.75)
    assert auc([1, 1], [False, True]) == pytest.approx(0.5)  # a tie counts half
    assert ks_statistic([1, 2, 3, 4], [False, False, True, True]) == pytest.approx(1.0)
    # threshold 3: 2 MQLs both converted (F1 = 1)
    assert best_f1_threshold([1, 2, 3, 4], [False, False, True, True]) == 3
    groups = deciles([f"L{i}" for i in range(12)], list(range(12)), [True] * 12, [0.5] * 12)
    assert [d.lead_count for d in groups] == [2, 2, 1, 1, 1, 1, 1, 1, 1, 1]
    assert groups[0].max_score == 11


def _synthetic_rows(n: int = 1200) -> list[dict]:
    """Rows as fct_lead_decision_features gives them: a signal (industry),
    an activity count, an undated attribute equal to the outcome (a leak
    the AUC guard must catch) and one recorded after the decision date."""
    rows = []
    start = date(2025, 1, 1)
    for i in range(n):
        lead_id = f"L{i:05d}"
        industry = ("technology", "retail", "media")[i % 3]
        views = i % 7
        converted = (i * 7919) % 100 < (25 if industry == "technology" else 6) + 3 * views
        base = {"lead_id": lead_id, "decision_status": "decided", "is_converted": converted,
                "decision_date": start + timedelta(days=i % 300), "filter_field": None,
                "filter_value": None, "value_text": None, "activity_count_7d": None,
                "activity_count_30d": None, "activity_count_all": None,
                "is_recorded_after_decision": False}
        rows.append({**base, "feature_source": "lead", "feature_name": "industry",
                     "value_text": industry})
        rows.append({**base, "feature_source": "attribute", "feature_name": "won_flag",
                     "value_text": "yes" if converted else "no"})
        rows.append({**base, "feature_source": "attribute", "feature_name": "late_flag",
                     "is_recorded_after_decision": True})
        if views:
            rows.append({**base, "feature_source": "activity", "feature_name": "page_view",
                         "activity_count_7d": views, "activity_count_30d": views,
                         "activity_count_all": views})
    return rows


def test_leaks_are_flagged_and_left_out_unless_allowed() -> None:
    table = table_from_rows(_synthetic_rows())
    reports = {r.candidate.key: r for r in screen(table, Options())}
    assert "AUC 1.000" in reports["attribute:won_flag"].leak
    assert "100% of its values were recorded after" in reports["attribute:late_flag"].leak
    assert reports["lead:industry"].leak is None
    fitted = fit(table, Options(min_conversions=1))
    used = {f.candidate.key for f in fitted.features}
    assert "attribute:won_flag" not in used and "lead:industry" in used
    allowed = fit(table, Options(min_conversions=1, allow_features=("won_flag",)))
    assert "attribute:won_flag" in {f.candidate.key for f in allowed.features}


SEED_HEADERS = {
    "scorecard_rules.csv": "scorecard_id,rule_id,dimension,score_group,source,activity_type,"
                           "field,operator,value,points,frequency,min_count,max_count,"
                           "max_points,window_days,half_life_days,market,description\n",
}


def test_replace_scorecard_keeps_other_rows_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "scorecard_rules.csv"
    other = ('default,a,fit,g,lead,,industry,in,x|y,5,,,,,,,,"Quoted, with a comma"\n'
             'default,b,fit,g,lead,,seniority,equals,vp,3,,,,,,,,Plain\n')
    old = "fitted,old,fit,g,lead,,industry,equals,z,1,,,,,,,,Old\n"
    path.write_text(SEED_HEADERS["scorecard_rules.csv"] + old + other, encoding="utf-8")
    table = table_from_rows(_synthetic_rows())
    fitted = fit(table, Options(min_conversions=1))
    replace_scorecard(path, "fitted", rule_rows("fitted", fitted))
    text = path.read_text(encoding="utf-8")
    assert text.endswith(other)
    assert "fitted,old," not in text
    lines = [line for line in text.splitlines() if line.startswith("fitted,")]
    assert lines[0].startswith("fitted,base,fit,base,lead,,lead_id,is_not_null,,")
    assert any(",industry,in,technology," in line for line in lines)


def test_the_fit_records_its_window_and_scale(tmp_path: Path) -> None:
    # scorecard_fits.csv: created when missing, one row per fitted scorecard,
    # a refit replaces only its own row
    path = tmp_path / "scorecard_fits.csv"
    fitted = fit(table_from_rows(_synthetic_rows()),
                 Options(min_conversions=1, scale=Scale(base_score=600, base_rate=0.2, pdo=20)))
    write_fit(path, "fitted", "2025-03-31", fitted)
    write_fit(path, "other", "2025-01-31", fitted)
    write_fit(path, "fitted", "2025-04-30", fitted)
    assert path.read_text(encoding="utf-8") == (
        "scorecard_id,train_until,base_score,base_rate,points_to_double_odds\n"
        "fitted,2025-04-30,600,0.2,20\n"
        "other,2025-01-31,600,0.2,20\n")


def test_same_data_and_options_give_byte_identical_csv(tmp_path: Path) -> None:
    texts = []
    for run in ("first", "second"):
        path = tmp_path / f"{run}.csv"
        path.write_text(SEED_HEADERS["scorecard_rules.csv"], encoding="utf-8")
        fitted = fit(table_from_rows(_synthetic_rows()), Options(min_conversions=1))
        replace_scorecard(path, "fitted", rule_rows("fitted", fitted))
        texts.append(path.read_bytes())
    assert texts[0] == texts[1]


def test_descriptions_say_what_a_rule_is() -> None:
    views = Candidate("activity", "page_view", "count", window_days=30)
    bins = [Bin("range", 10, 1, None, 1), Bin("range", 10, 2, 1, 2),
            Bin("range", 10, 3, 4, 10), Bin("range", 10, 4, 10, None)]
    assert describe(views, bins, 0) == "No page view in the last 30 days"
    assert describe(views, bins, 1) == "1 page view in the last 30 days"
    assert describe(views, bins, 2) == "4-9 page views in the last 30 days"
    assert describe(views, bins, 3) == "10 or more page views in the last 30 days"
    size = Candidate("lead", "employee_count", "numeric")
    ranges = [Bin("range", 1, 0, None, 50), Bin("range", 1, 0, 50, 500),
              Bin("range", 1, 0, 500, None), Bin("missing", 1, 0)]
    assert [describe(size, ranges, k) for k in range(4)] == [
        "Employee count under 50", "Employee count 50 to under 500",
        "Employee count 500 or more", "Employee count is missing"]
