"""Publication mechanics (scripts/lead_scoring/duckdb_publication.py) on hand-made files.

No dbt here: a "build" is a DuckDB file with a schema ``marts``, changed by
hand, so that each property is shown in a second or two. The orchestrator's
own runs (dbt, audits, failpoints in a real run) are in
tests/e2e/test_write_audit_publish.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from scripts.lead_scoring.duckdb_publication import (
    Files,
    commit,
    prepare_build,
    read_publication,
    read_published,
    recover,
    table_checksums,
    write_publication,
)
from scripts.lead_scoring.publication import LockTimeout, PublicTable, run_lock

ROOT = Path(__file__).resolve().parents[2]
# DuckDB 1.0, as BI drivers bundle it: the Makefile installs it apart
DUCKDB_1 = Path(sys.prefix) / "duckdb1"
TABLES = [PublicTable("agg_lead_score_bands"), PublicTable("fct_lead_scores", ("scored_at",))]


def make_warehouse(path: Path, bonus: int = 0) -> None:
    """A warehouse with two marts; ``bonus`` is added to every score."""
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.fct_lead_scores as select "
                "'L' || lpad(cast(i as varchar), 4, '0') as lead_id, 'default' as scorecard_id, "
                f"cast(i % 100 + {bonus} as decimal(18, 2)) as total_score, "
                "now()::timestamp as scored_at from range(1000) as t(i)")
    con.execute("create or replace table marts.agg_lead_score_bands as "
                "select 'default' as scorecard_id, band, count(*) as lead_count, "
                "count(*) / 1000 as lead_share from (select case when total_score >= 50 "
                "then 'hot' else 'cold' end as band from marts.fct_lead_scores) group by band")
    con.close()


def publish(files: Files, as_of: str = "2025-06-30") -> int:
    """One whole publication, as pipeline.py does it after the audits."""
    holder = prepare_build(files)
    previous = read_publication(files.serving)
    publication = write_publication(files, files.build, TABLES, previous, as_of, "test")
    commit(files, publication, holder)
    return publication.publication_id


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scores(path: Path) -> list[tuple[str, float]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [(lead, float(score)) for lead, score in con.execute(
            "select lead_id, total_score from marts.fct_lead_scores order by lead_id").fetchall()]
    finally:
        con.close()


@pytest.fixture
def files(tmp_path: Path) -> Files:
    """A warehouse already published once (publication 1), with Parquet."""
    files = Files.beside(tmp_path / "warehouse.duckdb", parquet=tmp_path / "parquet")
    make_warehouse(files.warehouse)
    assert publish(files) == 1
    return files


def test_publication_holds_the_marts_and_what_was_published(files: Files) -> None:
    assert scores(files.serving) == scores(files.warehouse)
    publication = read_publication(files.serving)
    assert publication is not None and publication.publication_id == 1
    assert publication.score_as_of == "2025-06-30"
    assert publication.tables["fct_lead_scores"]["row_count"] == 1000
    bands = read_published(files.serving, "agg_lead_score_bands", order_by=("band",))
    assert bands is not None and [row["band"] for row in bands] == ["cold", "hot"]
    assert read_published(files.serving, "agg_lead_score_bands", {"band": "hot"}) == [
        row for row in bands if row["band"] == "hot"]
    # the Parquet files of the same publication, behind the `current` link
    current = files.parquet / "current"
    assert os.readlink(current) == "1"
    manifest = json.loads((current / "_publication.json").read_text(encoding="utf-8"))
    assert manifest["tables"] == publication.tables
    con = duckdb.connect()
    parquet_rows = con.execute(
        f"select count(*), sum(total_score) from '{current}/fct_lead_scores.parquet'").fetchone()
    assert parquet_rows == (1000, sum(score for _, score in scores(files.serving)))
    # nothing of the run is left behind
    assert not files.unfinished() and not files.journal.exists()


def test_serving_file_opens_in_duckdb_1(files: Files) -> None:
    """BI drivers bundle DuckDB 1.x; the serving file is written for it. The
    control: a file DuckDB 2 writes by default does not open there."""
    assert (DUCKDB_1 / "duckdb").is_dir(), (
        f"{DUCKDB_1} is missing: `make venv` installs requirements-duckdb1.txt there")
    reader = textwrap.dedent("""
        import sys, duckdb
        try:
            con = duckdb.connect(sys.argv[1], read_only=True)
            rows = con.execute(
                "select count(*), sum(total_score) from marts.fct_lead_scores").fetchone()
            last = con.execute(
                "select max(publication_id) from publication.publications").fetchone()[0]
            print(duckdb.__version__, rows[0], float(rows[1]), last)
        except Exception as error:
            print(duckdb.__version__, "ERROR", str(error).splitlines()[0])
    """)
    env = dict(os.environ, PYTHONPATH=str(DUCKDB_1))

    def read_with_duckdb_1(path: Path) -> list[str]:
        result = subprocess.run([sys.executable, "-c", reader, str(path)], env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    version, count, total, last = read_with_duckdb_1(files.serving)
    assert version.startswith("1.0") and int(count) == 1000 and int(last) == 1
    assert float(total) == sum(score for _, score in scores(files.serving))
    # the control: the warehouse, written by DuckDB 2 without a storage version
    version, status, *_ = read_with_duckdb_1(files.warehouse)
    assert version.startswith("1.0") and status == "ERROR"


def test_checksums_see_every_change_but_not_row_order_or_run_times(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "c.duckdb"))
    con.execute("create schema marts")
    table = PublicTable("t", ("scored_at",))

    def checksum(sql: str) -> dict[str, object]:
        con.execute(f"create or replace table marts.t as {sql}")
        return table_checksums(con, "c", table)

    base = checksum("select i, i * 2 as v, now()::timestamp as scored_at from range(100) t(i)")
    shuffled = checksum("select i, i * 2 as v, now()::timestamp + interval 1 day as scored_at "
                        "from range(100) t(i) order by random()")
    assert shuffled["data_checksum"] == base["data_checksum"]
    assert shuffled["checksum"] != base["checksum"]  # scored_at moved
    changed = checksum("select i, case when i = 42 then 85 else i * 2 end as v, "
                       "now()::timestamp as scored_at from range(100) t(i)")
    assert changed["data_checksum"] != base["data_checksum"]
    duplicated = checksum("select i, i * 2 as v, now()::timestamp as scored_at "
                          "from range(100) t(i) union all select 0, 0, now()::timestamp")
    assert duplicated["row_count"] == 101 and duplicated["data_checksum"] != base["data_checksum"]


# -------------------------------------------------------------- crash safety

KILLED_RUN = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    import duckdb
    from scripts.lead_scoring.duckdb_publication import (Files, commit, prepare_build,
                                                         read_publication, recover,
                                                         write_publication)
    from scripts.lead_scoring.publication import PublicTable
    files = Files.beside(Path(sys.argv[2]), parquet=Path(sys.argv[3]))
    recover(files)
    holder = prepare_build(files)
    build = duckdb.connect(str(files.build))  # the "dbt build": every score + 1
    build.execute("update marts.fct_lead_scores set total_score = total_score + 1")
    build.close()
    tables = [PublicTable("agg_lead_score_bands"), PublicTable("fct_lead_scores", ("scored_at",))]
    publication = write_publication(files, files.build, tables, read_publication(files.serving),
                                    "2025-07-01", "test")
    commit(files, publication, holder)
    print("published", publication.publication_id)
""")


