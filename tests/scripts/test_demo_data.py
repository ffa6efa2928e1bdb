"""Tests of the demo-data package's own parts: the one templating step of its SQL
files (scripts/demo_data/sql.py) and the countries read from the seed
(scripts/demo_data/locales.py). The generated data is tested in
test_generate_demo_data.py."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from scripts.demo_data import sql
from scripts.demo_data.locales import COUNTRY_SEED, LOCALES, locale_countries
from scripts.generate_demo_data import generate


def test_literals_are_duckdb_values() -> None:
    assert sql.literal([1, "it's", None, [0.5, True]]) == "[1, 'it''s', NULL, [0.5, TRUE]]"
    assert sql.literal({"n": 3, "name": "a"}) == "{'n': 3, 'name': 'a'}"
    assert sql.literal(Path("/tmp/x.parquet")) == "'/tmp/x.parquet'"
    rows = duckdb.sql(f"SELECT {sql.literal([{'a': 1, 'b': 'x'}, {'a': 2, 'b': None}])}")
    assert rows.fetchall() == [([{"a": 1, "b": "x"}, {"a": 2, "b": None}],)]
    with pytest.raises(TypeError, match="date"):
        sql.literal(date(2025, 1, 1))


def test_render_replaces_placeholders_by_values_only(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql, "SQL_DIR", tmp_path)
    (tmp_path / "q.sql").write_text("SELECT {{ a }} * {{second_us}}, '{4}' AS {{ name }}\n")
    assert sql.render("q", a=2, name="x") == "SELECT 2 * 1000000, '{4}' AS 'x'"
    with pytest.raises(KeyError, match="q.sql: no value for the placeholder name"):
        sql.render("q", a=2)
    with pytest.raises(TypeError, match="q.sql: no placeholder for b"):
        sql.render("q", a=2, name="x", b=3)


def seed_copy(tmp_path: Path, change: dict[str, dict[str, str]],
              drop: str | None = None) -> Path:
    """The shipped country seed with some rows changed (by country_code) or dropped."""
    with open(COUNTRY_SEED, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    path = tmp_path / "country_markets.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            if row["country_code"] != drop:
                writer.writerow({**row, **change.get(row["country_code"], {})})
    return path


def test_countries_and_standard_offsets_come_from_the_seed() -> None:
    countries = {c.code: c for c in locale_countries()}
    # standard time, also where January is summer time (Sydney)
    assert {code: countries[code].tz_minutes for code in ("US", "GB", "IN", "AU")} == {
        "US": -300, "GB": 0, "IN": 330, "AU": 600}
    assert countries["IN"].tz_text == "+05:30" and countries["US"].tz_text == "-05:00"
    assert (countries["MX"].market, countries["JP"].currency) == ("latam", "JPY")
    assert len(locale_countries()) == len(LOCALES)


def test_a_changed_seed_changes_the_countries_written(tmp_path: Path) -> None:
    seed = seed_copy(tmp_path, {"DE": {"country_name": "Deutschland",
                                       "time_zone": "Asia/Kolkata"}})
    assert [c.tz_minutes for c in locale_countries(seed) if c.code == "DE"] == [330]
    out = tmp_path / "out"
    generate(out, n_leads=300, events_per_lead=1, seed=7, end_date=date(2025, 6, 30),
             clean=True, country_seed=seed)
    countries = {row[0] for row in duckdb.sql(
        f"SELECT DISTINCT country FROM read_parquet('{out / 'leads.parquet'}')").fetchall()}
    assert "Deutschland" in countries and "Germany" not in countries


def test_a_country_missing_from_the_seed_is_named(tmp_path: Path) -> None:
    seed = seed_copy(tmp_path, {}, drop="JP")
    with pytest.raises(ValueError, match=r"country_markets.csv: no row for .*countries JP"):
        locale_countries(seed)


def test_a_seed_without_a_column_is_named(tmp_path: Path) -> None:
    seed = tmp_path / "countries.csv"
    seed.write_text("country_code,country_name,market\nUS,United States,na\n")
    with pytest.raises(ValueError, match=r"countries.csv: cannot read the countries"):
        locale_countries(seed)
