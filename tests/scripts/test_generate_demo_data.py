"""Tests of scripts/generate_demo_data.py (the package scripts/demo_data/) on small data
sets (300-2000 leads)."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from scripts.demo_data import generator
from scripts.generate_demo_data import EVENT_TYPES, FILES, LEAD_FILES, generate, main

END_DATE = date(2025, 6, 30)

# Country code -> market, as in seeds/reference/country_markets.csv; independent of the
# generator.
COUNTRIES = {
    "US": "na", "CA": "na",
    "MX": "latam", "BR": "latam", "AR": "latam",
    "GB": "emea", "DE": "emea", "FR": "emea", "IT": "emea", "ES": "emea", "NL": "emea",
    "RU": "emea",
    "JP": "apac", "IN": "apac", "AU": "apac", "SG": "apac",
}
COUNTRY_NAMES = {
    "United States": "US", "Canada": "CA", "Mexico": "MX", "Brazil": "BR",
    "Argentina": "AR", "United Kingdom": "GB", "Germany": "DE", "France": "FR",
    "Italy": "IT", "Spain": "ES", "Netherlands": "NL", "Russia": "RU", "Japan": "JP",
    "India": "IN", "Australia": "AU", "Singapore": "SG",
}
UPPER_COUNTRY_NAMES = {name.upper(): code for name, code in COUNTRY_NAMES.items()}
CLEAN_COUNTRIES = set(COUNTRIES) | set(COUNTRY_NAMES) | {"Atlantis", "Unknown", "N/A"}
SENIORITIES = {"c_level", "vp", "director", "manager", "individual_contributor", "intern"}
INDUSTRIES = {"technology", "finance", "healthcare", "education", "retail",
              "manufacturing", "government", "media"}
CONTENT_TYPES = {"case_study", "ebook", "whitepaper", "datasheet", "sales_inquiry",
                 "technical", "billing", "account"}


def connect(directory: Path) -> duckdb.DuckDBPyConnection:
    """DuckDB connection with one view per generated file."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for path in sorted(directory.glob("*.parquet")):
        con.execute(f"CREATE VIEW {path.stem.lstrip('_')} AS "
                    f"SELECT * FROM read_parquet('{path}')")
    # latest version of every lead, with a normalised seniority
    con.execute("""
        CREATE VIEW latest_leads AS
        SELECT *, lower(trim(seniority)) AS seniority_norm
        FROM leads
        WHERE lead_id <> ''
        QUALIFY row_number() OVER (PARTITION BY lead_id
                                   ORDER BY try_cast(updated_at AS TIMESTAMPTZ) DESC NULLS LAST)
                = 1
    """)
    return con


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """300 leads: every kind of mess must be present even here."""
    out = tmp_path_factory.mktemp("small")
    return out, generate(out, n_leads=300, seed=7, end_date=END_DATE)


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """2000 leads with the debug latent file, for distribution checks."""
    out = tmp_path_factory.mktemp("medium")
    return out, generate(out, n_leads=2000, seed=42, end_date=END_DATE, debug=True)


# --- determinism and bookkeeping ------------------------------------------------------


def test_same_seed_gives_identical_tables_and_other_seed_differs(tmp_path: Path) -> None:
    args = {"n_leads": 300, "events_per_lead": 20.0, "end_date": END_DATE}
    generate(tmp_path / "a", seed=5, **args)
    generate(tmp_path / "b", seed=5, **args)
    generate(tmp_path / "c", seed=6, threads=1, **args)
    for name in FILES:
        a = pq.read_table(tmp_path / "a" / name)
        b = pq.read_table(tmp_path / "b" / name)
        c = pq.read_table(tmp_path / "c" / name)
        assert a.equals(b), f"{name} differs between two runs with the same seed"
        assert not a.equals(c), f"{name} is the same for different seeds"


