"""``generate()``: the steps of the generator, in order, on one in-memory DuckDB."""

from __future__ import annotations

import random
import shutil
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from scripts.demo_data import crm, leads, sql
from scripts.demo_data.forced import (
    CAMPAIGN_KINDS,
    CRM_KINDS,
    EVENT_KINDS,
    ForcedPositions,
    lead_kinds,
)
from scripts.demo_data.locales import COUNTRY_SEED, locale_countries
from scripts.demo_data.reference import BIG, COMPETITORS, CRM_FILES, DEBUG_FILE, MAX_LEADS

# Leads per row group of the temporary event plan = per batch of the events COPY.
EVENT_PLAN_LEADS_PER_BATCH = 2048


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def epoch_us(day: date) -> int:
    """Microseconds since the epoch at midnight UTC of `day`."""
    return int((datetime(day.year, day.month, day.day) - datetime(1970, 1, 1))
               .total_seconds()) * BIG


def generate(out_dir: Path, n_leads: int = 2000, events_per_lead: float = 30.0,
             seed: int = 42, end_date: date | None = None, months: int = 15,
             threads: int | None = None, memory_limit: str = "2GB",
             debug: bool = False, clean: bool = False,
             country_seed: Path = COUNTRY_SEED) -> dict[str, int]:
    """Write the demo Parquet files (FILES) to `out_dir`; return row counts per file.

    The same arguments always give the same data. With ``debug=True`` an extra file
    ``_debug_lead_latent.parquet`` (lead_id, intent, fit, p_convert) is written so
    that tests can check the generator's own latent variables. With ``clean=True``
    only the four LEAD_FILES are written, without any deliberate mess (see the
    package docstring); the population is the one of the same arguments without it.
    The countries of the locales are read from `country_seed`.
    """
    if not 1 <= n_leads <= MAX_LEADS:
        raise ValueError(f"n_leads must be between 1 and {MAX_LEADS}")
    if months < 12:
        raise ValueError("months must be at least 12")
    if events_per_lead < 0:
        raise ValueError("events_per_lead must be >= 0")
    countries = locale_countries(country_seed)
    end_date = end_date or date.today()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp_dir = out_dir / ".duckdb_tmp"
    tmp_dir.mkdir(exist_ok=True)
    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"[generate_demo_data {time.monotonic() - started:7.1f}s] {message}", flush=True)

    window_start = months_before(end_date, months) + timedelta(days=1)
    window_start_us, end_us = epoch_us(window_start), epoch_us(end_date + timedelta(days=1))
    n_companies = max(30, n_leads // 6)
    rng = random.Random(seed)
    lead_forced = ForcedPositions(rng, n_leads, lead_kinds(len(countries)), offset=1)

    progress(f"leads={n_leads} events/lead={events_per_lead} seed={seed} "
             f"window={window_start}..{end_date} out={out_dir}")
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET memory_limit = {sql.literal(memory_limit)}")
        con.execute(f"SET temp_directory = {sql.literal(tmp_dir)}")
        con.execute("SET preserve_insertion_order = true")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        leads.create_macros(con, seed, countries, clean)
        leads.create_companies(con, n_companies, seed)
        progress(f"companies: {n_companies + len(COMPETITORS)}")
        leads.create_lead_plan(con, n_leads, n_companies, events_per_lead, window_start_us,
                               end_us, lead_forced)
        n_events = int(con.execute("SELECT sum(n_events) FROM lead_plan").fetchone()[0] or 0)
        progress(f"lead plan ready: {n_events} events planned")
        event_forced = ForcedPositions(rng, n_events, EVENT_KINDS)

        counts: dict[str, int] = {}

        def final(query: str) -> str:
            return sql.cleaned(query) if clean else query

        def write(name: str, query: str) -> None:
            counts[name] = sql.copy(con, query, out_dir / name)

        write("leads.parquet", final(leads.leads_query(end_us)))
        progress(f"leads.parquet: {counts['leads.parquet']} rows")
        write("lead_attributes.parquet", final(leads.attributes_query(end_us)))
        progress(f"lead_attributes.parquet: {counts['lead_attributes.parquet']} rows")
        plan_path = tmp_dir / "event_plan.parquet"
        sql.copy(con, sql.render("event_plan"), plan_path,
                 row_group_size=EVENT_PLAN_LEADS_PER_BATCH)
        leads.create_event_timeline(con, plan_path, window_start_us, end_us, event_forced,
                                    clean)
        write("events.parquet", final(leads.events_query(n_leads, clean)))
        progress(f"events.parquet: {counts['events.parquet']} rows")
        write("lead_outcomes.parquet", final(sql.render("lead_outcomes")))
        progress(f"lead_outcomes.parquet: {counts['lead_outcomes.parquet']} rows")
        if clean:
            for name in CRM_FILES:  # stale from an earlier run
                (out_dir / name).unlink(missing_ok=True)
        else:
            # CRM tables: own forced positions, so the lead files above stay unchanged
            crm_forced = ForcedPositions(random.Random(f"crm-{seed}"), n_leads, CRM_KINDS,
                                         offset=1)
            crm.create_macros(con, countries, crm_forced)
            crm.create_unsubscribes(con)
            crm.create_deals(con, n_companies, end_us)
            write("opportunities.parquet", crm.opportunities_query(end_us, n_leads))
            write("sales_activities.parquet", crm.activities_query(end_us, n_leads))
            n_campaigns = crm.create_campaign_base(con, out_dir / "events.parquet",
                                                   window_start, end_date, window_start_us,
                                                   end_us)
            campaign_forced = ForcedPositions(random.Random(f"campaigns-{seed}"), n_campaigns,
                                              CAMPAIGN_KINDS, offset=1)
            write("campaigns.parquet", crm.campaigns_query(campaign_forced))
            write("consents.parquet", crm.consents_query(end_us, n_leads))
            write("erasure_requests.parquet", crm.erasures_query(end_us))
            progress("CRM: " + ", ".join(f"{name}={counts[name]}" for name in CRM_FILES))
        if debug:
            write(DEBUG_FILE, sql.render("lead_latent"))
        else:
            (out_dir / DEBUG_FILE).unlink(missing_ok=True)  # stale from an earlier run
    finally:
        con.close()
        shutil.rmtree(tmp_dir, ignore_errors=True)
    progress("done: " + ", ".join(f"{name}={count}" for name, count in counts.items()))
    return counts
