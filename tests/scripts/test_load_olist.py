"""Tests of scripts/load_olist.py: hand-written fixtures and the real Olist folder."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from scripts import load_olist
from scripts.load_olist import (
    ATTRIBUTE_COLUMNS,
    DEALS_FILE,
    MQL_FILE,
    convert,
    convert_with_report,
    main,
)
from scripts.load_raw import load_raw_tables

OLIST_DIR = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "olist_marketing_funnel"
)
OUTPUT_FILES = (
    "leads.parquet", "lead_attributes.parquet", "events.parquet", "opportunities.parquet",
)
DEAL_HEADER = (
    "mql_id,seller_id,sdr_id,sr_id,won_date,business_segment,lead_type,"
    "lead_behaviour_profile,has_company,has_gtin,average_stock,business_type,"
    "declared_product_catalog_size,declared_monthly_revenue"
)

# m3 appears twice (second row has the earlier contact); m2 has an empty origin.
MQL_CSV = """\
mql_id,first_contact_date,landing_page_id,origin
m1,2018-01-10,lp1,paid_search
m2,2018-02-01,lp2,
m3,2018-03-01,lp3,organic_search
m3,2018-02-15,lp4,email
m4,2018-04-01,lp5,unknown
"""
# m4 is won before its first contact; m9 is not in the MQL file.
DEALS_CSV = DEAL_HEADER + """
m1,s1,sdr1,sr1,2018-01-20 12:00:00,pet,online_medium,cat,True,False,5-20,reseller,100.0,0.0
m4,s4,sdr4,sr4,2018-03-30 10:00:00,,,,,,,,,
m9,s9,sdr9,sr9,2018-05-05 09:00:00,toys,industry,,,,,manufacturer,,50000.0
m3,s3,sdr3,sr3,2018-03-10 08:30:00,home_decor,,wolf,,,,,,
"""

EMPTY_LEAD = dict.fromkeys(
    ("email", "first_name", "last_name", "job_title", "seniority", "department",
     "company_name", "company_domain", "industry", "employee_count", "annual_revenue",
     "city"),
    "",
)


def write_fixture(folder: Path, mqls: str = MQL_CSV, deals: str = DEALS_CSV) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MQL_FILE).write_text(mqls, encoding="utf-8")
    (folder / DEALS_FILE).write_text(deals, encoding="utf-8")
    return folder


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a Parquet file, in file order, as dicts."""
    relation = duckdb.sql(f"select * from read_parquet('{path}')")
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def column_types(path: Path) -> dict[str, str]:
    return {
        name: kind
        for name, kind, *_ in duckdb.sql(
            f"describe select * from read_parquet('{path}')"
        ).fetchall()
    }


@pytest.fixture
def converted(tmp_path: Path) -> tuple[Path, load_olist.OlistReport]:
    source = write_fixture(tmp_path / "src")
    out = tmp_path / "out"
    return out, convert_with_report(source, out)


def test_writes_only_the_four_tables_all_varchar(converted) -> None:
    out, report = converted
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    assert report.rows == {
        "leads.parquet": 5, "lead_attributes.parquet": 27, "events.parquet": 5,
        "opportunities.parquet": 4,
    }
    for name in OUTPUT_FILES:
        assert set(column_types(out / name).values()) == {"VARCHAR"}, name


def test_leads_one_row_per_mql_row(converted) -> None:
    out, _ = converted
    leads = read_rows(out / "leads.parquet")
    assert list(leads[0]) == [
        "lead_id", "email", "first_name", "last_name", "job_title", "seniority",
        "department", "company_name", "company_domain", "industry", "employee_count",
        "annual_revenue", "country", "city", "lead_source", "created_at", "updated_at",
        "is_deleted",
    ]
    expected = [
        ("m1", "paid_search", "2018-01-10"),
        ("m2", "", "2018-02-01"),
        ("m3", "organic_search", "2018-03-01"),
        ("m3", "email", "2018-02-15"),
        ("m4", "unknown", "2018-04-01"),
    ]
    assert leads == [
        {"lead_id": lead_id, **EMPTY_LEAD, "country": "BR", "lead_source": source,
         "created_at": day, "updated_at": day, "is_deleted": "false"}
        for lead_id, source, day in expected
    ]


