"""CRM and global operations end to end, on a small warehouse written by hand.

Every expected value below follows from the rows written here (the comments
say how), never from a previous run's output:

- CRM activities (sales touches, opportunity events) are scored by activity
  rules; activities recorded while marketing consent was withdrawn are not;
- triggers and the CRM sync leave out leads that may not be contacted;
- the CRM sync is idempotent and carries only changed leads;
- an erasure request leaves no personal data in any relation the project
  builds, including the tables kept across runs (scanned column by column);
- amounts convert with the FX seed; contact hours follow each lead's time
  zone; the funnel dates each stage.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.e2e.harness import MODELS_AND_SEEDS, ROOT, Project, write_csv

AS_OF = "2025-06-30"
MARKER = "zyxwq"  # appears only in the erased lead's personal data
ERASED_EMAIL = "Zyxwq.Erased@example.com"

LEAD_COLUMNS = [
    "lead_id", "email", "first_name", "last_name", "job_title", "seniority", "department",
    "company_name", "company_domain", "industry", "employee_count", "annual_revenue",
    "country", "city", "lead_source", "created_at", "updated_at", "is_deleted",
]
TABLE_COLUMNS = {
    "leads": LEAD_COLUMNS,
    "lead_attributes": ["lead_id", "attribute_name", "attribute_value", "updated_at"],
    "events": [
        "event_id", "lead_id", "event_type", "occurred_at", "page_path", "content_type",
        "campaign_id", "email_id",
    ],
    "sales_activities": [
        "activity_id", "lead_id", "activity_type", "outcome", "owner_id", "occurred_at",
    ],
    "opportunities": [
        "opportunity_id", "lead_id", "stage", "amount", "currency", "created_at",
        "closed_at", "is_won", "is_closed", "updated_at",
    ],
    "consents": ["lead_id", "purpose", "status", "recorded_at"],
    "erasure_requests": ["lead_id", "requested_at"],
}


def lead(lead_id: str, country: str, **values: str) -> dict[str, str]:
    row = {"lead_id": lead_id, "country": country, "created_at": "2025-01-01 00:00:00",
           "updated_at": "2025-01-01 00:00:00", "is_deleted": "false"}
    row.update(values)
    return row


def view(event_id: str, lead_id: str, at: str, path: str = "/blog") -> dict[str, str]:
    return {"event_id": event_id, "lead_id": lead_id, "event_type": "page_view",
            "occurred_at": at, "page_path": path}


RAW: dict[str, list[dict[str, str]]] = {
    "leads": [
        # L1 will ask to be erased: every personal value carries the marker
        lead("L1", "DE", email=ERASED_EMAIL, first_name="Zyxwqfirst", last_name="Zyxwqlast",
             job_title="Zyxwq Director", company_name="Zyxwq GmbH",
             company_domain="zyxwq.example", city="Zyxwqcity"),
        lead("L2", "US", first_name="Anna"),
        lead("L3", "Germany"),           # opt-in country, no consent row
        lead("L4", "us"),                # opt-out country, no consent row
        lead("L5", ""),                  # no country: UTC, unknown consent basis
    ],
    "lead_attributes": [
        {"lead_id": "L1", "attribute_name": "notes", "attribute_value": "Zyxwq likes golf",
         "updated_at": "2025-01-02 00:00:00"},
    ],
    "events": [
        view("E1", "L1", "2025-06-01 10:00:00", f"/account?email={ERASED_EMAIL}"),
        # L2 withdraws consent on Apr 1 and grants it again on May 15:
        # the view of Apr 10 is not scored, Mar 1 and May 20 are
        view("E2", "L2", "2025-03-01 10:00:00"),
        view("E3", "L2", "2025-04-10 10:00:00"),
        view("E4", "L2", "2025-05-20 10:00:00"),
        # exactly at the withdrawal moment: withdrawn already, not scored
        view("E5", "L2", "2025-04-01 00:00:00"),
        view("E6", "L3", "2025-06-02 10:00:00"),
        # L4 (America/New_York, EDT = UTC-4 in June): 10h local twice, 22h once
        view("E7", "L4", "2025-06-10 14:30:00"),
        view("E8", "L4", "2025-06-11 14:05:00"),
        view("E9", "L4", "2025-06-12 02:00:00"),
        # L5 (no country, UTC): 9h
        view("E10", "L5", "2025-06-20 09:15:00"),
    ],
    "sales_activities": [
        {"activity_id": "S1", "lead_id": "L1", "activity_type": "call",
         "outcome": "Zyxwq said call back Tuesday", "owner_id": "U1",
         "occurred_at": "2025-06-03 10:00:00"},
        {"activity_id": "S2", "lead_id": "L4", "activity_type": " Meeting ", "outcome": "held",
         "owner_id": "U2", "occurred_at": "2025-06-15 15:00:00"},
    ],
    "opportunities": [
        # L2: won in March, amount in EUR
        {"opportunity_id": "O2", "lead_id": "L2", "stage": "discovery", "amount": "5000",
         "currency": "eur", "created_at": "2025-02-01 00:00:00", "closed_at": "",
         "is_won": "false", "is_closed": "false", "updated_at": "2025-02-01 00:00:00"},
        {"opportunity_id": "O2", "lead_id": "L2", "stage": "closed_won", "amount": "5000",
         "currency": "EUR", "created_at": "2025-02-01 00:00:00",
         "closed_at": "2025-03-15 12:00:00", "is_won": "true", "is_closed": "true",
         "updated_at": "2025-03-15 12:00:00"},
        # L4: opened, then lost in June
        {"opportunity_id": "O1", "lead_id": "L4", "stage": "discovery", "amount": "1000",
         "currency": "EUR", "created_at": "2025-06-01 00:00:00", "closed_at": "",
         "is_won": "false", "is_closed": "false", "updated_at": "2025-06-01 00:00:00"},
        {"opportunity_id": "O1", "lead_id": "L4", "stage": "closed_lost", "amount": "1000",
         "currency": "EUR", "created_at": "2025-06-01 00:00:00",
         "closed_at": "2025-06-20 00:00:00", "is_won": "false", "is_closed": "true",
         "updated_at": "2025-06-20 00:00:00"},
        # L3: open, in a currency the FX seed does not know
        {"opportunity_id": "O3", "lead_id": "L3", "stage": "proposal", "amount": "10",
         "currency": "XYZ", "created_at": "2025-06-05 00:00:00", "closed_at": "",
         "is_won": "false", "is_closed": "false", "updated_at": ""},
    ],
    "consents": [
        {"lead_id": "L1", "purpose": "marketing", "status": "granted",
         "recorded_at": "2025-01-01 00:00:00"},
        {"lead_id": "L2", "purpose": "Marketing", "status": "granted",
         "recorded_at": "2025-01-01 00:00:00"},
        {"lead_id": "L2", "purpose": "marketing", "status": " WITHDRAWN",
         "recorded_at": "2025-04-01 00:00:00"},
        {"lead_id": "L2", "purpose": "marketing", "status": "granted",
         "recorded_at": "2025-05-15 00:00:00"},
        # another purpose changes nothing
        {"lead_id": "L4", "purpose": "analytics", "status": "withdrawn",
         "recorded_at": "2025-02-01 00:00:00"},
    ],
}

RULES = [
    {"rule_id": "views", "dimension": "engagement", "score_group": "web",
     "source": "activity", "activity_type": "page_view", "points": "1", "frequency": "each"},
    {"rule_id": "touched", "dimension": "engagement", "score_group": "sales",
     "source": "activity", "activity_type": "sales_touch", "points": "10", "frequency": "once"},
    {"rule_id": "meeting", "dimension": "engagement", "score_group": "sales",
     "source": "activity", "activity_type": "sales_touch", "field": "touch_type",
     "operator": "equals", "value": "meeting", "points": "5", "frequency": "once"},
    {"rule_id": "lost", "dimension": "engagement", "score_group": "sales",
     "source": "activity", "activity_type": "opportunity_lost", "points": "-20",
     "frequency": "once"},
    {"rule_id": "won", "dimension": "engagement", "score_group": "sales",
     "source": "activity", "activity_type": "opportunity_won", "points": "50",
     "frequency": "once"},
    {"rule_id": "germany", "dimension": "fit", "score_group": "geo", "source": "lead",
     "field": "country", "operator": "in", "value": "DE|Germany", "points": "3"},
]

VARS = (
    "{score_as_of: '" + AS_OF + "', champion_scorecard: crm, "
    "score_triggers: [{name: any_score, scorecard_id: crm, min_score: 1}]}"
)
# the first build enrolls the leads already over the trigger's threshold (a
# first run fires nothing otherwise)
FIRST_VARS = VARS[:-1] + ", enroll_existing_leads: true}"


def write_raw(folder: Path, raw: dict[str, list[dict[str, str]]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in raw.items():
        write_csv(folder / f"{table}.csv", TABLE_COLUMNS[table], rows)


def load(project: Project, folder: Path, raw: dict[str, list[dict[str, str]]]) -> None:
    write_raw(folder, raw)
    with_crm = project.load_raw(folder, crm=True)
    assert with_crm["opportunities"] == len(raw["opportunities"])


def built_relations(project: Project) -> list[tuple[str, str, list[str]]]:
    rows = project.query(
        "select table_schema, table_name, list(column_name order by ordinal_position) "
        "as columns from information_schema.columns "
        "where table_schema not in ('raw', 'information_schema', 'pg_catalog', 'main') "
        "group by table_schema, table_name order by table_schema, table_name"
    )
    return [(row["table_schema"], row["table_name"], row["columns"]) for row in rows]


def personal_data_hits(project: Project, needles: list[str]) -> list[str]:
    """Every (relation, column) whose text contains one of the needles (one
    query per relation, counting each column's matching rows)."""
    hits = []
    with duckdb.connect(str(project.database), read_only=True) as con:
        for schema, table, columns in built_relations(project):
            counts = con.execute("select " + ", ".join(
                "count_if(" + " or ".join(
                    f"""contains(lower(cast("{column}" as varchar)), '{needle.lower()}')"""
                    for needle in needles
                ) + ")"
                for column in columns
            ) + f' from "{schema}"."{table}"').fetchone()
            assert counts is not None
            hits += [f"{schema}.{table}.{column} ({found} rows)"
                     for column, found in zip(columns, counts, strict=True) if found]
    return hits


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three builds: the data as written; then L1's erasure request (same day's
    data otherwise); then one more page view for L4."""
    root = tmp_path_factory.mktemp("crm")
    project = Project.copy(root / "project").without_adjustments()
    project.write_seed("scorecard_rules", [{"scorecard_id": "crm", "description": r["rule_id"],
                                            **r} for r in RULES])
    project.write_seed("scorecard_groups", [])
    project.write_seed("scorecard_bands", [
        {"scorecard_id": "crm", "band": "cold"},
        {"scorecard_id": "crm", "band": "mql", "min_score": "5"},
    ])
    project.write_seed("scorecard_grades", [])
    state: dict[str, Any] = {"project": project}

    load(project, root / "raw1", RAW)
    project.dbt("build", "--vars", FIRST_VARS, "--exclude-resource-type", "unit_test")
    state["first"] = {
        "hits": personal_data_hits(project, [MARKER]),
        "history_leads": {r["lead_id"] for r in project.query(
            "select distinct lead_id from marts.fct_lead_score_history")},
        "sync": project.query("select * from marts.fct_crm_lead_sync order by lead_id"),
        "triggers": project.query("select * from marts.fct_lead_score_triggers"),
        "trigger_log": project.query("select * from marts.fct_lead_score_trigger_log"),
    }

    erased = dict(RAW)
    erased["erasure_requests"] = [{"lead_id": " L1", "requested_at": "2025-06-29 10:00:00"}]
    load(project, root / "raw2", erased)
    # the data tests ran in the first build; these check what the queries read
    project.dbt("build", "--vars", VARS, *MODELS_AND_SEEDS)
    email_hash = hashlib.md5(ERASED_EMAIL.lower().encode()).hexdigest()
    state["second"] = {
        "hits": personal_data_hits(project, [MARKER, email_hash]),
        "history_leads": {r["lead_id"] for r in project.query(
            "select distinct lead_id from marts.fct_lead_score_history")},
        "log_leads": {r["lead_id"] for r in project.query(
            "select distinct lead_id from marts.fct_crm_sync_log union "
            "select distinct lead_id from marts.fct_lead_score_trigger_log")},
        "sync": project.query("select * from marts.fct_crm_lead_sync"),
        "sync_log_rows": project.query("select count(*) as n from marts.fct_crm_sync_log")[0]["n"],
    }

    more = dict(erased)
    more["events"] = [*RAW["events"], view("E11", "L4", "2025-06-29 14:00:00")]
    load(project, root / "raw3", more)
    project.dbt("build", "--vars", VARS, *MODELS_AND_SEEDS)
    state["third"] = {"sync": project.query("select * from marts.fct_crm_lead_sync")}
    return state


def scores(project: Project) -> dict[str, float]:
    return {r["lead_id"]: float(r["total_score"]) for r in project.query(
        "select lead_id, total_score from marts.fct_lead_scores where scorecard_id = 'crm'")}


def test_crm_activities_scored_and_consent_windows_respected(warehouse: dict[str, Any]) -> None:
    # L2: views Mar 1 and May 20 (+1 each; Apr 1 and Apr 10 fall in the
    #     withdrawal) + won (+50) = 52
    # L3: view (+1) + Germany (+3) = 4
    # L4: 3 views, 4 after the third build (the final state) + touched (+10)
    #     + meeting (+5) + lost (-20) = 4 + 10 + 5 - 20 = -1
    # L5: one view = 1; L1 is erased
    assert scores(warehouse["project"]) == {"L2": 52.0, "L3": 4.0, "L4": -1.0, "L5": 1.0}
    not_scored = warehouse["project"].query(
        "select activity_id, not_scored_reason from intermediate.int_activities_consented "
        "where not is_scored order by activity_id")
    assert not_scored == [
        {"activity_id": "E3", "not_scored_reason": "marketing consent withdrawn"},
        {"activity_id": "E5", "not_scored_reason": "marketing consent withdrawn"},
    ]


def test_contact_profiles_consent_time_zone_and_best_hour(warehouse: dict[str, Any]) -> None:
    profiles = {r["lead_id"]: r for r in warehouse["project"].query(
        "select * from marts.dim_lead_contact_profiles")}
    assert set(profiles) == {"L2", "L3", "L4", "L5"}
    expected = {
        # lead: (time zone, source, basis, status, contactable, reason, best hour)
        "L2": ("America/New_York", "country", "opt_out", "granted", True, None, 5),
        "L3": ("Europe/Berlin", "country", "opt_in", None, False,
               "no marketing consent (opt-in country)", 12),
        "L4": ("America/New_York", "country", "opt_out", None, True, None, 10),
        "L5": ("UTC", "default", "opt_in", None, False,
               "no marketing consent (opt-in country)", 9),
    }
    for lead_id, (zone, source, basis, status, ok, reason, hour) in expected.items():
        row = profiles[lead_id]
        got = (row["time_zone"], row["time_zone_source"], row["consent_basis"],
               row["marketing_consent_status"], row["is_contactable"],
               row["not_contactable_reason"], row["best_contact_hour_local"])
        assert got == (zone, source, basis, status, ok, reason, hour), lead_id
    # L2's scored views are both at 10:00 UTC, on either side of the switch
    # to daylight saving time: Mar 1 is 05:00 EST, May 20 is 06:00 EDT
    # (Apr 1 and Apr 10, while withdrawn, do not count). One each: the tie
    # goes to the earlier hour, 5. L3: Jun 2 10:00 UTC is 12:00 in Berlin.


def test_triggers_and_sync_leave_out_leads_without_consent(warehouse: dict[str, Any]) -> None:
    first = warehouse["first"]
    logged = {r["lead_id"] for r in first["trigger_log"]}
    outbox = {r["lead_id"] for r in first["triggers"]}
    # every lead with a score of at least 1 fires on the first run (enrolled)...
    assert logged == {"L1", "L2", "L3", "L5"}
    # ...but only contactable ones reach the outbox (L1 and L2 granted;
    # L3 and L5 have no consent in an opt-in basis)
    assert outbox == {"L1", "L2"}
    assert {r["lead_id"] for r in first["sync"]} == {"L1", "L2", "L4"}
    l2 = next(r for r in first["sync"] if r["lead_id"] == "L2")
    assert l2["band"] == "mql"
    assert l2["top_reasons"] == "won (+50.00); views (+2.00)"


def test_sync_is_idempotent_and_carries_only_changes(warehouse: dict[str, Any]) -> None:
    # the second build had the same data for L2 and L4: nothing to sync
    assert warehouse["second"]["sync"] == []
    # the third added a page view for L4 only
    assert [r["lead_id"] for r in warehouse["third"]["sync"]] == ["L4"]


def test_erasure_leaves_no_personal_data_anywhere(warehouse: dict[str, Any]) -> None:
    # the scan can fail: before the request, L1's data is in staging and marts
    assert any(hit.startswith("staging.stg_crm__leads.") for hit in warehouse["first"]["hits"])
    assert "L1" in warehouse["first"]["history_leads"]
    # after it: no marker and no email hash in any column of any relation,
    # and the tables kept across runs lost L1's rows
    assert warehouse["second"]["hits"] == []
    assert "L1" not in warehouse["second"]["history_leads"]
    assert "L1" not in warehouse["second"]["log_leads"]
    reasons = warehouse["project"].query(
        "select source_table, count(*) as n from marts.fct_quarantined_rows "
        "where quarantine_reason = 'erasure requested' group by source_table "
        "order by source_table")
    assert reasons == [
        {"source_table": "consents", "n": 1}, {"source_table": "events", "n": 1},
        {"source_table": "lead_attributes", "n": 1}, {"source_table": "leads", "n": 1},
        {"source_table": "sales_activities", "n": 1},
    ]


def fx_rate(month: str, currency: str) -> float:
    with (ROOT / "seeds" / "reference" / "fx_rates_monthly.csv").open() as handle:
        for row in csv.DictReader(handle):
            if row["rate_month"] == month and row["currency"] == currency:
                return float(row["units_per_usd"])
    raise AssertionError(f"no rate {month} {currency}")


def test_amounts_convert_to_the_reporting_currency(warehouse: dict[str, Any]) -> None:
    deals = {r["opportunity_id"]: r for r in warehouse["project"].query(
        "select * from marts.fct_opportunities")}
    # O2 closed in March 2025, O1 in June 2025: the rate of the close month
    assert deals["O2"]["fx_status"] == "converted"
    assert deals["O2"]["amount_reporting"] == pytest.approx(
        5000 / fx_rate("2025-03-01", "EUR"))
    assert deals["O1"]["amount_reporting"] == pytest.approx(
        1000 / fx_rate("2025-06-01", "EUR"))
    assert deals["O1"]["stage"] == "closed_lost" and not deals["O1"]["is_won"]
    # an unknown currency is reported, not guessed
    assert deals["O3"]["fx_status"] == "no rate"
    assert deals["O3"]["amount_reporting"] is None


def test_funnel_stages_and_dates(warehouse: dict[str, Any]) -> None:
    funnel = {r["lead_id"]: r for r in warehouse["project"].query(
        "select * from marts.fct_lead_funnel")}
    assert funnel["L2"]["funnel_stage"] == "customer"
    assert str(funnel["L2"]["sql_at"]) == "2025-02-01 00:00:00"
    assert str(funnel["L2"]["customer_at"]) == "2025-03-15 12:00:00"
    assert funnel["L4"]["funnel_stage"] == "sql"   # a lost deal was still accepted
    assert funnel["L3"]["funnel_stage"] == "sql"
    assert funnel["L5"]["funnel_stage"] in ("lead", "mql")
    assert funnel["L5"]["sql_at"] is None
    assert not any(r["has_out_of_order_stages"] for r in funnel.values())
