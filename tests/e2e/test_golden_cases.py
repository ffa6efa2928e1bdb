"""Golden cases written by hand: every expected number comes from the spec or a comment.

- SCORING_SPEC section 4, the worked example, end to end, with the raw tables
  loaded as text and as typed tables (both must work).
- Scorecard values are data, never SQL: quotes, `%`, `_`, backslashes,
  semicolons, comment markers and non-Latin text match literally.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import ROOT, SCORING, Project, read_csv_rows, write_csv
from tests.reference.scoring import score

WORKED_EXAMPLE = ROOT / "tests" / "fixtures" / "worked_example"


def ledger(project: Project, scorecard: str) -> dict[str, dict[str, float]]:
    entries: dict[str, dict[str, float]] = {}
    for row in project.query(
        "select lead_id, rule_id, contribution from marts.fct_lead_score_contributions "
        f"where scorecard_id = '{scorecard}'"
    ):
        entries.setdefault(row["lead_id"], {})[row["rule_id"]] = float(row["contribution"])
    return entries


def scores(project: Project, scorecard: str) -> dict[str, dict[str, Any]]:
    return {
        row["lead_id"]: row
        for row in project.query(
            f"select * from marts.fct_lead_scores where scorecard_id = '{scorecard}'"
        )
    }


@pytest.mark.parametrize("typed", [False, True], ids=["raw as text", "raw typed"])
def test_worked_example_of_the_spec(tmp_path: Path, typed: bool) -> None:
    project = Project.copy(tmp_path / "project")
    project.load_raw(WORKED_EXAMPLE, typed=typed)
    if typed:
        types = {
            row["column_name"]: row["data_type"]
            for row in project.query(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'raw' and table_name = 'leads'"
            )
        }
        assert types["created_at"] == "TIMESTAMP" and types["employee_count"] == "BIGINT"
        assert types["is_deleted"] == "BOOLEAN"
    project.build("2025-03-31", select=SCORING)

    got = scores(project, "worked_example")
    # A Director in Technology who opened an email, visited the site 4 times
    # and downloaded an ebook: 10 + 10 + 5 + 10 + 15 = 50, qualified (> 30).
    assert float(got["L1"]["total_score"]) == 50.0
    assert got["L1"]["band"] == "qualified"
    # A Manager in Education who never opened an email and downloaded a
    # whitepaper: 5 + 5 - 10 + 20 = 20, not qualified.
    assert float(got["L2"]["total_score"]) == 20.0
    assert got["L2"]["band"] == "not_qualified"
    assert ledger(project, "worked_example") == {
        "L1": {"director": 10, "industry_technology": 10, "opens_emails": 5,
               "website_visits": 10, "ebook_download": 15},
        "L2": {"manager": 5, "industry_education": 5, "no_email_opens": -10,
               "whitepaper_download": 20},
    }
    # fit: L1 director + technology = 20; L2 manager + education = 10
    assert float(got["L1"]["fit_score"]) == 20.0 and float(got["L2"]["fit_score"]) == 10.0


LITERAL_LEADS = [
    # lead_id, company_name, job_title, notes (custom attribute)
    ("Q1", "O'Reilly & Sons", "Analyst", None),
    ("Q2", "100% Natural_Foods", "Analyst", None),
    ("Q3", "1000 Natural Foods", "Analyst", None),
    ("Q4", "Back\\slash Ltd", "Analyst", None),
    ("Q5", "semi;colon -- Inc", "Analyst", None),
    ("Q6", "Montserrat Vilaró SL", "Director (R&D)", None),
    ("Q7", "ООО Ромашка", "Analyst", "yes' or '1'='1"),
    ("Q8", "株式会社テスト", "Analyst", "no"),
    ("Q9", "OxReilly & Sons", "Analyst", None),
]

LITERAL_RULES = [
    # rule_id, field, operator, value, points
    ("quote", "company_name", "equals", "O'Reilly & Sons", "1"),
    ("percent", "company_name", "contains", "100%", "2"),
    ("percent_underscore", "company_name", "contains", "%_", "1000"),
    ("backslash", "company_name", "starts_with", "back\\slash", "4"),
    ("semicolon", "company_name", "equals", "SEMI;COLON -- INC", "8"),
    ("accents_cyrillic", "company_name", "in", "montserrat vilaró sl|ооо ромашка", "16"),
    ("japanese", "company_name", "contains", "テスト", "32"),
    ("injection", "notes", "equals", "yes' or '1'='1", "64"),
    ("parenthesis", "job_title", "contains", "(r&d)", "128"),
    ("underscore_is_not_a_wildcard", "company_name", "equals", "O_Reilly & Sons", "256"),
]


def test_values_are_matched_literally(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    lead_columns = [
        "lead_id", "email", "first_name", "last_name", "job_title", "seniority",
        "department", "company_name", "company_domain", "industry", "employee_count",
        "annual_revenue", "country", "city", "lead_source", "created_at", "updated_at",
        "is_deleted",
    ]
    write_csv(raw / "leads.csv", lead_columns, [
        {"lead_id": lead_id, "company_name": company, "job_title": title,
         "created_at": "2025-01-01 00:00:00", "updated_at": "2025-01-01 00:00:00",
         "is_deleted": "false"}
        for lead_id, company, title, _ in LITERAL_LEADS
    ])
    write_csv(raw / "lead_attributes.csv",
              ["lead_id", "attribute_name", "attribute_value", "updated_at"],
              [{"lead_id": lead_id, "attribute_name": "notes", "attribute_value": notes,
                "updated_at": "2025-01-01"}
               for lead_id, _, _, notes in LITERAL_LEADS if notes])
    write_csv(raw / "events.csv",
              ["event_id", "lead_id", "event_type", "occurred_at", "page_path",
               "content_type", "campaign_id", "email_id"], [])

    project = Project.copy(tmp_path / "project")
    rules = [
        {"scorecard_id": "literal", "rule_id": rule_id, "dimension": "fit",
         "score_group": "g", "source": "lead", "field": field, "operator": operator,
         "value": value, "points": points, "description": f"Matches {value}"}
        for rule_id, field, operator, value, points in LITERAL_RULES
    ]
    project.write_seed("scorecard_rules", rules)
    project.write_seed("scorecard_groups", [])
    project.write_seed("scorecard_bands", [{"scorecard_id": "literal", "band": "all"}])
    project.write_seed("scorecard_grades", [])
    project.load_raw(raw)
    project.build("2025-06-30", select=SCORING)

    got = {lead_id: float(row["total_score"]) for lead_id, row in
           scores(project, "literal").items()}
    assert got == {
        "Q1": 1,    # the quote matches; O_Reilly does not (no wildcard)
        "Q2": 2,    # contains 100%; "%_" is not in the name
        "Q3": 0,    # 1000 does not contain "100%"
        "Q4": 4,    # backslash kept literally, case ignored
        "Q5": 8,    # semicolon and -- are data
        "Q6": 16 + 128,  # accents; "(r&d)" in the title
        "Q7": 16 + 64,   # Cyrillic ignoring case; the quote-laden attribute
        "Q8": 32,   # Japanese
        "Q9": 0,    # an x is not a quote
    }
    reference = score(
        leads=read_csv_rows(raw / "leads.csv"),
        lead_attributes=read_csv_rows(raw / "lead_attributes.csv"),
        events=[],
        rules=project.read_seed("scorecard_rules"),
        groups=[],
        bands=project.read_seed("scorecard_bands"),
        grades=[],
        country_markets=read_csv_rows(project.seed_path("country_markets")),
        as_of=date(2025, 6, 30),
    )
    assert {key[0]: value.total_score for key, value in reference.scores.items()} == got


def test_vars_are_data_too(tmp_path: Path) -> None:
    """A var holding a quote reaches SQL as an escaped literal: the build
    works, and the compiled SQL holds the value inside a string literal."""
    project = Project.copy(tmp_path / "project")
    project.load_raw(WORKED_EXAMPLE)
    zone, champion = "Mars/O'Neil", "worked_example's twin"
    compiled = Path("target/compiled/lead_scoring/models")
    project.dbt("compile", "--select", "int_leads_localized", "--vars",
                f"{{score_as_of: '2025-03-31', default_time_zone: \"{zone}\"}}")
    localized = (project.path / compiled / "intermediate/leads/int_leads_localized.sql").read_text()
    assert "'Mars/O''Neil'" in localized
    # the champion var in every mart that reads it; no scorecard has that id,
    # so the champion's marts are empty but the build passes
    project.dbt("build", "--vars",
                f"{{score_as_of: '2025-03-31', champion_scorecard: \"{champion}\"}}",
                "--exclude-resource-type", "unit_test", "--indirect-selection", "cautious",
                "--select", "+fct_crm_sync_log", "+fct_lead_scores")
    sync_log = (project.path / compiled / "marts/activation/fct_crm_sync_log.sql").read_text()
    assert "scorecard_id = 'worked_example''s twin'" in sync_log
    assert project.query("select count(*) as n from marts.fct_crm_sync_log")[0]["n"] == 0
    assert project.query("select count(*) as n from marts.fct_lead_scores")[0]["n"] > 0
