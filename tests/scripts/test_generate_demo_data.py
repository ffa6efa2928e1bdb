"""Tests of scripts/generate_demo_data.py on small data sets (300-2000 leads)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from scripts import generate_demo_data as generator
from scripts.generate_demo_data import EVENT_TYPES, FILES, generate, main

END_DATE = date(2025, 6, 30)

# Country text (ISO code or English name) -> (code, market); independent of the generator.
COUNTRIES = {
    "US": "na", "CA": "na", "MX": "na",
    "BR": "latam", "AR": "latam",
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
    }
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
