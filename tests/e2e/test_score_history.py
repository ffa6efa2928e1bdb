"""Scores through time: a golden history written by hand, point-in-time parity
with the reference at several past dates, incremental runs against a full
refresh, and triggers that fire once (the first run records where leads
stand and fires nothing; enrolling them fires once each).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from scripts.generate_demo_data import generate
from tests.e2e.harness import (
    MODELS_AND_SEEDS,
    ROOT,
    Project,
    read_csv_rows,
    read_raw_rows,
    write_csv,
)
from tests.reference.scoring import score

LEAD_COLUMNS = [
    "lead_id", "email", "first_name", "last_name", "job_title", "seniority", "department",
    "company_name", "company_domain", "industry", "employee_count", "annual_revenue",
    "country", "city", "lead_source", "created_at", "updated_at", "is_deleted",
]
EVENT_COLUMNS = [
    "event_id", "lead_id", "event_type", "occurred_at", "page_path", "content_type",
    "campaign_id", "email_id",
]


# models and seeds only, what the history or the triggers read: the data
# tests run in the other modules (and in test_golden_history)
HISTORY_ONLY = ("--select", "+fct_lead_score_history", *MODELS_AND_SEEDS)
TRIGGERS_ONLY = ("--select", "+fct_lead_score_triggers +fct_lead_score_trigger_log",
                 *MODELS_AND_SEEDS)


def vars_for(as_of: str, start: str | None = None, extra: str = "") -> str:
    """The vars of a build: no var but the dates, so point in time (the default)."""
    start_var = f", history_start: '{start}'" if start else ""
    return f"{{score_as_of: '{as_of}'{start_var}{extra}}}"


# --------------------------------------------------------------- golden history

def golden_expected_total(day: date) -> float:
    """The golden lead's score on `day`, from the scorecard written in the test.

    Director (+20) until the job change on Jan 20; a page view on Jan 3 worth
    10 * 0.5 ^ (age / 10); a webinar on Jan 8 worth 40 while at most 7 days
    old; a manual reset from Jan 25.
    """
    if day >= date(2025, 1, 25):
        return 0.0
    fit = 20.0 if day < date(2025, 1, 20) else 0.0
    views = 0.0
    if day >= date(2025, 1, 3):
        views = 10 * 0.5 ** ((day - date(2025, 1, 3)).days / 10)
    webinar = 40.0 if date(2025, 1, 8) <= day <= date(2025, 1, 15) else 0.0
    return fit + views + webinar


def test_golden_history(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    base = {"company_domain": "example.com", "country": "US", "is_deleted": "false",
            "created_at": "2025-01-01 09:00:00"}
    write_csv(raw / "leads.csv", LEAD_COLUMNS, [
        dict(base, lead_id="G1", job_title="Director of IT", updated_at="2025-01-01 09:00:00"),
        # the job change: written on Jan 20, so the fit score drops from that day
        dict(base, lead_id="G1", job_title="Analyst", updated_at="2025-01-20 12:00:00"),
    ])
    write_csv(raw / "lead_attributes.csv",
              ["lead_id", "attribute_name", "attribute_value", "updated_at"], [])
    write_csv(raw / "events.csv", EVENT_COLUMNS, [
        {"event_id": "v1", "lead_id": "G1", "event_type": "page_view",
         "occurred_at": "2025-01-03 10:00:00", "page_path": "/pricing"},
        {"event_id": "w1", "lead_id": "G1", "event_type": "webinar_attended",
         "occurred_at": "2025-01-08 16:00:00"},
    ])
    project = Project.copy(tmp_path / "project")
    common = {"scorecard_id": "golden", "description": "golden rule"}
    project.write_seed("scorecard_rules", [
        dict(common, rule_id="director", dimension="fit", score_group="fit", source="lead",
             field="job_title", operator="contains", value="director", points="20"),
        dict(common, rule_id="views", dimension="engagement", score_group="web",
             source="activity", activity_type="page_view", frequency="each", points="10",
             half_life_days="10"),
        dict(common, rule_id="webinar", dimension="engagement", score_group="events",
             source="activity", activity_type="webinar_attended", frequency="once",
             points="40", window_days="7"),
    ])
    project.write_seed("scorecard_groups", [])
    project.write_seed("scorecard_bands", [
        {"scorecard_id": "golden", "band": "cold"},
        {"scorecard_id": "golden", "band": "mql", "min_score": "50"},
    ])
    project.write_seed("scorecard_grades", [])
    project.write_seed("score_adjustments", [
        {"adjustment_id": "r1", "lead_id": "G1", "action": "reset",
         "effective_date": "2025-01-25", "reason": "Asked not to be contacted",
         "author": "ops"},
    ])
    project.load_raw(raw)
    # the marts read below and what they stand on; the values are the check
    # (the data tests run on the demo data, tests/scripts/test_pipeline.py)
    project.dbt("build", "--vars", vars_for("2025-01-31", "2025-01-01"), "--select",
                "+fct_lead_score_history +fct_lead_band_changes +fct_lead_mql_milestones",
                *MODELS_AND_SEEDS)

    history = {
        row["score_date"]: row for row in project.query(
            "select * from marts.fct_lead_score_history where lead_id = 'G1' order by score_date"
        )
    }
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(31)]
    assert sorted(history) == days
    for day in days:
        expected = golden_expected_total(day)
        row = history[day]
        assert float(row["total_score"]) == round(expected, 2), day
        assert row["band"] == ("mql" if expected >= 50 else "cold"), day
    # spot checks written out: Jan 8 = 20 + 40 + 10 * 0.5^0.5 = 67.07
    assert float(history[date(2025, 1, 8)]["total_score"]) == 67.07
    # Jan 16: the webinar is 8 days old, out of its 7-day window: 20 + 10 * 0.5^1.3
    assert float(history[date(2025, 1, 16)]["total_score"]) == 24.06
    # Jan 20: Analyst now, fit 0: 10 * 0.5^1.7 = 3.08
    assert float(history[date(2025, 1, 20)]["fit_score"]) == 0
    assert float(history[date(2025, 1, 20)]["total_score"]) == 3.08
    # Jan 25: the manual reset takes the remaining 10 * 0.5^2.2 = 2.18 away
    assert float(history[date(2025, 1, 25)]["adjustment_points"]) == pytest.approx(-2.176, abs=1e-3)

    changes = project.query(
        "select changed_on, from_band, to_band from marts.fct_lead_band_changes "
        "where lead_id = 'G1' order by changed_on"
    )
    assert [(c["changed_on"], c["from_band"], c["to_band"]) for c in changes] == [
        (date(2025, 1, 1), None, "cold"),
        (date(2025, 1, 8), "cold", "mql"),
        (date(2025, 1, 16), "mql", "cold"),
    ]
    milestone = project.query("select * from marts.fct_lead_mql_milestones")[0]
    assert milestone["first_mql_date"] == date(2025, 1, 8)
    assert milestone["days_to_mql"] == 7 and milestone["times_requalified"] == 0
    assert milestone["last_band"] == "cold"


# ------------------------------------------------------ demo data through time

@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("history")
    data = root / "data"
    generate(data, n_leads=300, events_per_lead=20, seed=5, end_date=date(2025, 6, 30))
    return {"root": root, "data": data}


def reference_scores(project: Project, data: Path, day: date, point_in_time: bool) -> Any:
    raw = read_raw_rows(data)
    seeds = {name: project.read_seed(name) for name in
             ("scorecard_rules", "scorecard_groups", "scorecard_bands", "scorecard_grades")}
    return score(
        leads=raw["leads"], lead_attributes=raw["lead_attributes"], events=raw["events"],
        rules=seeds["scorecard_rules"], groups=seeds["scorecard_groups"],
        bands=seeds["scorecard_bands"], grades=seeds["scorecard_grades"],
        country_markets=read_csv_rows(project.seed_path("country_markets")),
        as_of=day, point_in_time=point_in_time,
    ).scores


def assert_history_day_matches(project: Project, day: date, expected: dict[Any, Any]) -> None:
    got = {
        (row["lead_id"], row["scorecard_id"]): row for row in project.query(
            f"select * from marts.fct_lead_score_history where score_date = '{day}'"
        )
    }
    assert set(got) == set(expected), day
    for key, want in expected.items():
        assert abs(float(got[key]["total_score"]) - want.total_score) <= 0.0100001, (day, key)
        assert got[key]["band"] == want.band, (day, key)
        assert got[key]["grade"] == want.grade, (day, key)


def test_a_past_as_of_date_is_point_in_time_by_default(demo: dict[str, Any]) -> None:
    """No var but the dates: every day scores the leads as they were then."""
    project = Project.copy(demo["root"] / "backfill").without_adjustments()
    project.load_raw(demo["data"])
    project.dbt("build", "--vars", vars_for("2025-06-30", "2024-12-01"), *HISTORY_ONLY)
    checked = 0
    for day in (date(2024, 12, 1), date(2025, 2, 14), date(2025, 4, 30), date(2025, 6, 30)):
        expected = reference_scores(project, demo["data"], day, point_in_time=True)
        assert_history_day_matches(project, day, expected)
        checked += len(expected)
    # leads appear over time: the earliest day has fewer leads than the last
    assert checked > 1000


def test_what_if_mode_scores_the_current_lead_state(demo: dict[str, Any]) -> None:
    """score_current_lead_state: today's leads (latest versions, leads created
    later included) scored with the activities of a past date."""
    day = date(2025, 2, 14)
    project = Project.copy(demo["root"] / "what_if").without_adjustments()
    project.load_raw(demo["data"])
    project.dbt("build", "--vars",
                vars_for(day.isoformat(), extra=", score_current_lead_state: true"),
                *HISTORY_ONLY)
    current = reference_scores(project, demo["data"], day, point_in_time=False)
    as_it_was = reference_scores(project, demo["data"], day, point_in_time=True)
    # the two modes differ on this data: leads created after the day exist
    # only in the what-if mode
    assert len({lead for lead, _ in current}) > len({lead for lead, _ in as_it_was})
    assert_history_day_matches(project, day, current)


ENROLL = ", enroll_existing_leads: true"


def test_triggers_fire_once(demo: dict[str, Any]) -> None:
    project = Project.copy(demo["root"] / "triggers")
    project.load_raw(demo["data"])
    log_count = "select count(*) as n from marts.fct_lead_score_trigger_log"
    # the first run switches triggers on: it records where leads stand, fires nothing
    project.dbt("build", "--vars", vars_for("2025-06-29"), *TRIGGERS_ONLY)
    assert project.query("select * from marts.fct_lead_score_triggers") == []
    assert project.query(log_count)[0]["n"] == 0
    standing = project.query(
        "select trigger_name, lead_id from marts.fct_lead_score_trigger_standing")
    assert standing, "the demo has leads over a threshold"
    # enrolling them fires one trigger for each lead over a threshold
    project.dbt("build", "--vars", vars_for("2025-06-29", extra=ENROLL), *TRIGGERS_ONLY)
    first = project.query("select * from marts.fct_lead_score_triggers")
    assert sorted((r["trigger_name"], r["lead_id"]) for r in first) == sorted(
        (r["trigger_name"], r["lead_id"]) for r in standing)
    logged = project.query(log_count)[0]["n"]
    assert logged == len(first), "without consent data every firing reaches the outbox"
    # a rerun, enrolling or not, fires nothing twice
    for extra in ("", ENROLL):
        project.dbt("build", "--vars", vars_for("2025-06-29", extra=extra), *TRIGGERS_ONLY)
        assert project.query("select * from marts.fct_lead_score_triggers") == []
        assert project.query(log_count)[0]["n"] == logged
    project.dbt("build", "--vars", vars_for("2025-06-30"), *TRIGGERS_ONLY)
    next_day = project.query("select * from marts.fct_lead_score_triggers")
    assert all(row["crossed_on"] == date(2025, 6, 30) for row in next_day)
    # every firing is a real crossing: over the threshold that day, not the day before
    for row in next_day:
        if row["trigger_name"] != "invite_to_demo":
            continue
        scores = {
            r["score_date"]: float(r["total_score"]) for r in project.query(
                "select score_date, total_score from marts.fct_lead_score_history "
                f"where lead_id = '{row['lead_id']}' and scorecard_id = 'default'"
            )
        }
        assert scores[date(2025, 6, 30)] >= 75 > scores.get(date(2025, 6, 29), 0)


def test_triggers_survive_gaps_and_past_rescores(demo: dict[str, Any]) -> None:
    project = Project.copy(demo["root"] / "trigger_gaps")
    project.load_raw(demo["data"])
    # the first run, enrolling the leads already over a threshold
    project.dbt("build", "--vars", vars_for("2025-06-25", extra=ENROLL), *TRIGGERS_ONLY)
    first = {(r["trigger_name"], r["lead_id"]) for r in project.query(
        "select * from marts.fct_lead_score_triggers")}
    # June 26 is skipped: June 27 compares with each lead's June 25 state
    project.dbt("build", "--vars", vars_for("2025-06-27"), *TRIGGERS_ONLY)
    later = {(r["trigger_name"], r["lead_id"]) for r in project.query(
        "select * from marts.fct_lead_score_triggers")}
    assert first and not (first & later), "a lead over the threshold on both days fired twice"
    # rescoring a past day (June 26) fires nothing: later days were scored already
    project.dbt("build", "--vars", vars_for("2025-06-26"), *TRIGGERS_ONLY)
    assert project.query("select * from marts.fct_lead_score_triggers") == []
    log = project.query(
        "select trigger_name, lead_id, count(*) as n from marts.fct_lead_score_trigger_log "
        "group by trigger_name, lead_id having count(*) > 1"
    )
    assert log == [], "no lead fires the same trigger twice without dropping below"


def test_invalid_adjustment_fails_the_build(tmp_path: Path) -> None:
    project = Project.copy(tmp_path / "project")
    project.write_seed("score_adjustments", [
        {"adjustment_id": "a1", "lead_id": "L1", "action": "Set", "points": "nan",
         "effective_date": "2025-01-01", "reason": "typo", "author": "me"},
    ])
    project.load_raw(ROOT / "tests" / "fixtures" / "worked_example")
    # the adjustments' model and its tests (a whole build fails the same way)
    result = project.dbt("build", "--vars", vars_for("2025-03-31"), "--select",
                         "+int_score_adjustments_sequenced", check=False)
    assert result.returncode != 0
    assert "score_adjustments_rows_are_valid" in result.stdout
    assert "FAIL 1 score_adjustments_rows_are_valid" in result.stdout
