"""The warehouse against the independent reference implementation.

Generated demo data (with its mess) is scored by the dbt project and by
tests/reference/scoring.py, written from SCORING_SPEC alone, with the shipped
scorecards, a hand-written tricky scorecard and random scorecards side by
side, at two as-of dates (each lead as it was on the date, the project's
default). Every score, band, grade, rule contribution, group
cap, activity count and quarantined row must agree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scripts.generate_demo_data import generate
from tests.e2e.harness import SCORING, Project, read_csv_rows, read_raw_rows
from tests.e2e.scorecards import random_scorecard, tricky_scorecard
from tests.reference.scoring import score

AS_OF_DATES = ["2025-06-30", "2025-02-14"]
RANDOM_SEEDS = [101, 202, 303, 404]


@pytest.fixture(scope="module")
def scored_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("parity")
    data = root / "data"
    generate(data, n_leads=400, events_per_lead=25, seed=11, end_date=date(2025, 6, 30))
    project = Project.copy(root / "project").without_adjustments()
    seeds: dict[str, list[dict[str, Any]]] = {
        name: project.read_seed(name)
        for name in ("scorecard_rules", "scorecard_groups", "scorecard_bands", "scorecard_grades")
    }
    extra = [tricky_scorecard()] + [
        random_scorecard(seed, f"random_{seed}") for seed in RANDOM_SEEDS
    ]
    for rules, groups, bands, grades in extra:
        seeds["scorecard_rules"] += rules
        seeds["scorecard_groups"] += groups
        seeds["scorecard_bands"] += bands
        seeds["scorecard_grades"] += grades
    for name, rows in seeds.items():
        project.write_seed(name, rows)
    project.load_raw(data)
    return {"project": project, "data": data, "built_as_of": None}


def build_as_of(scored_data: dict[str, Any], as_of: str) -> Project:
    """Build the project at this as-of date unless the last build was for it."""
    project: Project = scored_data["project"]
    if scored_data["built_as_of"] != as_of:
        project.build(as_of, select=SCORING, data_tests=False)
        scored_data["built_as_of"] = as_of
    return project


def reference_result(project: Project, data: Path, as_of: str) -> Any:
    raw = read_raw_rows(data)
    return score(
        leads=raw["leads"],
        lead_attributes=raw["lead_attributes"],
        events=raw["events"],
        rules=project.read_seed("scorecard_rules"),
        groups=project.read_seed("scorecard_groups"),
        bands=project.read_seed("scorecard_bands"),
        grades=project.read_seed("scorecard_grades"),
        country_markets=read_csv_rows(project.seed_path("country_markets")),
        as_of=date.fromisoformat(as_of),
        # a past as-of date is point in time by default (docs/scoring.md)
        point_in_time=True,
    )


def _report(problems: list[str]) -> str:
    return f"{len(problems)} mismatches, first ones:\n  " + "\n  ".join(problems[:25])


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_every_score_matches_the_reference(scored_data: dict[str, Any], as_of: str) -> None:
    project = build_as_of(scored_data, as_of)
    expected = reference_result(project, scored_data["data"], as_of)

    scores = {
        (row["lead_id"], row["scorecard_id"]): row
        for row in project.query(
            # the unrounded scores: the as-of date's contributions summed
            # (no adjustments here: the project runs without them)
            "select s.*, coalesce(t.total_score_unrounded, 0) as total_score_unrounded, "
            "coalesce(t.fit_score_unrounded, 0) as fit_score_unrounded "
            "from marts.fct_lead_scores as s "
            "left join (select lead_id, scorecard_id, sum(contribution) as total_score_unrounded, "
            "sum(case when dimension = 'fit' then contribution else 0 end) as fit_score_unrounded "
            "from intermediate.int_lead_rule_contributions "
            f"where score_date = '{as_of}' group by lead_id, scorecard_id) as t "
            "using (lead_id, scorecard_id)"
        )
    }
    assert len(expected.scores) > 1000, "the comparison must cover many lead/scorecard pairs"
    assert set(scores) == set(expected.scores)
    problems = []
    for key, want in expected.scores.items():
        got = scores[key]
        if abs(got["total_score_unrounded"] - want.total_unrounded) > 1e-6:
            problems.append(
                f"{key}: total {got['total_score_unrounded']} != {want.total_unrounded}"
            )
        for column in ("fit_score", "engagement_score", "total_score"):
            if abs(float(got[column]) - getattr(want, column)) > 0.0100001:
                problems.append(f"{key}: {column} {got[column]} != {getattr(want, column)}")
        if got["band"] != want.band:
            problems.append(f"{key}: band {got['band']} != {want.band}")
        if got["grade"] != want.grade:
            problems.append(f"{key}: grade {got['grade']} != {want.grade}")
    assert not problems, _report(problems)
    # the comparison is not vacuous: scores spread over several bands
    assert len({(key[1], row["band"]) for key, row in scores.items()}) >= 10


def test_every_ledger_entry_matches_the_reference(scored_data: dict[str, Any]) -> None:
    as_of = AS_OF_DATES[0]
    project = build_as_of(scored_data, as_of)
    expected = reference_result(project, scored_data["data"], as_of)
    ledger = project.query("select * from marts.fct_lead_score_contributions")

    rules = {
        (row["lead_id"], row["scorecard_id"], row["rule_id"]): row
        for row in ledger if row["entry_type"] == "rule"
    }
    assert set(rules) == set(expected.contributions)
    problems = [
        f"{key}: contribution {rules[key]['contribution_unrounded']} != {value}"
        for key, value in expected.contributions.items()
        if abs(rules[key]["contribution_unrounded"] - value) > 1e-6
    ]
    problems += [
        f"{key}: activity count {rules[key]['activity_count']} != {count}"
        for key, count in expected.activity_counts.items()
        if rules[key]["activity_count"] != count
    ]
    caps = {
        (row["lead_id"], row["scorecard_id"], row["score_group"]): row["contribution_unrounded"]
        for row in ledger if row["entry_type"] == "group_cap"
    }
    assert set(caps) == set(expected.group_adjustments)
    problems += [
        f"{key}: group cap {caps[key]} != {value}"
        for key, value in expected.group_adjustments.items()
        if abs(caps[key] - value) > 1e-6
    ]
    assert not problems, _report(problems)
    assert len(caps) > 50, "group caps must be exercised"

    totals: dict[tuple[str, str], float] = {}
    for row in ledger:
        key = (row["lead_id"], row["scorecard_id"])
        totals[key] = totals.get(key, 0) + float(row["contribution"])
    published = {
        (row["lead_id"], row["scorecard_id"]): float(row["total_score"])
        for row in project.query("select * from marts.fct_lead_scores")
    }
    assert all(abs(totals.get(key, 0) - value) < 1e-9 for key, value in published.items())


def test_quarantine_matches_the_reference(scored_data: dict[str, Any]) -> None:
    project = build_as_of(scored_data, AS_OF_DATES[0])
    expected = reference_result(project, scored_data["data"], AS_OF_DATES[0])
    got = sorted(
        (row["source_table"], row["source_row_number"] - 1, row["quarantine_reason"])
        for row in project.query("select * from marts.fct_quarantined_rows")
    )
    assert got == sorted(expected.quarantine)
    assert {
        "missing lead_id", "unparseable created_at", "unparseable updated_at",
        "missing occurred_at", "unparseable occurred_at", "unknown lead",
        "duplicate event_id",
    } <= {reason for _, _, reason in got}