def test_events_one_form_submit_per_mql_row(converted) -> None:
    out, _ = converted
    events = read_rows(out / "events.parquet")
    expected = [
        ("olist_mql_m1", "m1", "2018-01-10", "/landing/lp1", "paid_search"),
        ("olist_mql_m2", "m2", "2018-02-01", "/landing/lp2", ""),
        ("olist_mql_m3", "m3", "2018-03-01", "/landing/lp3", "organic_search"),
        ("olist_mql_m3_2", "m3", "2018-02-15", "/landing/lp4", "email"),
        ("olist_mql_m4", "m4", "2018-04-01", "/landing/lp5", "unknown"),
    ]
    assert events == [
        {"event_id": event_id, "lead_id": lead_id, "event_type": "form_submit",
         "occurred_at": day, "page_path": page, "content_type": "", "campaign_id": campaign,
         "email_id": ""}
        for event_id, lead_id, day, page, campaign in expected
    ]


def test_lead_attributes_one_row_per_non_empty_deal_property(converted) -> None:
    out, _ = converted
    won_m1 = "2018-01-20 12:00:00"
    expected = [
        ("m1", "business_segment", "pet", won_m1),
        ("m1", "lead_type", "online_medium", won_m1),
        ("m1", "lead_behaviour_profile", "cat", won_m1),
        ("m1", "business_type", "reseller", won_m1),
        ("m1", "has_company", "True", won_m1),
        ("m1", "has_gtin", "False", won_m1),
        ("m1", "average_stock", "5-20", won_m1),
        ("m1", "declared_product_catalog_size", "100.0", won_m1),
        ("m1", "declared_monthly_revenue", "0.0", won_m1),
        ("m1", "seller_id", "s1", won_m1),
        ("m1", "sdr_id", "sdr1", won_m1),
        ("m1", "sr_id", "sr1", won_m1),
        ("m4", "seller_id", "s4", "2018-03-30 10:00:00"),
        ("m4", "sdr_id", "sdr4", "2018-03-30 10:00:00"),
        ("m4", "sr_id", "sr4", "2018-03-30 10:00:00"),
        ("m9", "business_segment", "toys", "2018-05-05 09:00:00"),
        ("m9", "lead_type", "industry", "2018-05-05 09:00:00"),
        ("m9", "business_type", "manufacturer", "2018-05-05 09:00:00"),
        ("m9", "declared_monthly_revenue", "50000.0", "2018-05-05 09:00:00"),
        ("m9", "seller_id", "s9", "2018-05-05 09:00:00"),
        ("m9", "sdr_id", "sdr9", "2018-05-05 09:00:00"),
        ("m9", "sr_id", "sr9", "2018-05-05 09:00:00"),
        ("m3", "business_segment", "home_decor", "2018-03-10 08:30:00"),
        ("m3", "lead_behaviour_profile", "wolf", "2018-03-10 08:30:00"),
        ("m3", "seller_id", "s3", "2018-03-10 08:30:00"),
        ("m3", "sdr_id", "sdr3", "2018-03-10 08:30:00"),
        ("m3", "sr_id", "sr3", "2018-03-10 08:30:00"),
    ]
    assert read_rows(out / "lead_attributes.parquet") == [
        {"lead_id": lead_id, "attribute_name": name, "attribute_value": value,
         "updated_at": updated}
        for lead_id, name, value, updated in expected
    ]


