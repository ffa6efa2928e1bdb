"""The four lead files: macros, companies, the lead plan, then leads, attributes,
events and outcomes, each from its file in ``sql/`` with the values it needs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from scripts.demo_data import reference as ref
from scripts.demo_data import sql
from scripts.demo_data.forced import ForcedPositions
from scripts.demo_data.locales import LOCALES, UNKNOWN_COUNTRY_TEXTS, UNKNOWN_LOCALE, Country


def weighted_slots(weights: Sequence[int]) -> list[int]:
    """1-based indexes, each repeated `weight` times: ``pick(slots, u)`` is a
    weighted pick."""
    return [i + 1 for i, w in enumerate(weights) for _ in range(w)]


def locale_slots() -> list[int]:
    """Weighted slots of the known locales (the unknown one is chosen apart)."""
    return weighted_slots([loc.weight for loc in LOCALES[:-1]])


def create_macros(con: duckdb.DuckDBPyConnection, seed: int, countries: Sequence[Country],
                  clean: bool) -> None:
    """sql/macros.sql (and, in clean mode, sql/clean_macros.sql)."""
    sql.run(
        con, "macros",
        seed=seed,
        loc_codes=[c.code for c in countries],
        loc_names=[c.name for c in countries],
        loc_tz_minutes=[c.tz_minutes for c in countries],
        loc_tz_texts=[c.tz_text for c in countries],
        loc_tlds=[loc.tld for loc in LOCALES],
        loc_legal_suffixes=[loc.legal_suffix for loc in LOCALES],
        loc_first_names=[list(loc.first_names) for loc in LOCALES],
        loc_first_ascii=[loc.first_ascii() for loc in LOCALES],
        loc_suffixes=[loc.suffixes() for loc in LOCALES],
        loc_suffixes_ascii=[loc.suffixes(ascii_form=True) for loc in LOCALES],
        loc_last_names=[list(loc.last_names) for loc in LOCALES],
        loc_last_ascii=[loc.last_ascii() for loc in LOCALES],
        loc_cities=[list(loc.cities) for loc in LOCALES],
        seniorities=ref.SENIORITIES,
        seniority_fit=ref.SENIORITY_FIT,
        departments=ref.DEPARTMENTS,
        industries=ref.INDUSTRIES,
        industry_fit=ref.INDUSTRY_FIT,
        revenue_per_employee=ref.REVENUE_PER_EMPLOYEE,
        lead_sources=ref.LEAD_SOURCES,
        job_titles=[[ref.JOB_TITLES[s][d] for d in ref.DEPARTMENTS] for s in ref.SENIORITIES],
    )
    if clean:
        sql.run(con, "clean_macros")


def create_companies(con: duckdb.DuckDBPyConnection, n_companies: int, seed: int) -> None:
    """Table companies: the company pool (accounts) plus the competitors at the end."""
    n_a, n_b = len(ref.COMPANY_WORDS_A), len(ref.COMPANY_WORDS_B)
    competitors = [
        {"company_num": n_companies + i, "loc": loc, "ind": ind, "employees": emp,
         "revenue": rev, "company_name": name, "company_domain": domain}
        for i, (name, domain, ind, emp, rev, loc) in enumerate(ref.COMPETITORS)
    ]
    sql.run(
        con, "companies",
        n_companies=n_companies,
        locale_slots=locale_slots(),
        industry_slots=weighted_slots(ref.INDUSTRY_WEIGHTS),
        words_a=ref.COMPANY_WORDS_A, words_b=ref.COMPANY_WORDS_B,
        words_c=ref.COMPANY_WORDS_C,
        n_words_a=n_a, n_words_b=n_b, n_words_c=len(ref.COMPANY_WORDS_C),
        # the seed rotates the names
        shift_a=seed % n_a, shift_b=(seed // n_a) % n_b,
        competitors=competitors,
    )


def create_lead_plan(con: duckdb.DuckDBPyConnection, n_leads: int, n_companies: int,
                     events_per_lead: float, window_start_us: int, end_us: int,
                     forced: ForcedPositions) -> None:
    """Table lead_plan (sql/lead_plan.sql): one row per lead with every decision.
    Leads are created from 120 days before the window until two days before its end."""
    created_lo = window_start_us - 120 * ref.DAY_US
    sql.run(
        con, "lead_plan",
        n_leads=n_leads, n_companies=n_companies, events_per_lead=events_per_lead,
        window_start_us=window_start_us, end_us=end_us,
        created_lo=created_lo, created_span=(end_us - 2 * ref.DAY_US) - created_lo,
        forced_keys=forced.keys(), forced_kinds=forced.kinds(),
        locale_slots=locale_slots(),
        seniority_slots=weighted_slots(ref.SENIORITY_WEIGHTS),
        department_slots=weighted_slots(ref.DEPARTMENT_WEIGHTS),
        industry_slots=weighted_slots(ref.INDUSTRY_WEIGHTS),
        lead_source_slots=weighted_slots(ref.LEAD_SOURCE_WEIGHTS),
        unknown_locale=UNKNOWN_LOCALE,
        unknown_country_texts=UNKNOWN_COUNTRY_TEXTS,
    )


def leads_query(end_us: int) -> str:
    return sql.render("leads", end_us=end_us, unknown_locale=UNKNOWN_LOCALE,
                      personal_domains=ref.PERSONAL_DOMAINS)


def attributes_query(end_us: int) -> str:
    return sql.render("lead_attributes", end_us=end_us,
                      attribute_names=ref.ATTRIBUTES,
                      attribute_presence=ref.ATTRIBUTE_PRESENCE,
                      tech_stacks=ref.TECH_STACKS)


def create_event_timeline(con: duckdb.DuckDBPyConnection, plan_path: Path,
                          window_start_us: int, end_us: int, forced: ForcedPositions,
                          clean: bool) -> None:
    """View timed_events over the event plan file (sql/event_timeline.sql)."""
    sql.run(con, "event_timeline", plan_path=plan_path, window_start_us=window_start_us,
            end_us=end_us, clean=clean, forced_keys=forced.keys(),
            forced_kinds=forced.kinds())


def events_query(n_leads: int, clean: bool) -> str:
    """Streaming events: plan scan -> unnest -> projections (all order preserving).

    The plan is read from a Parquet file with small row groups: every row group is a
    separate batch for DuckDB's order-preserving parallel COPY, so only a few thousand
    leads' events are buffered at a time.
    """
    return sql.render("events", n_leads=n_leads, clean=clean,
                      blog_slugs=ref.BLOG_SLUGS, career_slugs=ref.CAREER_SLUGS,
                      doc_pages=ref.DOC_PAGES, content_types=ref.CONTENT_TYPES,
                      support_types=ref.SUPPORT_TYPES, webinar_topics=ref.WEBINAR_TOPICS,
                      form_paths=ref.FORM_PATHS, email_names=ref.EMAIL_NAMES)