def test_threads_do_not_change_content(tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # many small batches, so that the parallel, order-preserving COPY really is used
    monkeypatch.setattr(generator, "EVENT_PLAN_LEADS_PER_BATCH", 16)
    args = {"n_leads": 400, "seed": 3, "end_date": END_DATE}
    generate(tmp_path / "one", threads=1, **args)
    generate(tmp_path / "four", threads=4, **args)
    for name in FILES:
        assert pq.read_table(tmp_path / "one" / name).equals(
            pq.read_table(tmp_path / "four" / name))


def test_returned_counts_match_files_and_all_columns_are_text(
        small: tuple[Path, dict[str, int]]) -> None:
    out, counts = small
    assert set(counts) == set(FILES)
    for name in FILES:
        parquet = pq.ParquetFile(out / name)
        assert parquet.metadata.num_rows == counts[name]
        assert all(str(field.type) == "string" for field in parquet.schema_arrow), name
    assert not (out / ".duckdb_tmp").exists()
    assert counts["lead_outcomes.parquet"] == 300
    assert 300 < counts["leads.parquet"] <= 4 * 300 + 10


def test_id_formats(small: tuple[Path, dict[str, int]]) -> None:
    out, _ = small
    con = connect(out)
    assert scalar(con, "SELECT count(*) FROM leads WHERE lead_id <> ''"
                       " AND NOT regexp_matches(lead_id, '^L\\d{7}$')") == 0
    assert scalar(con, "SELECT count(*) FROM lead_outcomes"
                       " WHERE NOT regexp_matches(lead_id, '^L\\d{7}$')") == 0
    assert scalar(con, "SELECT count(*) FROM events"
                       " WHERE NOT regexp_matches(event_id, '^evt_\\d{10}$')") == 0
    assert scalar(con, "SELECT count(DISTINCT lead_id) FROM leads WHERE lead_id <> ''") == 300


def test_columns(small: tuple[Path, dict[str, int]]) -> None:
    out, _ = small
    expected = {
        "leads.parquet": ["lead_id", "email", "first_name", "last_name", "job_title",
                          "seniority", "department", "company_name", "company_domain",
                          "industry", "employee_count", "annual_revenue", "country", "city",
                          "lead_source", "created_at", "updated_at", "is_deleted"],
        "lead_attributes.parquet": ["lead_id", "attribute_name", "attribute_value",
                                    "updated_at"],
        "events.parquet": ["event_id", "lead_id", "event_type", "occurred_at", "page_path",
                           "content_type", "campaign_id", "email_id"],
        "lead_outcomes.parquet": ["lead_id", "is_converted", "converted_at"],
        "opportunities.parquet": ["opportunity_id", "lead_id", "stage", "amount", "currency",
                                  "created_at", "closed_at", "is_won", "is_closed",
                                  "updated_at"],
        "sales_activities.parquet": ["activity_id", "lead_id", "activity_type", "outcome",
                                     "owner_id", "occurred_at"],
        "campaigns.parquet": ["campaign_id", "channel", "market", "spend", "currency",
                              "started_at", "ended_at"],
        "consents.parquet": ["lead_id", "purpose", "status", "recorded_at"],
        "erasure_requests.parquet": ["lead_id", "requested_at"],
    }
    assert set(expected) == set(FILES)
    for name, columns in expected.items():
        assert pq.ParquetFile(out / name).schema_arrow.names == columns


def test_cli_prints_progress_and_counts(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    counts = main(["--out", str(tmp_path), "--leads", "300", "--events-per-lead", "5",
                   "--seed", "1", "--end-date", "2025-01-31", "--threads", "1",
                   "--memory-limit", "500MB"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) >= 5
    assert "done" in lines[-1]
    for name, count in counts.items():
        assert f"{name}={count}" in lines[-1]


def test_rejects_short_windows(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, n_leads=300, months=6)


# --- realism ----------------------------------------------------------------------------


def test_countries_markets_and_names(small: tuple[Path, dict[str, int]]) -> None:
    out, _ = small
    con = connect(out)
    texts = [r[0] for r in con.execute(
        "SELECT DISTINCT upper(trim(country)) FROM leads WHERE country IS NOT NULL").fetchall()]
    codes = {UPPER_COUNTRY_NAMES.get(t, t) for t in texts} & set(COUNTRIES)
    assert len(codes) >= 8
    assert len({COUNTRIES[c] for c in codes}) >= 3
    # both spellings occur, and unknown countries
    assert {"US", "United States"} <= {r[0] for r in con.execute(
        "SELECT DISTINCT country FROM leads").fetchall()}
    unknown = scalar(con, "SELECT count(DISTINCT lead_id) FROM leads WHERE lead_id <> ''"
                          " AND (country IS NULL OR country IN ('', 'Atlantis', 'Unknown', 'N/A'))")
    assert 1 <= unknown <= 15
    assert scalar(con, "SELECT count(*) FROM leads WHERE country = 'Atlantis'") > 0
    assert scalar(con, "SELECT count(*) FROM leads WHERE country = ''") > 0

    names = [f"{r[0]} {r[1]}" for r in con.execute(
        "SELECT first_name, last_name FROM leads").fetchall()]
    assert any(re.search("[\u0400-\u04ff]", n) for n in names), "no Cyrillic names"
    assert any(re.search("[\u3040-\u30ff\u4e00-\u9fff]", n) for n in names), "no CJK names"
    assert any(re.search("[äöüß]", n) for n in names), "no German umlauts"
    assert scalar(con, "SELECT count(*) FROM leads WHERE city IN ('Barcelona', 'Girona')"
                  " AND first_name IN ('Jordi', 'Montserrat', 'Núria', 'Pau', 'Laia',"
                  " 'Oriol', 'Mireia', 'Arnau')") > 0
    # e-mails are ASCII and derived from the name
    emails = [r[0] for r in con.execute("SELECT email FROM leads").fetchall()]
    assert all(re.fullmatch(r"[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+", e) for e in emails)


def test_companies_titles_and_versions(medium: tuple[Path, dict[str, int]]) -> None:
    out, _ = medium
    con = connect(out)
    # accounts: several leads per company domain, and the two competitors
    assert scalar(con, "SELECT max(n) FROM (SELECT company_domain, count(DISTINCT lead_id) n"
                       " FROM leads GROUP BY 1)") >= 5
    competitors = scalar(con, "SELECT count(DISTINCT lead_id) FROM latest_leads"
                              " WHERE company_domain IN ('rivalsoft.com', 'competeware.io')")
    assert 0.003 * 2000 <= competitors <= 0.03 * 2000
    # titles consistent with seniority
    assert scalar(con, "SELECT count(*) FROM leads WHERE job_title LIKE 'Chief %'"
                       " AND lower(trim(seniority)) <> 'c_level'") == 0
    assert scalar(con, "SELECT count(*) FROM leads WHERE job_title LIKE '%Intern'"
                       " AND lower(trim(seniority)) <> 'intern'") == 0
    assert scalar(con, "SELECT count(DISTINCT lower(trim(seniority))) FROM leads") == 6
    assert scalar(con, "SELECT count(DISTINCT department) FROM leads") == 7
    # 1-4 versions, constant created_at, increasing updated_at
    versions = con.execute("SELECT min(n), max(n) FROM (SELECT lead_id, count(*) n"
                           " FROM leads WHERE lead_id <> '' GROUP BY 1)").fetchone()
    assert versions == (1, 4)
    assert scalar(con, "SELECT count(*) FROM (SELECT lead_id FROM leads WHERE lead_id <> ''"
                       " GROUP BY 1 HAVING count(DISTINCT created_at) > 1)") == 0
    assert scalar(con, """
        SELECT count(*) FROM (
            SELECT try_cast(updated_at AS TIMESTAMPTZ) AS t,
                   lag(try_cast(updated_at AS TIMESTAMPTZ)) OVER (PARTITION BY lead_id
                                                                  ORDER BY rowid) AS prev
            FROM (SELECT *, row_number() OVER () AS rowid FROM leads WHERE lead_id <> '')
        ) WHERE t <= prev""") == 0
    # promotions and job changes happen
    assert scalar(con, "SELECT count(*) FROM (SELECT lead_id FROM leads WHERE lead_id <> ''"
                       " GROUP BY 1 HAVING count(DISTINCT company_domain) > 1)") > 10
    assert scalar(con, "SELECT count(*) FROM (SELECT lead_id FROM leads WHERE lead_id <> ''"
                       " GROUP BY 1 HAVING count(DISTINCT job_title) > 1)") > 10
    deleted = scalar(con, "SELECT count(*) FROM latest_leads WHERE is_deleted = 'true'")
    assert 0.015 * 2000 <= deleted <= 0.05 * 2000
    assert scalar(con, "SELECT count(*) FROM leads WHERE is_deleted NOT IN ('true', 'false')"
                  ) == 0
    # company size: skewed integers 1..50000 with some empty, revenue consistent
    size = con.execute("""
        SELECT min(e), max(e), median(e), avg(e), corr(ln(e), ln(r))
        FROM (SELECT try_cast(employee_count AS INT) e, try_cast(annual_revenue AS DOUBLE) r
              FROM leads)""").fetchone()
    assert size[0] >= 1 and size[1] <= 50000 and size[2] < size[3] and size[4] > 0.7


def test_attributes(medium: tuple[Path, dict[str, int]]) -> None:
    out, _ = medium
    con = connect(out)
    values = dict(con.execute(
        "SELECT attribute_name, list(DISTINCT attribute_value) FROM lead_attributes"
        " WHERE attribute_value <> '' GROUP BY 1").fetchall())
    assert set(values) == {"budget_status", "tech_stack", "trial_status", "newsletter_opt_in"}
    assert set(values["budget_status"]) == {"none", "planned", "approved"}
    assert set(values["trial_status"]) == {"none", "active", "expired"}
    assert set(values["newsletter_opt_in"]) == {"true", "false"}
    assert {"salesforce", "hubspot", "marketo", "none"} <= set(values["tech_stack"])
    assert scalar(con, "SELECT max(n) FROM (SELECT lead_id, attribute_name, count(*) n"
                       " FROM lead_attributes GROUP BY ALL)") >= 3


def test_events_cover_window_and_types(medium: tuple[Path, dict[str, int]]) -> None:
    out, counts = medium
    con = connect(out)
    span = con.execute("""
        SELECT min(t), max(t), count(DISTINCT date_trunc('month', t))
        FROM (SELECT try_cast(occurred_at AS TIMESTAMPTZ) t FROM events)""").fetchone()
    assert (span[1] - span[0]).days >= 365
    assert span[2] >= 12
    assert span[1].date() <= END_DATE
    types = {r[0] for r in con.execute(
        "SELECT DISTINCT lower(trim(event_type)) FROM events").fetchall()}
    assert types == set(EVENT_TYPES)
    assert 0.85 * 2000 * 30 <= counts["events.parquet"] <= 1.15 * 2000 * 30
    paths = {r[0] for r in con.execute("SELECT DISTINCT page_path FROM events").fetchall()}
    assert {"/", "/pricing", "/pricing/enterprise", "/product", "/product/features",
            "/careers", "/contact", "/demo", "/product-demo"} <= paths
    for prefix in ("/blog/", "/careers/", "/docs/"):
        assert any(p and p.startswith(prefix) for p in paths)
    assert scalar(con, "SELECT count(*) FROM events WHERE email_id = 'em_product_launch'") > 0
    assert scalar(con, "SELECT count(*) FROM events"
                       " WHERE regexp_matches(email_id, '^em_\\d{4}_\\d{2}_[a-z_]+$')") > 0
    assert scalar(con, "SELECT count(*) FROM events WHERE campaign_id LIKE 'cmp_%'") > 0
    assert scalar(con, "SELECT count(*) FROM events WHERE campaign_id LIKE 'wbn_%'"
                       " AND lower(trim(event_type)) LIKE 'webinar_%'") > 0
    content = {r[0] for r in con.execute(
        "SELECT DISTINCT lower(trim(content_type)) FROM events WHERE content_type <> ''"
    ).fetchall()}
    assert content == CONTENT_TYPES
    # demo requests are on /demo
    assert scalar(con, "SELECT count(*) FROM events WHERE lower(trim(event_type)) ="
                       " 'demo_request' AND page_path <> '/demo'") == 0


def test_events_after_created_and_skewed(medium: tuple[Path, dict[str, int]]) -> None:
    out, _ = medium
    con = connect(out)
    before = scalar(con, """
        SELECT count(*) FROM events e JOIN latest_leads l USING (lead_id)
        WHERE try_cast(e.occurred_at AS TIMESTAMPTZ) < try_cast(l.created_at AS TIMESTAMPTZ)""")
    assert before == 0
    per_lead = con.execute("""
        SELECT median(n), avg(n), max(n), count(*) FILTER (WHERE n <= 3)
        FROM (SELECT l.lead_id, count(e.lead_id) n
              FROM latest_leads l LEFT JOIN events e USING (lead_id) GROUP BY 1)""").fetchone()
    median, mean, most, few = per_lead
    assert median < mean and most >= 100 and most >= 10 * median and few >= 100


def test_conversion_rate_and_dates(medium: tuple[Path, dict[str, int]]) -> None:
    out, _ = medium
    con = connect(out)
    rate = scalar(con, "SELECT avg((is_converted = 'true')::INT) FROM lead_outcomes")
    assert 0.08 <= rate <= 0.15
    assert scalar(con, "SELECT count(*) FROM lead_outcomes WHERE is_converted = 'false'"
                       " AND converted_at <> ''") == 0
    bad = scalar(con, """
        SELECT count(*) FROM lead_outcomes o JOIN latest_leads l USING (lead_id)
        WHERE o.is_converted = 'true'
          AND (try_cast(o.converted_at AS TIMESTAMP) IS NULL
               OR try_cast(o.converted_at AS TIMESTAMP)
                  <= try_cast(l.created_at AS TIMESTAMPTZ)::TIMESTAMP
               OR try_cast(o.converted_at AS TIMESTAMP) >= DATE '2025-07-01')""")
    assert bad == 0


def test_conversion_depends_on_intent_and_fit(medium: tuple[Path, dict[str, int]]) -> None:
    out, _ = medium
    con = connect(out)
    # the generator's own latent intent
    high, low = con.execute("""
        SELECT avg((is_converted = 'true')::INT) FILTER (WHERE intent >= 0.5),
               avg((is_converted = 'true')::INT) FILTER (WHERE intent < 0.2)
        FROM lead_outcomes JOIN debug_lead_latent USING (lead_id)""").fetchone()
    assert high > 2 * low
    # fit: senior leads convert more often
    senior, junior = con.execute("""
        SELECT avg((is_converted = 'true')::INT)
                   FILTER (WHERE seniority_norm IN ('c_level', 'vp')),
               avg((is_converted = 'true')::INT)
                   FILTER (WHERE seniority_norm IN ('individual_contributor', 'intern'))
        FROM lead_outcomes JOIN latest_leads USING (lead_id)""").fetchone()
    assert senior > junior
    # observable intent: demo requesters vs leads without any high-value engagement
    demo, none = con.execute("""
        WITH engagement AS (
            SELECT lead_id,
                   bool_or(lower(trim(event_type)) = 'demo_request') AS demo,
                   bool_or(lower(trim(event_type)) IN ('demo_request', 'webinar_registered',
                                                       'webinar_attended')
                           OR page_path LIKE '/pricing%' OR page_path = '/product-demo'
                           OR lower(trim(content_type)) = 'case_study') AS high_value
            FROM events GROUP BY 1)
        SELECT avg((is_converted = 'true')::INT) FILTER (WHERE demo),
               avg((is_converted = 'true')::INT) FILTER (WHERE NOT coalesce(high_value, false))
        FROM lead_outcomes LEFT JOIN engagement USING (lead_id)""").fetchone()
    assert demo > 2 * none


# --- deliberate mess ------------------------------------------------------------------


def test_category_mess(small: tuple[Path, dict[str, int]]) -> None:
    out, _ = small
    con = connect(out)
    for table, column, canonical in [
        ("leads", "industry", INDUSTRIES),
        ("leads", "seniority", SENIORITIES),
        ("events", "event_type", set(EVENT_TYPES)),
        ("events", "content_type", CONTENT_TYPES),
    ]:
        values = {r[0] for r in con.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} <> ''").fetchall()}
        clean = values & canonical
        messy = values - canonical
        assert clean == canonical, f"{table}.{column} misses clean values"
        assert messy, f"{table}.{column} has no mess"
        assert all(v.strip().lower() in canonical for v in messy), messy
        assert any(v != v.strip() for v in messy), f"{table}.{column} has no stray spaces"
    countries = {r[0] for r in con.execute(
        "SELECT DISTINCT country FROM leads WHERE country <> ''").fetchall()}
    messy_countries = countries - CLEAN_COUNTRIES
    assert messy_countries, "leads.country has no mess"
    assert all(c.strip().upper() in set(COUNTRIES) | set(UPPER_COUNTRY_NAMES)
               for c in messy_countries), messy_countries


def test_event_duplicates_and_orphans(small: tuple[Path, dict[str, int]]) -> None:
    out, _ = small
    con = connect(out)
    exact = scalar(con, "SELECT count(*) FROM (SELECT * FROM events GROUP BY ALL"
                        " HAVING count(*) > 1)")
    changed = scalar(con, "SELECT count(*) FROM (SELECT event_id FROM events GROUP BY 1"
                          " HAVING count(DISTINCT occurred_at) > 1)")
    assert exact > 0 and changed > 0
    orphans = con.execute("""
        SELECT list(DISTINCT lead_id) FROM events
        WHERE lead_id <> '' AND lead_id NOT IN (SELECT lead_id FROM leads WHERE lead_id <> '')
    """).fetchone()[0]
    assert any(o.endswith("x") for o in orphans)
    assert any(re.fullmatch(r"L\d{7}", o) for o in orphans)


def test_missing_lead_ids(small: tuple[Path, dict[str, int]]) -> None:
    out, _ = small
    con = connect(out)
    for table in ("leads", "lead_attributes", "events"):
        nulls, empties = con.execute(
            f"SELECT count(*) FILTER (WHERE lead_id IS NULL),"
            f" count(*) FILTER (WHERE lead_id = '') FROM {table}").fetchone()
        assert nulls > 0 and empties > 0, table
    assert scalar(con, "SELECT count(*) FROM lead_outcomes WHERE lead_id IS NULL"
                       " OR lead_id = ''") == 0


@pytest.mark.parametrize("table, column", [
    ("leads", "created_at"), ("leads", "updated_at"),
    ("lead_attributes", "updated_at"), ("events", "occurred_at"),
])
def test_timestamp_mess(small: tuple[Path, dict[str, int]], table: str, column: str) -> None:
    out, _ = small
    con = connect(out)
    values = [r[0] for r in con.execute(
        f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL").fetchall()]
    plain = [v for v in values if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", v)]
    assert len(plain) > 0.8 * len(values)
    assert "not a date" in values
    assert "" in values
    assert any(re.fullmatch(r"\d{4}-02-30 \d\d:\d\d:\d\d", v) for v in values)
    assert any(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", v) for v in values)
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v) for v in values)
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", v) for v in values)
    unparseable = scalar(con, f"SELECT count(*) FROM {table} WHERE {column} <> ''"
                              f" AND try_cast({column} AS TIMESTAMPTZ) IS NULL")
    assert 0 < unparseable < 0.05 * len(values)


def test_empty_strings_and_deleted(small: tuple[Path, dict[str, int]]) -> None:
    out, _ = small
    con = connect(out)
    for column in ("employee_count", "annual_revenue"):
        assert scalar(con, f"SELECT count(*) FROM leads WHERE {column} = ''") > 0
        assert scalar(con, f"SELECT count(*) FROM leads WHERE {column} IS NULL") > 0
    for column in ("page_path", "campaign_id", "email_id", "content_type"):
        assert scalar(con, f"SELECT count(*) FROM events WHERE {column} = ''") > 0
    assert scalar(con, "SELECT count(*) FROM leads WHERE is_deleted = 'true'") > 0
    assert scalar(con, "SELECT count(*) FROM leads"
                       " WHERE company_domain IN ('rivalsoft.com', 'competeware.io')") > 0


# --- CRM tables (docs/crm_contract.md) ------------------------------------------------

# Independent of the generator: country -> currency, rough units per USD.
CURRENCIES = {"US": "USD", "CA": "CAD", "MX": "MXN", "BR": "BRL", "AR": "ARS", "GB": "GBP",
              "DE": "EUR", "FR": "EUR", "IT": "EUR", "ES": "EUR", "NL": "EUR", "RU": "RUB",
              "JP": "JPY", "IN": "INR", "AU": "AUD", "SG": "SGD"}
APPROX_UNITS_PER_USD = {"USD": 1, "CAD": 1.4, "MXN": 18, "BRL": 5.3, "ARS": 900, "GBP": 0.8,
                        "EUR": 0.92, "RUB": 90, "JPY": 150, "INR": 84, "AUD": 1.5,
                        "SGD": 1.35}
MARKET_CURRENCY = {"": "USD", "na": "USD", "latam": "BRL", "emea": "EUR", "apac": "USD"}
STAGES = {"discovery", "proposal", "negotiation", "closed_won", "closed_lost"}
ACTIVITY_TYPES = {"call", "email", "meeting"}
OUTCOMES = {"connected", "no_answer", "voicemail", "replied", "held", "no_show"}
CHANNELS = {"email", "webinar", "paid_search", "paid_social", "partner", "event", "content"}
COMPETITOR_DOMAINS = ("rivalsoft.com", "competeware.io")
TRUE = "lower(trim({})) IN ('true', 't', 'yes', 'y', '1')"
FALSE = "lower(trim({})) IN ('false', 'f', 'no', 'n', '0')"
OFFSET_TS = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"


def crm_connect(directory: Path) -> duckdb.DuckDBPyConnection:
    """connect() plus helper views: known leads, current deal versions, won deals."""
    con = connect(directory)
    con.execute(f"""
        CREATE VIEW known_leads AS
        SELECT lead_id, try_cast(created_at AS TIMESTAMPTZ) AS created,
               upper(trim(country)) AS country_text, company_domain, is_deleted
        FROM latest_leads;
        CREATE VIEW opps AS
        SELECT *, row_number() OVER () AS row_no,
               try_cast(created_at AS TIMESTAMPTZ) AS created,
               try_cast(closed_at AS TIMESTAMPTZ) AS closed,
               try_cast(coalesce(nullif(updated_at, ''), created_at) AS TIMESTAMPTZ) AS updated,
               {TRUE.format('is_won')} AS won, {TRUE.format('is_closed')} AS is_closed_b,
               lower(trim(stage)) AS stage_norm
        FROM opportunities;
        CREATE VIEW won_deals AS
        SELECT lead_id, opportunity_id, closed FROM opps WHERE won;
        CREATE VIEW converted AS
        SELECT lead_id, try_cast(converted_at AS TIMESTAMPTZ) AS converted_at
        FROM lead_outcomes WHERE is_converted = 'true';
    """)
    return con


def test_every_conversion_is_one_won_deal(small: tuple[Path, dict[str, int]],
                                          medium: tuple[Path, dict[str, int]]) -> None:
    for out, _ in (small, medium):
        con = crm_connect(out)
        n_converted = scalar(con, "SELECT count(*) FROM converted")
        assert n_converted > 0
        # each converted lead: exactly one won deal, closed exactly at converted_at
        good = scalar(con, """
            SELECT count(*) FROM converted c
            JOIN (SELECT lead_id, count(DISTINCT opportunity_id) AS n, min(closed) AS lo,
                         max(closed) AS hi
                  FROM won_deals GROUP BY 1) w USING (lead_id)
            WHERE w.n = 1 AND w.lo = c.converted_at AND w.hi = c.converted_at""")
        assert good == n_converted
        # a won deal is won once (its last version), as closed_won, and closed
        assert scalar(con, "SELECT count(*) FROM won_deals WHERE opportunity_id = ''") == 0
        assert scalar(con, "SELECT max(n) FROM (SELECT opportunity_id, count(*) n"
                           " FROM won_deals GROUP BY 1)") == 1
        assert scalar(con, "SELECT count(*) FROM opps WHERE won AND"
                           " (stage_norm <> 'closed_won' OR NOT is_closed_b)") == 0
        # no won deal for a known lead that did not convert, nor for a competitor
        assert scalar(con, """
            SELECT count(*) FROM won_deals w JOIN known_leads USING (lead_id)
            WHERE lead_id NOT IN (SELECT lead_id FROM converted)""") == 0
        competitors = scalar(con, f"""
            SELECT count(*) FROM known_leads
            WHERE company_domain IN {COMPETITOR_DOMAINS}""")
        assert competitors > 0
        assert scalar(con, f"""
            SELECT count(*) FROM won_deals JOIN known_leads USING (lead_id)
            WHERE company_domain IN {COMPETITOR_DOMAINS}""") == 0


def test_deal_dates_and_versions(medium: tuple[Path, dict[str, int]]) -> None:
    out, _ = medium
    con = crm_connect(out)
    # won deals are created after the lead and before the conversion
    bad = scalar(con, """
        SELECT count(*) FROM opps o
        JOIN converted c USING (lead_id) JOIN known_leads l USING (lead_id)
        WHERE o.opportunity_id IN (SELECT opportunity_id FROM won_deals)
          AND (o.created <= l.created OR o.created >= c.converted_at)""")
    assert bad == 0
    assert scalar(con, "SELECT count(*) FROM opps o JOIN known_leads l USING (lead_id)"
                       " WHERE o.created < l.created") == 0
    # 1-3 versions per deal, updated_at increasing in file order
    assert con.execute("SELECT min(n), max(n) FROM (SELECT opportunity_id, count(*) n"
                       " FROM opps WHERE opportunity_id <> '' GROUP BY 1)").fetchone() == (1, 3)
    assert scalar(con, """
        SELECT count(*) FROM (
            SELECT updated, lag(updated) OVER (PARTITION BY opportunity_id ORDER BY row_no)
                AS prev
            FROM opps WHERE opportunity_id <> '')
        WHERE updated <= prev""") == 0
    # current state of every deal: won, lost and open deals all exist
    current = dict(con.execute("""
        SELECT CASE WHEN won THEN 'won' WHEN is_closed_b THEN 'lost' ELSE 'open' END, count(*)
        FROM (SELECT * FROM opps WHERE opportunity_id <> ''
              QUALIFY row_number() OVER (PARTITION BY opportunity_id ORDER BY row_no DESC) = 1)
        GROUP BY ALL""").fetchall())
    assert set(current) == {"won", "lost", "open"}
    assert current["lost"] > 20 and current["open"] > 20
    # closed_at only on closed versions; closed_lost versions are closed and not won
    assert scalar(con, "SELECT count(*) FROM opps WHERE NOT is_closed_b AND closed_at <> ''"
                  ) == 0
    assert scalar(con, "SELECT count(*) FROM opps WHERE stage_norm = 'closed_lost'"
                       " AND (won OR NOT is_closed_b)") == 0
    stages = {r[0] for r in con.execute("SELECT DISTINCT stage_norm FROM opps").fetchall()}
    assert stages == STAGES


def test_deals_favour_intent(medium: tuple[Path, dict[str, int]]) -> None:
    out, _ = medium
    con = crm_connect(out)
    high, low = con.execute("""
        WITH with_deal AS (SELECT DISTINCT lead_id FROM opps WHERE lead_id <> '')
        SELECT avg((d.lead_id IS NOT NULL)::INT) FILTER (WHERE intent >= 0.5),
               avg((d.lead_id IS NOT NULL)::INT) FILTER (WHERE intent < 0.2)
        FROM debug_lead_latent l
        LEFT JOIN with_deal d USING (lead_id)
        WHERE lead_id NOT IN (SELECT lead_id FROM converted)""").fetchone()
    assert high > 1.5 * low > 0


def test_deal_amounts_in_local_currency(medium: tuple[Path, dict[str, int]]) -> None:
    out, _ = medium
    con = crm_connect(out)
    rows = con.execute("""
        SELECT l.country_text, upper(trim(o.currency)), o.amount
        FROM opps o JOIN known_leads l USING (lead_id)""").fetchall()
    codes = {**{c: c for c in COUNTRIES}, **UPPER_COUNTRY_NAMES}
    usd = []
    for country, currency, amount in rows:
        assert currency == CURRENCIES.get(codes.get(country or ""), "USD"), (country, currency)
        if amount not in ("", "n/a"):
            usd.append(float(amount) / APPROX_UNITS_PER_USD[currency])
    assert len(usd) > 0.5 * len(rows)
    assert 4_000 <= min(usd) and max(usd) <= 200_000
    assert {"USD", "EUR", "GBP", "JPY", "BRL"} <= {r[1] for r in rows}


def test_sales_activities(medium: tuple[Path, dict[str, int]]) -> None:
    out, _ = medium
    con = crm_connect(out)
    con.execute("""
        CREATE VIEW acts AS
        SELECT *, lower(trim(activity_type)) AS type_norm, lower(trim(outcome)) AS outcome_norm,
               try_cast(occurred_at AS TIMESTAMPTZ) AS occurred
        FROM sales_activities""")
    assert {r[0] for r in con.execute("SELECT DISTINCT type_norm FROM acts WHERE type_norm <> ''"
                                      ).fetchall()} == ACTIVITY_TYPES
    assert {r[0] for r in con.execute("SELECT DISTINCT outcome_norm FROM acts"
                                      " WHERE outcome_norm <> ''").fetchall()} == OUTCOMES
    owners = {r[0] for r in con.execute("SELECT DISTINCT owner_id FROM acts").fetchall()}
    assert all(re.fullmatch(r"U0(0[1-9]|1\d|20)", o) for o in owners) and len(owners) == 20
    # every won deal had a meeting held between its creation and its close
    assert scalar(con, """
        WITH deal AS (SELECT o.opportunity_id, o.lead_id, min(o.created) AS created,
                             max(o.closed) AS closed
                      FROM opps o JOIN known_leads USING (lead_id)
                      WHERE opportunity_id IN (SELECT opportunity_id FROM won_deals)
                      GROUP BY ALL)
        SELECT count(*) FROM deal d
        WHERE NOT EXISTS (SELECT 1 FROM acts a
                          WHERE a.lead_id = d.lead_id AND a.type_norm = 'meeting'
                            AND a.outcome_norm = 'held'
                            AND a.occurred < d.closed
                            AND (a.occurred >= d.created OR d.created IS NULL))""") == 0
    # touches come after the lead's creation; leads with deals and high intent get more
    assert scalar(con, "SELECT count(*) FROM acts a JOIN known_leads l USING (lead_id)"
                       " WHERE a.occurred < l.created") == 0
    deal, high, low = con.execute("""
        WITH per_lead AS (SELECT lead_id, count(a.lead_id) AS n
                          FROM debug_lead_latent LEFT JOIN acts a USING (lead_id) GROUP BY 1),
        with_deal AS (SELECT DISTINCT lead_id FROM opps WHERE lead_id <> '')
        SELECT avg(n) FILTER (WHERE has_deal),
               avg(n) FILTER (WHERE intent >= 0.5 AND NOT has_deal),
               avg(n) FILTER (WHERE intent < 0.2 AND NOT has_deal)
        FROM (SELECT *, lead_id IN (SELECT lead_id FROM with_deal) AS has_deal
              FROM per_lead JOIN debug_lead_latent USING (lead_id))""").fetchone()
    assert deal > 3 and high > 2 * low > 0


def test_campaigns_cover_event_campaigns(small: tuple[Path, dict[str, int]],
                                         medium: tuple[Path, dict[str, int]]) -> None:
    for out, _ in (small, medium):
        con = crm_connect(out)
        assert scalar(con, """
            SELECT count(DISTINCT campaign_id) FROM events
            WHERE campaign_id <> ''
              AND campaign_id NOT IN (SELECT campaign_id FROM campaigns)""") == 0
        assert scalar(con, "SELECT count(*) - count(DISTINCT campaign_id) FROM campaigns") == 0
        rows = con.execute("SELECT lower(trim(channel)), lower(trim(market)), spend, currency,"
                           " try_cast(started_at AS TIMESTAMPTZ) FROM campaigns").fetchall()
        assert {r[0] for r in rows} == CHANNELS
        assert {r[1] for r in rows} == set(MARKET_CURRENCY)
        for _, market, spend, currency, _started in rows:
            assert currency == MARKET_CURRENCY[market]
            assert spend == "n/a" or float(spend) > 0
        # campaigns without tracked events (events, content syndication) exist too
        assert scalar(con, "SELECT count(*) FROM campaigns WHERE campaign_id NOT IN"
                           " (SELECT campaign_id FROM events WHERE campaign_id <> '')") > 0
        # running campaigns have no end
        assert scalar(con, "SELECT count(*) FROM campaigns WHERE ended_at = ''") > 0


def test_consents_follow_unsubscribes(small: tuple[Path, dict[str, int]],
                                      medium: tuple[Path, dict[str, int]]) -> None:
    for out, _ in (small, medium):
        con = crm_connect(out)
        con.execute("""
            CREATE VIEW marketing AS
            SELECT lead_id, lower(trim(status)) AS status,
                   try_cast(recorded_at AS TIMESTAMPTZ) AS recorded
            FROM consents
            WHERE lower(trim(purpose)) = 'marketing'
              AND lower(trim(status)) IN ('granted', 'withdrawn')
              AND try_cast(recorded_at AS TIMESTAMPTZ) IS NOT NULL;
            CREATE VIEW unsubscribes AS
            SELECT e.lead_id, try_cast(e.occurred_at AS TIMESTAMPTZ) AS at
            FROM events e JOIN known_leads USING (lead_id)
            WHERE lower(trim(e.event_type)) = 'unsubscribe'
              AND try_cast(e.occurred_at AS TIMESTAMPTZ) IS NOT NULL""")
        n_unsubscribes = scalar(con, "SELECT count(*) FROM unsubscribes")
        assert n_unsubscribes > 0
        # at every unsubscribe, the lead's marketing consent (latest row at or before the
        # event) is withdrawn, and a withdrawal was recorded within the hour before it
        status_at = con.execute("""
            SELECT u.lead_id, u.at,
                   (SELECT arg_max(m.status, m.recorded) FROM marketing m
                    WHERE m.lead_id = u.lead_id AND m.recorded <= u.at) AS status,
                   (SELECT max(m.recorded) FROM marketing m
                    WHERE m.lead_id = u.lead_id AND m.status = 'withdrawn'
                      AND m.recorded <= u.at) AS withdrawn_at
            FROM unsubscribes u""").fetchall()
        for lead_id, at, status, withdrawn_at in status_at:
            assert status == "withdrawn", (lead_id, at, status)
            assert (at - withdrawn_at).total_seconds() <= 3601, (lead_id, at, withdrawn_at)
        # consents are recorded at or after the lead's creation
        assert scalar(con, """
            SELECT count(*) FROM consents c JOIN known_leads l USING (lead_id)
            WHERE try_cast(c.recorded_at AS TIMESTAMPTZ) < l.created""") == 0
        # some leads grant again after withdrawing; analytics consents exist
        assert scalar(con, """
            SELECT count(DISTINCT g.lead_id) FROM marketing g JOIN marketing w USING (lead_id)
            WHERE g.status = 'granted' AND w.status = 'withdrawn'
              AND g.recorded > w.recorded""") > 0
        assert scalar(con, "SELECT count(*) FROM consents"
                           " WHERE lower(trim(purpose)) = 'analytics'") > 0
        statuses = {r[0] for r in con.execute(
            "SELECT DISTINCT lower(trim(status)) FROM consents").fetchall()}
        assert statuses == {"granted", "withdrawn", "maybe"}


def test_consents_more_explicit_in_emea(medium: tuple[Path, dict[str, int]]) -> None:
    out, _ = medium
    con = crm_connect(out)
    emea_codes = [c for c, market in COUNTRIES.items() if market == "emea"]
    emea_texts = emea_codes + [n for n, c in UPPER_COUNTRY_NAMES.items() if c in emea_codes]
    emea, other, none = con.execute(f"""
        WITH explicit AS (SELECT DISTINCT lead_id FROM consents
                          WHERE lower(trim(purpose)) = 'marketing' AND lead_id <> ''),
        flagged AS (SELECT lead_id, country_text IN {tuple(emea_texts)} AS is_emea,
                           lead_id IN (SELECT lead_id FROM explicit) AS has_row
                    FROM known_leads)
        SELECT avg(has_row::INT) FILTER (WHERE is_emea),
               avg(has_row::INT) FILTER (WHERE NOT is_emea),
               count(*) FILTER (WHERE NOT has_row)
        FROM flagged""").fetchone()
    assert emea > other + 0.1 and 0.5 < other < 0.9 and none > 0


def test_erasure_requests(small: tuple[Path, dict[str, int]],
                          medium: tuple[Path, dict[str, int]]) -> None:
    for (out, _), n_leads in ((small, 300), (medium, 2000)):
        con = crm_connect(out)
        n = scalar(con, "SELECT count(*) FROM erasure_requests WHERE lead_id <> ''")
        assert 2 <= n <= max(10, 0.012 * n_leads)
        assert scalar(con, "SELECT count(*) FROM erasure_requests WHERE lead_id <> ''"
                           " AND lead_id NOT IN (SELECT lead_id FROM known_leads)") == 0
        assert scalar(con, """
            SELECT count(*) FROM erasure_requests e JOIN known_leads l USING (lead_id)
            WHERE try_cast(e.requested_at AS TIMESTAMPTZ) <= l.created""") == 0
        assert scalar(con, "SELECT count(*) FROM erasure_requests JOIN known_leads"
                           " USING (lead_id) WHERE is_deleted = 'true'") >= 1
        assert scalar(con, "SELECT count(*) FROM erasure_requests JOIN known_leads"
                           " USING (lead_id) WHERE is_deleted = 'false'") >= 1


def test_crm_mess(small: tuple[Path, dict[str, int]]) -> None:
    """Every kind of CRM mess appears in 300 leads."""
    out, _ = small
    con = crm_connect(out)
    for table in ("opportunities", "sales_activities", "consents"):
        nulls, empties, unknown = con.execute(f"""
            SELECT count(*) FILTER (WHERE lead_id IS NULL),
                   count(*) FILTER (WHERE lead_id = ''),
                   count(*) FILTER (WHERE lead_id <> ''
                                    AND lead_id NOT IN (SELECT lead_id FROM known_leads))
            FROM {table}""").fetchone()
        assert nulls > 0 and empties > 0 and unknown > 0, table
    assert scalar(con, "SELECT count(*) FROM erasure_requests WHERE lead_id = ''") > 0
    # unparseable and offset timestamps in every timestamp column
    for table, column in [("opportunities", "created_at"), ("opportunities", "closed_at"),
                          ("opportunities", "updated_at"), ("sales_activities", "occurred_at"),
                          ("consents", "recorded_at"), ("erasure_requests", "requested_at"),
                          ("campaigns", "started_at"), ("campaigns", "ended_at")]:
        unparseable, offsets = con.execute(f"""
            SELECT count(*) FILTER (WHERE {column} <> ''
                                    AND try_cast({column} AS TIMESTAMPTZ) IS NULL),
                   count(*) FILTER (WHERE regexp_matches({column}, '{OFFSET_TS}'))
            FROM {table}""").fetchone()
        assert offsets > 0, (table, column)
        if (table, column) != ("campaigns", "started_at"):
            assert unparseable > 0, (table, column)
    # categories with mixed case and stray spaces that normalise to known values
    for table, column, canonical in [
        ("opportunities", "stage", STAGES),
        ("opportunities", "currency", set(APPROX_UNITS_PER_USD)),
        ("sales_activities", "activity_type", ACTIVITY_TYPES),
        ("sales_activities", "outcome", OUTCOMES),
        ("consents", "status", {"granted", "withdrawn", "maybe"}),
        ("consents", "purpose", {"marketing", "analytics"}),
        ("campaigns", "channel", CHANNELS),
        ("campaigns", "market", {"na", "latam", "emea", "apac"}),
    ]:
        values = {r[0] for r in con.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} <> ''").fetchall()}
        canonical_case = canonical if column != "currency" else set(APPROX_UNITS_PER_USD)
        messy = values - canonical_case
        assert messy, f"{table}.{column} has no mess"
        assert all(v.strip().lower() in {c.lower() for c in canonical} for v in messy), messy
    assert scalar(con, "SELECT count(*) FROM consents WHERE status = 'GRANTED'"
                       " OR status = 'Granted'") > 0
    assert scalar(con, "SELECT count(*) FROM consents WHERE status = 'maybe'") > 0
    assert scalar(con, "SELECT count(*) FROM sales_activities WHERE activity_type = ''") > 0
    # duplicate activity ids: exact copies and the same id with other content
    exact = scalar(con, "SELECT count(*) FROM (SELECT * FROM sales_activities GROUP BY ALL"
                        " HAVING count(*) > 1)")
    changed = scalar(con, "SELECT count(*) FROM (SELECT activity_id FROM sales_activities"
                          " GROUP BY 1 HAVING count(DISTINCT occurred_at) > 1)")
    assert exact > 0 and changed > 0
    # unparseable amounts and spend, a deal without id, booleans in other spellings
    assert scalar(con, "SELECT count(*) FROM opportunities WHERE amount = 'n/a'") > 0
    assert scalar(con, "SELECT count(*) FROM campaigns WHERE spend = 'n/a'") > 0
    assert scalar(con, "SELECT count(*) FROM opportunities WHERE opportunity_id = ''") > 0
    assert scalar(con, f"""
        SELECT count(*) FROM opportunities
        WHERE is_won NOT IN ('true', 'false') AND ({TRUE.format('is_won')}
                                                   OR {FALSE.format('is_won')})""") > 0
    assert scalar(con, f"SELECT count(*) FROM opportunities WHERE NOT ({TRUE.format('is_won')}"
                       f" OR {FALSE.format('is_won')})") == 0
    # a deal closed before it was created
    assert scalar(con, "SELECT count(*) FROM opps WHERE closed < created") > 0
    # an empty updated_at (= created_at) on a first version
    assert scalar(con, "SELECT count(*) FROM opportunities WHERE updated_at = ''") > 0


# --- default output unchanged -----------------------------------------------------------

# SHA-256 of the files of generate(n_leads=300, seed=7, end_date=END_DATE) (the `small`
# fixture), recorded with the pinned DuckDB 2.0.0. A change to the generator must leave
# the default output byte for byte the same; after a deliberate DuckDB upgrade (the
# Parquet writer may change), record the new digests.
SMALL_SHA256 = {
    "leads.parquet": "2aa03229c6a7e8ab3a43795587fbb9bb253b38479a3e1acca357e5ea2030a748",
    "lead_attributes.parquet":
        "b5b32453c41e1095f1ae4ffd2e9ac5aecbb5d4bb71430a816851835794c3031c",
    "events.parquet": "491f15e04a34005f3b4db4bd154add53137ef4def8533f7420e59f0d998a28e4",
    "lead_outcomes.parquet":
        "749a6b2f2268754297c0753641adeace17508ad9c719524a87516eee12c11fba",
    "opportunities.parquet":
        "4a6fb5445159544f079694ad94525490ef7e9b8fc9acc08b530123ac4dfd03ef",
    "sales_activities.parquet":
        "27b208133cdfe48f308a2863d10b813bfc5755719333a987a0a4fab02fb796de",
    "campaigns.parquet": "0d2c3d7f5b42283974f0416e8cef99f3ba3b4718c7424338451921c8172373cf",
    "consents.parquet": "07a51c1dec4d59cb6ab834dc13ca8b8465ba0ffaee8ffb5a8088e355c5334e7e",
    "erasure_requests.parquet":
        "2ade239eb1997e91c8917f7e215e0e48be671bc644b8bff1840b14e646939eef",
}


def test_default_output_is_byte_identical(small: tuple[Path, dict[str, int]]) -> None:
    out, _ = small
    assert set(SMALL_SHA256) == set(FILES)
    assert duckdb.__version__ == "2.0.0", "digests recorded with DuckDB 2.0.0"
    digests = {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in FILES}
    assert digests == SMALL_SHA256


# --- clean mode (--clean) ---------------------------------------------------------------

CANONICAL_TS = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
TIMESTAMP_COLUMNS = [("leads", "created_at"), ("leads", "updated_at"),
                     ("lead_attributes", "updated_at"), ("events", "occurred_at"),
                     ("lead_outcomes", "converted_at")]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The `small` population (300 leads, seed 7) without its mess."""
    out = tmp_path_factory.mktemp("clean")
    return out, generate(out, n_leads=300, seed=7, end_date=END_DATE, clean=True)


def test_clean_writes_the_four_lead_files_as_text(
        clean: tuple[Path, dict[str, int]], small: tuple[Path, dict[str, int]]) -> None:
    out, counts = clean
    assert set(counts) == set(LEAD_FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted(LEAD_FILES)
    for name in LEAD_FILES:
        schema = pq.ParquetFile(out / name).schema_arrow
        assert schema.names == pq.ParquetFile(small[0] / name).schema_arrow.names
        assert all(str(field.type) == "string" for field in schema), name
        assert pq.ParquetFile(out / name).metadata.num_rows == counts[name]


def test_clean_is_repeatable(clean: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    generate(tmp_path, n_leads=300, seed=7, end_date=END_DATE, clean=True, threads=1)
    for name in LEAD_FILES:
        assert pq.read_table(tmp_path / name).equals(pq.read_table(clean[0] / name)), name


@pytest.mark.parametrize("table, column", TIMESTAMP_COLUMNS)
def test_clean_timestamps_are_canonical_utc(clean: tuple[Path, dict[str, int]],
                                            table: str, column: str) -> None:
    con = connect(clean[0])
    values = [r[0] for r in con.execute(f"SELECT {column} FROM {table}").fetchall()]
    present = [v for v in values if v is not None]
    assert all(CANONICAL_TS.fullmatch(v) for v in present), [
        v for v in present if not CANONICAL_TS.fullmatch(v)][:5]
    # real dates (no 30 February), and only converted_at may be missing
    assert scalar(con, f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL"
                       f" AND try_strptime({column}, '%Y-%m-%d %H:%M:%S') IS NULL") == 0
    if column != "converted_at":
        assert len(present) == len(values) > 0


def test_clean_keys(clean: tuple[Path, dict[str, int]]) -> None:
    con = connect(clean[0])
    for table in ("leads", "lead_attributes", "events", "lead_outcomes"):
        assert scalar(con, f"SELECT count(*) FROM {table}"
                           " WHERE lead_id IS NULL OR NOT regexp_matches(lead_id, '^L\\d{7}$')"
                      ) == 0, table
    assert scalar(con, "SELECT count(*) - count(DISTINCT event_id) FROM events") == 0
    assert scalar(con, "SELECT count(*) FROM events WHERE event_id IS NULL") == 0
    for table in ("events", "lead_attributes"):
        assert scalar(con, f"SELECT count(*) FROM {table}"
                           " WHERE lead_id NOT IN (SELECT lead_id FROM leads)") == 0, table
    assert scalar(con, "SELECT count(DISTINCT lead_id) FROM leads") == 300
    # no two versions share an updated_at: load order never decides
    assert scalar(con, "SELECT count(*) FROM (SELECT lead_id, updated_at FROM leads"
                       " GROUP BY ALL HAVING count(*) > 1)") == 0
    assert scalar(con, "SELECT count(*) FROM (SELECT lead_id, attribute_name, updated_at"
                       " FROM lead_attributes GROUP BY ALL HAVING count(*) > 1)") == 0


def test_clean_values_have_no_mess(clean: tuple[Path, dict[str, int]]) -> None:
    out, _ = clean
    for name in LEAD_FILES:
        for column in pq.read_table(out / name).columns:
            values = [v for v in column.to_pylist() if v is not None]
            assert all(v == v.strip() for v in values), [v for v in values if v != v.strip()]
            assert "" not in values, name
    con = connect(out)
    for table, column, allowed in [
        ("leads", "seniority", SENIORITIES), ("leads", "industry", INDUSTRIES),
        ("leads", "is_deleted", {"true", "false"}),
        ("lead_outcomes", "is_converted", {"true", "false"}),
        ("events", "event_type", set(EVENT_TYPES)), ("events", "content_type", CONTENT_TYPES),
    ]:
        values = {r[0] for r in con.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL").fetchall()}
        assert values == allowed, (table, column, values ^ allowed)
    countries = {r[0] for r in con.execute("SELECT DISTINCT country FROM leads").fetchall()}
    assert countries - {None} <= CLEAN_COUNTRIES
    assert {"US", "United States"} <= countries
    assert scalar(con, "SELECT count(*) FROM leads WHERE NOT regexp_matches(employee_count,"
                       " '^[1-9][0-9]*$')") == 0
    assert scalar(con, "SELECT count(*) FROM leads WHERE NOT regexp_matches(annual_revenue,"
                       " '^[0-9]+\\.[0-9]{2}$')") == 0
    # deleted leads remain, on their latest version
    assert scalar(con, "SELECT count(*) FROM latest_leads WHERE is_deleted = 'true'") >= 1


def test_clean_is_the_same_population(clean: tuple[Path, dict[str, int]],
                                      small: tuple[Path, dict[str, int]]) -> None:
    """The messy files minus their mess: the same leads, versions and events."""
    con = connect(clean[0])
    for table in ("leads", "lead_attributes", "events"):
        con.execute(f"CREATE VIEW messy_{table} AS SELECT * FROM "
                    f"read_parquet('{small[0] / (table + '.parquet')}')")
    versions = "SELECT lead_id, count(*) AS n FROM {} WHERE lead_id <> '' GROUP BY 1"
    assert con.execute(f"SELECT * FROM ({versions.format('leads')}) EXCEPT"
                       f" SELECT * FROM ({versions.format('messy_leads')})").fetchall() == []
    assert scalar(con, "SELECT count(*) FROM leads") == scalar(
        con, "SELECT count(*) FROM messy_leads WHERE lead_id <> ''")
    # every event once, with the type it has under its mess
    assert scalar(con, "SELECT count(*) FROM events") == scalar(
        con, "SELECT count(DISTINCT event_id) FROM messy_events")
    assert scalar(con, """
        SELECT count(*) FROM events e
        JOIN (SELECT DISTINCT event_id, lower(trim(event_type)) AS event_type
              FROM messy_events) m USING (event_id)
        WHERE e.event_type <> m.event_type""") == 0
    # the same attribute values where the messy file has them
    assert scalar(con, """
        SELECT count(*) FROM lead_attributes a
        JOIN messy_lead_attributes m
          ON m.lead_id = a.lead_id AND m.attribute_name = a.attribute_name
         AND try_cast(m.updated_at AS TIMESTAMPTZ) = CAST(a.updated_at AS TIMESTAMPTZ)
        WHERE m.attribute_value <> a.attribute_value""") == 0


def test_clean_cli_removes_stale_crm_files(tmp_path: Path) -> None:
    main(["--out", str(tmp_path), "--leads", "300", "--events-per-lead", "5",
          "--end-date", "2025-01-31"])
    assert {p.name for p in tmp_path.glob("*.parquet")} == set(FILES)
    counts = main(["--out", str(tmp_path), "--leads", "300", "--events-per-lead", "5",
                   "--end-date", "2025-01-31", "--clean"])
    assert set(counts) == set(LEAD_FILES)
    assert {p.name for p in tmp_path.glob("*.parquet")} == set(LEAD_FILES)