def test_opportunities_one_closed_won_deal_per_deal_row(converted) -> None:
    out, _ = converted
    expected = [
        # a deal is dated at its win: Olist does not say when it was opened
        ("m1", "0.0", "2018-01-20 12:00:00"),
        ("m4", "", "2018-03-30 10:00:00"),  # won before contact: kept
        ("m9", "50000.0", "2018-05-05 09:00:00"),  # unknown MQL: kept, quarantined later
        ("m3", "", "2018-03-10 08:30:00"),
    ]
    assert read_rows(out / "opportunities.parquet") == [
        {"opportunity_id": f"olist_deal_{mql}", "lead_id": mql, "stage": "closed_won",
         "amount": amount, "currency": "BRL", "created_at": won, "closed_at": won,
         "is_won": "true", "is_closed": "true", "updated_at": won}
        for mql, amount, won in expected
    ]


def test_oddities_are_counted(converted) -> None:
    _, report = converted
    assert report.oddities == {
        "mql_rows_repeating_an_mql_id": 1,
        "mql_rows_without_mql_id": 0,
        "mql_rows_with_empty_origin": 1,
        "mql_rows_with_unparseable_first_contact_date": 0,
        "deals_with_unknown_mql": 1,
        "deals_without_mql_id": 0,
        "deals_repeating_an_mql_id": 0,
        "deals_won_before_first_contact": 1,
        "deals_with_unparseable_won_date": 0,
    }
    assert report.won_before_first_contact == ["m4"]
    assert report.unknown_mql_deals == ["m9"]


def test_more_oddities_stay_visible(tmp_path: Path) -> None:
    mqls = (
        "mql_id,first_contact_date,landing_page_id,origin\n"
        ",2018-01-01,lp1,social\n"
        "a,not a date,,email\n"
        "a,2018-01-02,lp2,email\n"
        "a,2018-01-03,lp3,email\n"
    )
    deals = DEAL_HEADER + "\na,,,,,,,,,,,,,\na,,,,2018-01-05 00:00:00,,,,,,,,,\n,,,,,,,,,,,,,\n"
    out = tmp_path / "out"
    report = convert_with_report(write_fixture(tmp_path / "src", mqls, deals), out)
    assert report.rows == {
        "leads.parquet": 4, "lead_attributes.parquet": 0, "events.parquet": 4,
        "opportunities.parquet": 3,
    }
    assert report.oddities["mql_rows_without_mql_id"] == 1
    assert report.oddities["mql_rows_repeating_an_mql_id"] == 2
    assert report.oddities["mql_rows_with_unparseable_first_contact_date"] == 1
    assert report.oddities["deals_repeating_an_mql_id"] == 1
    assert report.oddities["deals_without_mql_id"] == 1
    assert report.oddities["deals_with_unparseable_won_date"] == 2
    events = read_rows(out / "events.parquet")
    assert [e["event_id"] for e in events] == [
        "olist_mql_", "olist_mql_a", "olist_mql_a_2", "olist_mql_a_3",
    ]
    assert events[1]["page_path"] == ""  # no landing page id: no made-up path
    opportunities = read_rows(out / "opportunities.parquet")
    # every deal is created when it was won
    assert [o["created_at"] for o in opportunities] == [o["closed_at"] for o in opportunities]
    assert [o["opportunity_id"] for o in opportunities] == [
        "olist_deal_a", "olist_deal_a", "olist_deal_",
    ]


def test_convert_returns_rows_per_file(tmp_path: Path) -> None:
    source = write_fixture(tmp_path / "src")
    assert convert(source, tmp_path / "out") == {
        "leads.parquet": 5, "lead_attributes.parquet": 27, "events.parquet": 5,
        "opportunities.parquet": 4,
    }


def test_output_loads_with_load_raw(converted, tmp_path: Path) -> None:
    out, _ = converted
    counts = load_raw_tables(out, tmp_path / "warehouse.duckdb")
    assert counts["leads"] == 5
    assert counts["lead_attributes"] == 27
    assert counts["events"] == 5