def killed_run(files: Files, failpoint: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("LEAD_SCORING_FAILPOINT", None)
    if failpoint:
        env["LEAD_SCORING_FAILPOINT"] = failpoint
    assert files.parquet is not None
    return subprocess.run(
        [sys.executable, "-c", KILLED_RUN, str(ROOT), str(files.warehouse), str(files.parquet)],
        env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("failpoint", "committed"), [
    ("publish:1", False),       # one mart copied into the new serving file
    ("publish:2", False),       # every mart copied, checksums not yet written
    ("commit:journal", True),   # the journal is written, nothing renamed yet
    ("commit:1", True),         # the new serving file is in place, the warehouse not
    ("commit:2", True),         # both renamed, the Parquet link not
])
def test_a_killed_publication_leaves_the_last_good_one(
    files: Files, failpoint: str, committed: bool
) -> None:
    served, warehouse = digest(files.serving), scores(files.warehouse)
    killed = killed_run(files, failpoint)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    if not committed:
        # before the journal nothing BI or the next run reads has changed
        assert digest(files.serving) == served and scores(files.warehouse) == warehouse
    messages = recover(files)  # what the next run does first
    expected_id = 2 if committed else 1
    publication = read_publication(files.serving)
    assert publication is not None and publication.publication_id == expected_id
    bonus = 1 if committed else 0
    assert scores(files.serving) == [(lead, score + bonus) for lead, score in warehouse]
    assert scores(files.warehouse) == scores(files.serving)
    assert os.readlink(files.parquet / "current") == str(expected_id)
    assert not files.unfinished() and not files.journal.exists()
    if committed:
        assert messages[0] == ("completed publication 2, which an interrupted run had "
                               "committed")
    else:
        assert digest(files.serving) == served
        assert messages and messages[-1].startswith("discarded the unfinished build")
    # and the next run succeeds
    after = killed_run(files, None)
    assert after.returncode == 0, after.stdout + after.stderr
    assert after.stdout.split() == ["published", str(expected_id + 1)]
    assert scores(files.serving) == [(lead, score + bonus + 1) for lead, score in warehouse]


# ------------------------------------------------- readers, locks, writers

READER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    query = "select max(publication_id) from publication.publications"
    print(con.execute(query).fetchone()[0], flush=True)
    sys.stdin.readline()  # the test publishes meanwhile
    print(con.execute(query).fetchone()[0], flush=True)
    con.close()
    print(duckdb.connect(sys.argv[1], read_only=True).execute(query).fetchone()[0], flush=True)
""")


def test_a_reader_holding_the_serving_file_never_blocks_a_publication(files: Files) -> None:
    reader = subprocess.Popen([sys.executable, "-c", READER, str(files.serving)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "1"
        assert publish(files, "2025-07-01") == 2  # while the reader holds the file open
        reader.stdin.write("\n")
        reader.stdin.flush()
        # the open connection keeps the publication it opened; a new one sees the next
        assert reader.stdout.readline().strip() == "1"
        assert reader.stdout.readline().strip() == "2"
    finally:
        reader.kill()
        reader.wait()


def test_a_writer_of_the_warehouse_stops_the_run_with_a_clear_error(files: Files) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", "import sys, duckdb; con = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.readline()", str(files.warehouse)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
        with pytest.raises(Exception, match="is being written by another process"):
            prepare_build(files)
    finally:
        writer.kill()
        writer.wait()


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from scripts.lead_scoring.publication import run_lock
    with run_lock(Path(sys.argv[2]), 0, "pipeline.py run"):
        print("locked", flush=True)
        time.sleep(float(sys.argv[3]))
""")


