"""The whole pipeline on real data: the Olist marketing funnel (8,000 MQLs,
842 closed deals; ../shared/data/olist_marketing_funnel, see docs/olist.md).

`scripts/load_olist.py` maps it onto the raw contract and `pipeline.py run
--raw-from` loads, builds, validates and summarises it, as a user would run
it. The expected counts are computed here from the source CSV files with
Python's csv module, not copied from a run.
"""

from __future__ import annotations

import csv
import statistics
import subprocess
import sys
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from scripts.load_olist import convert
from tests.e2e.harness import ROOT, Project

OLIST_DIR = ROOT.parent / "shared" / "data" / "olist_marketing_funnel"
MQL_FILE = "olist_marketing_qualified_leads_dataset.csv"
DEALS_FILE = "olist_closed_deals_dataset.csv"


def read(name: str) -> list[dict[str, str]]:
    with (OLIST_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def olist_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # the shared data sits beside the repository (../shared), in CI too
    assert (OLIST_DIR / MQL_FILE).exists(), (
        f"Olist data not found in {OLIST_DIR}: the tests expect ../shared/data "
        "beside the repository"
    )
    root = tmp_path_factory.mktemp("olist")
    project = Project.copy(root / "project")
    raw_dir = root / "raw"
    convert(OLIST_DIR, raw_dir)
    mqls = read(MQL_FILE)
    deals = read(DEALS_FILE)
    last_day = max(
        [datetime.fromisoformat(row["won_date"]).date() for row in deals]
        + [datetime.fromisoformat(row["first_contact_date"]).date() for row in mqls]
    )
    result = subprocess.run(
        [sys.executable, "scripts/pipeline.py", "run", "--raw-from", str(raw_dir),
         "--as-of", last_day.isoformat(), "--no-demo", "--history-days", "0"],
        cwd=project.path, env=project.env, capture_output=True, text=True, timeout=900,
    )
    return {"project": project, "result": result, "mqls": mqls, "deals": deals,
            "as_of": last_day}


def test_pipeline_runs_green_and_prints_the_funnel(olist_run: dict[str, Any]) -> None:
    result = olist_run["result"]
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "Funnel" in result.stdout
    customers = len({row["mql_id"] for row in olist_run["deals"]})
    assert any(
        line.split()[:2] == ["customer", f"{customers:,}"] for line in result.stdout.splitlines()
    ), result.stdout


def test_every_lead_and_deal_arrives(olist_run: dict[str, Any]) -> None:
    project: Project = olist_run["project"]
    mql_ids = {row["mql_id"] for row in olist_run["mqls"]}
    deal_leads = {row["mql_id"] for row in olist_run["deals"]}
    count = project.query("select count(*) as n from marts.dim_leads")[0]["n"]
    assert count == len(mql_ids)
    deals = project.query("select lead_id, is_won, currency from marts.fct_opportunities")
    assert {row["lead_id"] for row in deals} == deal_leads & mql_ids
    assert all(row["is_won"] and row["currency"] == "BRL" for row in deals)
    funnel = project.query(
        "select funnel_stage, count(*) as n from marts.fct_lead_funnel group by funnel_stage")
    by_stage = {row["funnel_stage"]: row["n"] for row in funnel}
    assert by_stage["customer"] == len(deal_leads & mql_ids)
    assert sum(by_stage.values()) == len(mql_ids)


def test_odd_rows_stay_visible(olist_run: dict[str, Any]) -> None:
    project: Project = olist_run["project"]
    first_contact = {row["mql_id"]: row["first_contact_date"] for row in olist_run["mqls"]}
    won_before_contact = {
        row["mql_id"] for row in olist_run["deals"]
        if row["mql_id"] in first_contact
        and datetime.fromisoformat(row["won_date"])
        < datetime.fromisoformat(first_contact[row["mql_id"]])
    }
    assert won_before_contact, "the Olist data has a deal won before its first contact"
    flagged = project.query(
        "select lead_id, funnel_stage from marts.fct_lead_funnel "
        "where has_out_of_order_stages")
    assert {row["lead_id"] for row in flagged} == won_before_contact
    assert {row["funnel_stage"] for row in flagged} == {"customer"}
    unknown = {row["mql_id"] for row in olist_run["deals"]} - set(first_contact)
    quarantined = project.query(
        "select record_key from marts.fct_quarantined_rows "
        "where source_table = 'opportunities'")
    assert {row["record_key"] for row in quarantined} == {
        f"olist_deal_{mql_id}" for mql_id in unknown
    }


def test_kpis_match_an_independent_computation(olist_run: dict[str, Any]) -> None:
    """Conversion by origin and the sales cycle, recomputed from the CSV files.

    The KPI mart's rows are cohort month x market x lead source x band x
    grade; band and grade come from the scorer (they are grouping keys, not
    metrics), everything else is computed here from the two files.
    """
    project: Project = olist_run["project"]
    as_of = olist_run["as_of"]
    first_contact = {row["mql_id"]: row for row in olist_run["mqls"]}
    won = {
        row["mql_id"]: datetime.fromisoformat(row["won_date"]) for row in olist_run["deals"]
        if row["mql_id"] in first_contact
        and datetime.fromisoformat(row["won_date"]).date() <= as_of
    }
    # conversion by origin (an empty origin is `unknown`, like the literal one)
    leads_by_origin: dict[str, int] = defaultdict(int)
    customers_by_origin: dict[str, int] = defaultdict(int)
    for mql_id, row in first_contact.items():
        origin = row["origin"].strip().lower() or "unknown"
        leads_by_origin[origin] += 1
        customers_by_origin[origin] += mql_id in won
    mart = project.query(
        "select lead_source, sum(lead_count) as leads, sum(customer_count) as customers "
        "from marts.agg_funnel_kpis_monthly group by lead_source")
    assert {row["lead_source"]: (row["leads"], row["customers"]) for row in mart} == {
        origin: (leads_by_origin[origin], customers_by_origin[origin])
        for origin in leads_by_origin
    }
    # the sales cycle per KPI row: days from first contact to won, median and p90
    keys = {row["lead_id"]: (row["band"], row["grade"]) for row in project.query(
        "select lead_id, band, grade from marts.fct_lead_scores where scorecard_id = 'default'")}
    cycles: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for mql_id, when in won.items():
        row = first_contact[mql_id]
        contact = datetime.fromisoformat(row["first_contact_date"])
        group = (contact.strftime("%Y-%m-01"), row["origin"].strip().lower() or "unknown",
                 *keys[mql_id])
        cycles[group].append((when.date() - contact.date()).days)
    rows = project.query(
        "select cast(cohort_month as varchar) as cohort_month, lead_source, band, grade, "
        "median_sales_cycle_days, p90_sales_cycle_days from marts.agg_funnel_kpis_monthly "
        "where customer_count > 0")
    assert len(rows) == len(cycles)
    for row in rows:
        days = sorted(cycles[(row["cohort_month"], row["lead_source"], row["band"],
                              row["grade"])])
        assert row["median_sales_cycle_days"] == pytest.approx(statistics.median(days))
        # linear interpolation between closest ranks, as quantile_cont
        position = 0.9 * (len(days) - 1)
        low = int(position)
        high = min(low + 1, len(days) - 1)
        p90 = days[low] + (days[high] - days[low]) * (position - low)
        assert row["p90_sales_cycle_days"] == pytest.approx(p90)


TRAIN_UNTIL = date(2018, 3, 1)


def decided_leads(olist_run: dict[str, Any]) -> dict[str, tuple[date, bool]]:
    """Each decided MQL's decision date and outcome, as the backtest defines
    them (docs/performance.md), from the source CSV files: decision = first
    contact + 14 days; decided when its 180-day outcome window has ended by
    the as-of date and it was not a customer by the decision date; converted
    when won within the window."""
    contacts: dict[str, date] = {}
    for row in olist_run["mqls"]:
        day = date.fromisoformat(row["first_contact_date"][:10])
        contacts[row["mql_id"]] = min(day, contacts.get(row["mql_id"], day))
    won: dict[str, date] = {}
    for row in olist_run["deals"]:
        if row["won_date"]:
            day = date.fromisoformat(row["won_date"][:10])
            won[row["mql_id"]] = min(day, won.get(row["mql_id"], day))
    decided = {}
    for lead, contact in contacts.items():
        decision = contact + timedelta(days=14)
        customer = won.get(lead)
        if decision + timedelta(days=180) > olist_run["as_of"]:
            continue
        if customer is not None and customer <= decision:
            continue
        decided[lead] = (decision, customer is not None
                         and customer <= decision + timedelta(days=180))
    return decided


def test_fit_on_the_olist_funnel(olist_run: dict[str, Any]) -> None:
    """`fit` on the real funnel: the training and holdout leads are the ones
    the backtest's definitions give on the source files; with more than the
    100 converted training leads the guard asks for, it writes a scorecard."""
    project: Project = olist_run["project"]
    decided = decided_leads(olist_run)
    train = [converted for decision, converted in decided.values() if decision <= TRAIN_UNTIL]
    holdout = [converted for decision, converted in decided.values() if decision > TRAIN_UNTIL]
    assert sum(train) >= 100  # above the data floor: a card, not the guard's message
    result = subprocess.run(
        [sys.executable, "scripts/pipeline.py", "fit", "--scorecard-id", "olist_fit",
         "--train-until", TRAIN_UNTIL.isoformat(), "--as-of", olist_run["as_of"].isoformat()],
        cwd=project.path, env=project.env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert (f"fit on {len(train):,} leads decided on or before {TRAIN_UNTIL} "
            f"({sum(train)} converted); holdout {len(holdout):,} leads decided after it "
            f"({sum(holdout)} converted)") in result.stdout
    # the map's attributes (SDR, seller, lead type) are written at the deal,
    # after the decision date: left out as leaks, named
    assert "left out as a likely leak: attribute:seller_id" in result.stdout
    rules = [row for row in project.read_seed("scorecard_rules")
             if row["scorecard_id"] == "olist_fit"]
    assert rules and all(row["description"] for row in rules)
    holdout_auc = next(line for line in result.stdout.splitlines()
                       if line.strip().startswith("holdout ") and "AUC" in line)
    assert 0.5 < float(holdout_auc.split("AUC")[1].split()[0]) < 1