def test_cli_prints_rows_and_oddities(tmp_path: Path, capsys) -> None:
    source = write_fixture(tmp_path / "src")
    out = tmp_path / "out"
    assert main(["--from", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out / 'leads.parquet'}: 5 rows" in printed
    assert f"wrote {out / 'opportunities.parquet'}: 4 rows" in printed
    assert "deals_won_before_first_contact: 1" in printed
    assert "deals_with_unknown_mql: 1" in printed
    assert "mql_rows_with_empty_origin: 1" in printed
    assert "sales_activities, campaigns, consents, erasure_requests" in printed


def test_cli_errors_on_missing_file_or_column(tmp_path: Path, capsys) -> None:
    assert main(["--from", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    assert MQL_FILE in capsys.readouterr().err
    source = write_fixture(tmp_path / "src", mqls="mql_id,origin\nm1,social\n")
    assert main(["--from", str(source), "--out", str(tmp_path / "o")]) == 2
    error = capsys.readouterr().err
    assert "first_contact_date" in error and "landing_page_id" in error


# --- the real data set -----------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    # the shared data sits beside the repository (../shared), in CI too: its
    # absence is a broken checkout, not a reason to test less
    assert OLIST_DIR.is_dir(), (
        f"Olist marketing funnel data not found at {OLIST_DIR}: "
        "the tests expect ../shared/data beside the repository"
    )
    out = tmp_path_factory.mktemp("olist")
    report = convert_with_report(OLIST_DIR, out)
    return out, report, read_csv(OLIST_DIR / MQL_FILE), read_csv(OLIST_DIR / DEALS_FILE)


def test_real_row_counts_match_the_source(real) -> None:
    out, report, mqls, deals = real
    expected = {
        "leads.parquet": len(mqls),
        "events.parquet": len(mqls),
        "opportunities.parquet": len(deals),
        "lead_attributes.parquet": sum(
            1 for deal in deals for name in ATTRIBUTE_COLUMNS if deal[name].strip()
        ),
    }
    assert report.rows == expected
    for name, rows in expected.items():
        counted = duckdb.sql(f"select count(*) from read_parquet('{out / name}')").fetchall()
        assert counted == [(rows,)], name
    events = read_rows(out / "events.parquet")
    assert len({e["event_id"] for e in events}) == len(events)
    assert {lead["country"] for lead in read_rows(out / "leads.parquet")} == {"BR"}


def test_real_oddities_match_the_source(real) -> None:
    out, report, mqls, deals = real
    contacts: dict[str, list[datetime]] = {}
    for row in mqls:
        contacts.setdefault(row["mql_id"], []).append(
            datetime.strptime(row["first_contact_date"], "%Y-%m-%d")
        )
    won_before = [
        deal["mql_id"] for deal in deals
        if deal["mql_id"] in contacts
        and datetime.strptime(deal["won_date"], "%Y-%m-%d %H:%M:%S")
        < min(contacts[deal["mql_id"]])
    ]
    unknown = [deal["mql_id"] for deal in deals if deal["mql_id"] not in contacts]
    repeats = sum(count - 1 for count in Counter(r["mql_id"] for r in mqls).values())

    assert report.won_before_first_contact == won_before
    assert report.oddities["deals_won_before_first_contact"] == len(won_before)
    assert report.unknown_mql_deals == unknown
    assert report.oddities["deals_with_unknown_mql"] == len(unknown)
    assert report.oddities["mql_rows_with_empty_origin"] == sum(
        1 for row in mqls if not row["origin"].strip()
    )
    assert report.oddities["mql_rows_repeating_an_mql_id"] == repeats

    opportunities = {o["lead_id"]: o for o in read_rows(out / "opportunities.parquet")}
    for mql_id in won_before + unknown:
        assert mql_id in opportunities, mql_id
    contacts = {lead["lead_id"]: lead["created_at"] for lead in read_rows(out / "leads.parquet")}
    for mql_id in won_before:
        assert opportunities[mql_id]["created_at"] == opportunities[mql_id]["closed_at"]
        assert opportunities[mql_id]["closed_at"][:10] < contacts[mql_id][:10]
