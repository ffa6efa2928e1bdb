"""The five CRM tables of ``docs/crm_contract.md``, drawn from the lead plan, the
unsubscribe events and the events file: deals, opportunities, sales activities,
campaigns, consents and erasure requests, each from its file in ``sql/``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb

from scripts.demo_data import reference as ref
from scripts.demo_data import sql
from scripts.demo_data.forced import ForcedPositions
from scripts.demo_data.leads import weighted_slots
from scripts.demo_data.locales import Country


def create_macros(con: duckdb.DuckDBPyConnection, countries: Sequence[Country],
                  forced: ForcedPositions) -> None:
    """sql/crm_macros.sql: lookups, formatters and the CRM kinds forced on leads."""
    sql.run(
        con, "crm_macros",
        forced_keys=forced.keys(), forced_kinds=forced.kinds(),
        loc_markets=[c.market for c in countries],
        loc_currencies=[c.currency for c in countries],
        currencies=list(ref.UNITS_PER_USD), units_per_usd=list(ref.UNITS_PER_USD.values()),
        markets=list(ref.MARKET_CURRENCIES),
        market_currencies=list(ref.MARKET_CURRENCIES.values()),
        true_spellings=ref.TRUE_SPELLINGS, false_spellings=ref.FALSE_SPELLINGS,
        n_reps=ref.N_REPS,
    )


def create_unsubscribes(con: duckdb.DuckDBPyConnection) -> None:
    """Table unsubscribes: the true time of every unsubscribe event (timed_events)."""
    sql.run(con, "unsubscribes")


def create_deals(con: duckdb.DuckDBPyConnection, n_companies: int, end_us: int) -> None:
    """Table deals: one row per deal with its true dates (sql/deals.sql)."""
    sql.run(con, "deals", n_companies=n_companies, last_us=end_us - ref.BIG,
            deal_usd_min=ref.DEAL_USD_MIN, deal_usd_max=ref.DEAL_USD_MAX)


def opportunities_query(end_us: int, n_leads: int) -> str:
    return sql.render("opportunities", last_us=end_us - ref.BIG, n_leads=n_leads,
                      open_stages=ref.OPEN_STAGES, deal_usd_min=ref.DEAL_USD_MIN,
                      deal_usd_max=ref.DEAL_USD_MAX)


def activities_query(end_us: int, n_leads: int) -> str:
    return sql.render("sales_activities", last_us=end_us - ref.BIG, n_leads=n_leads,
                      activity_types=ref.ACTIVITY_TYPES,
                      activity_type_slots=weighted_slots(ref.ACTIVITY_TYPE_WEIGHTS))


def consents_query(end_us: int, n_leads: int) -> str:
    return sql.render("consents", last_us=end_us - ref.BIG, n_leads=n_leads)


def erasures_query(end_us: int) -> str:
    return sql.render("erasure_requests", last_us=end_us - ref.BIG)


def create_campaign_base(con: duckdb.DuckDBPyConnection, events_path: Path,
                         window_start: date, end_date: date, window_start_us: int,
                         end_us: int) -> int:
    """Table campaign_base (sql/campaign_base.sql); returns the number of campaigns."""
    sql.run(con, "campaign_base", events_path=events_path,
            window_start=window_start.isoformat(), end_date=end_date.isoformat(),
            window_start_us=window_start_us, end_us=end_us)
    return int(con.execute("SELECT count(*) FROM campaign_base").fetchone()[0])


def campaigns_query(forced: ForcedPositions) -> str:
    return sql.render("campaigns", forced_keys=forced.keys(), forced_kinds=forced.kinds(),
                      channels=list(ref.CAMPAIGN_SPEND_USD),
                      spend_usd_min=[lo for lo, _ in ref.CAMPAIGN_SPEND_USD.values()],
                      spend_usd_max=[hi for _, hi in ref.CAMPAIGN_SPEND_USD.values()])
