"""Tests of scripts/load_raw.py: required lead tables, optional CRM tables."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from scripts.generate_demo_data import generate
from scripts.load_raw import (
    CRM_TABLES,
    RAW_TABLES,
    RawDataError,
    find_raw_files,
    load_raw_tables,
    main,
    raw_row_counts,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(out, n_leads=300, events_per_lead=5, seed=9, end_date=date(2025, 6, 30))
    return out


@pytest.fixture()
def leads_only(demo: Path, tmp_path: Path) -> Path:
    """The three lead tables without any CRM table."""
    folder = tmp_path / "leads_only"
    folder.mkdir()
    for table in RAW_TABLES:
        shutil.copy(demo / f"{table}.parquet", folder)
    return folder


def column_types(database: Path, table: str) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {row[1] for row in con.execute(f"describe raw.{table}").fetchall()}


def test_loads_lead_and_crm_tables(demo: Path, tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    counts = load_raw_tables(demo, database)
    assert list(counts) == [*RAW_TABLES, *CRM_TABLES]
    for table, rows in counts.items():
        assert rows == pq.ParquetFile(demo / f"{table}.parquet").metadata.num_rows
        assert column_types(database, table) == {"VARCHAR"}
    assert raw_row_counts(database, include_crm=True) == counts


def test_crm_tables_are_optional(leads_only: Path, tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    assert set(find_raw_files(leads_only)) == set(RAW_TABLES)
    counts = load_raw_tables(leads_only, database)
    assert list(counts) == list(RAW_TABLES)
    # the default stays the required three (scripts/pipeline.py relies on it)
    assert raw_row_counts(database) == counts
    with_crm = raw_row_counts(database, include_crm=True)
    assert {t: with_crm[t] for t in RAW_TABLES} == counts
    assert all(with_crm[t] is None for t in CRM_TABLES)


def test_some_crm_tables_and_csv(demo: Path, leads_only: Path, tmp_path: Path) -> None:
    shutil.copy(demo / "opportunities.parquet", leads_only)
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * FROM '{demo / 'consents.parquet'}')"
                    f" TO '{leads_only / 'consents.csv'}' (HEADER)")
        expected = con.execute(f"SELECT count(*) FROM '{demo / 'consents.parquet'}'"
                               ).fetchone()[0]
    database = tmp_path / "w.duckdb"
    counts = load_raw_tables(leads_only, database)
    assert set(counts) == {*RAW_TABLES, "opportunities", "consents"}
    assert counts["consents"] == expected
    assert column_types(database, "consents") == {"VARCHAR"}
    typed = tmp_path / "typed.duckdb"
    load_raw_tables(leads_only, typed, typed=True)
    assert "VARCHAR" in column_types(typed, "consents")  # lead_id, purpose, status


def test_reload_without_crm_files_drops_stale_crm_tables(demo: Path, leads_only: Path,
                                                        tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    load_raw_tables(demo, database)
    messages: list[str] = []
    counts = load_raw_tables(leads_only, database, log=messages.append)
    assert list(counts) == list(RAW_TABLES)
    assert all(count is None for table, count
               in raw_row_counts(database, include_crm=True).items() if table in CRM_TABLES)
    assert sorted(m.split(":")[0] for m in messages) == sorted(
        f"dropped raw.{t}" for t in CRM_TABLES)


def test_missing_required_files_and_folders(leads_only: Path, tmp_path: Path) -> None:
    (leads_only / "events.parquet").unlink()
    with pytest.raises(RawDataError, match=r"leads_only: missing raw file\(s\): "
                                           r"events\.parquet or events\.csv"):
        load_raw_tables(leads_only, tmp_path / "w.duckdb")
    with pytest.raises(RawDataError, match="nowhere: folder not found"):
        find_raw_files(tmp_path / "nowhere")
    (tmp_path / "file").write_text("x")
    with pytest.raises(RawDataError, match="file: not a folder"):
        find_raw_files(tmp_path / "file")


def test_broken_crm_file_names_the_file_and_changes_nothing(demo: Path, leads_only: Path,
                                                           tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    load_raw_tables(demo, database)
    before = raw_row_counts(database, include_crm=True)
    # a new folder: fewer leads, and a campaigns file that is not Parquet
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * FROM '{demo / 'leads.parquet'}' LIMIT 10)"
                    f" TO '{leads_only / 'leads.parquet'}' (FORMAT parquet)")
    (leads_only / "campaigns.parquet").write_bytes(b"not parquet")
    with pytest.raises(RawDataError, match=r"campaigns\.parquet: cannot be loaded into "
                                           r"raw\.campaigns"):
        load_raw_tables(leads_only, database)
    assert raw_row_counts(database, include_crm=True) == before


def test_cli_reports_loaded_and_absent_tables(leads_only: Path, demo: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(demo / "erasure_requests.parquet", leads_only)
    assert main(["--from", str(leads_only), "--database", str(tmp_path / "w.duckdb")]) == 0
    out = capsys.readouterr().out
    for table in (*RAW_TABLES, "erasure_requests"):
        assert f"loaded raw.{table}: " in out
    absent = [t for t in CRM_TABLES if t != "erasure_requests"]
    assert f"not loaded (optional, no file in {leads_only}): {', '.join(absent)}" in out
    assert main(["--from", str(tmp_path / "nowhere"),
                 "--database", str(tmp_path / "w.duckdb")]) == 2
    assert "nowhere: folder not found" in capsys.readouterr().err