def test_a_second_run_waits_for_the_lock_then_stops_with_who_holds_it(tmp_path: Path) -> None:
    lock = tmp_path / "warehouse.duckdb.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(ROOT), str(lock), "600"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        said: list[str] = []
        started = time.monotonic()
        with pytest.raises(LockTimeout) as stopped, run_lock(lock, 1.0, "second", said.append):
            pytest.fail("the lock was taken twice")
        assert time.monotonic() - started >= 1.0
        assert f"pid {holder.pid}, pipeline.py run, started" in str(stopped.value)
        assert "gave up after 1 s" in str(stopped.value)
        assert said and said[0].startswith("  waiting for another run to finish (pid ")
        # a killed holder leaves no stale lock: the kernel releases it
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        with run_lock(lock, 5.0, "third", said.append):
            assert json.loads(lock.read_text(encoding="utf-8"))["command"] == "third"
    finally:
        holder.kill()
        holder.wait()


def test_a_run_waiting_for_the_lock_goes_on_when_it_is_released(tmp_path: Path) -> None:
    lock = tmp_path / "warehouse.duckdb.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(ROOT), str(lock), "1.5"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        said: list[str] = []
        with run_lock(lock, 60.0, "second", said.append):
            assert holder.wait(timeout=1) == 0  # it finished before we got the lock
        assert len(said) == 1 and "waiting for another run" in said[0]
    finally:
        holder.kill()
        holder.wait()
