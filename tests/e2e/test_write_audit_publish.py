"""Write, audit, publish through the orchestrator, as a scheduler runs it.

One project goes through a sequence of `pipeline.py run` calls (a module
fixture; each test reads what it needs from the record):

1. a first run: publication 1;
2. killed (SIGKILL) in the middle of `dbt build`;
3. a run on the same data: publication 2;
4. killed during its publication, between the two renames of the commit
   (publication 3 committed);
5. a run while a BI tool (SQLAlchemy, duckdb-engine, read-only) queries the
   serving file: it completes publication 3, then publishes 4;
6. a scorecard that moves most leads to another band: the audit fails;
7. a run started while another holds the warehouse.

Kills at every step of a publication, on small hand-made files, are in
tests/scripts/test_publication.py.

No run prints the summary (``--no-summary``; tests/scripts/test_pipeline.py
reads it).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlalchemy

from scripts.lead_scoring.publication import run_lock
from tests.e2e.harness import Project

AS_OF = "2025-06-30"
# the tables under models/marts/ (each one .sql file)
MARTS = len(list((Path(__file__).resolve().parents[2] / "models" / "marts").rglob("*.sql")))
OUTBOX_TABLES = {"fct_lead_score_triggers", "fct_crm_lead_sync", "rpt_triggers_fired"}
# one row per run that counts this run's CRM sync rows (0 on a rerun)
OUTBOX_REPORTS = {"rpt_lead_outreach"}
CONSISTENCY_SQL = """
select
    (select max(publication_id) from publication.publications) as publication_id,
    (select sum(lead_count) from marts.agg_lead_score_bands) as band_leads,
    (select count(*) from marts.fct_lead_scores) as score_rows,
    (select row_count from publication.tables where table_name = 'fct_lead_scores')
        as published_rows
"""


# every run builds with the audits only: what they test is the publication
# (tests/scripts/test_pipeline.py's first run runs every data test on demo data)
AUDITS_ONLY = ("--audits-only",)


def pipeline(project: Project, *args: str, failpoint: str | None = None
             ) -> subprocess.Popen[str]:
    env = dict(project.env)
    if failpoint:
        env["LEAD_SCORING_FAILPOINT"] = failpoint
    return subprocess.Popen(
        [sys.executable, str(project.path / "scripts" / "pipeline.py"), "run",
         "--as-of", AS_OF, "--no-summary", *args],
        cwd=project.path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = process.communicate(timeout=900)
    return {"code": process.returncode, "out": out, "err": err}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def published(serving: Path) -> dict[str, Any]:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        tables = {row[0]: row[1:] for row in con.execute(
            "select table_name, row_count, checksum, data_checksum from publication.tables"
        ).fetchall()}
        last = con.execute("select max(publication_id) from publication.publications").fetchone()
        return {"id": last[0], "tables": tables, "digest": digest(serving)}
    finally:
        con.close()


def warehouse_scores(project: Project) -> list[tuple[Any, ...]]:
    return [tuple(row.values()) for row in project.query(
        "select lead_id, scorecard_id, total_score from marts.fct_lead_scores order by 1, 2")]


def query_while_running(serving: Path, process: subprocess.Popen[str]) -> dict[str, Any]:
    """Query the serving file as a BI tool does until the run ends: one connection
    held open from the start, and a new connection per query."""
    engine = sqlalchemy.create_engine(f"duckdb:///{serving}",
                                      connect_args={"read_only": True},
                                      poolclass=sqlalchemy.pool.NullPool)
    samples: list[tuple[Any, ...]] = []
    with engine.connect() as held:
        first = tuple(held.execute(sqlalchemy.text(CONSISTENCY_SQL)).one())
        while process.poll() is None:
            with engine.connect() as fresh:
                samples.append(tuple(fresh.execute(sqlalchemy.text(CONSISTENCY_SQL)).one()))
            time.sleep(0.2)
        held_after = tuple(held.execute(sqlalchemy.text(CONSISTENCY_SQL)).one())
    with engine.connect() as fresh:
        after = tuple(fresh.execute(sqlalchemy.text(CONSISTENCY_SQL)).one())
    engine.dispose()
    return {"first": first, "samples": samples, "held_after": held_after, "after": after}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    project = Project.copy(tmp_path_factory.mktemp("wap") / "project")
    serving = project.database.parent / "serving" / project.database.name
    record: dict[str, Any] = {"project": project, "serving": serving}

    # the first run enrolls the leads already over a threshold (else it fires
    # nothing), so that the rerun's empty outbox says something
    record["run1"] = finish(pipeline(project, "--demo-leads", "80", "--history-days", "0",
                                     "--enroll-existing", *AUDITS_ONLY))
    assert record["run1"]["code"] == 0, record["run1"]
    record["pub1"] = published(serving)
    record["scores1"] = warehouse_scores(project)
    record["warehouse1"] = digest(project.database)

    record["run2"] = finish(pipeline(project, *AUDITS_ONLY, failpoint="build:60"))
    record["after2"] = published(serving)
    record["warehouse2"] = digest(project.database)

    record["run3"] = finish(pipeline(project, *AUDITS_ONLY))
    assert record["run3"]["code"] == 0, record["run3"]
    record["pub2"] = published(serving)
    record["scores2"] = warehouse_scores(project)

    record["run5"] = finish(pipeline(project, *AUDITS_ONLY, failpoint="commit:1"))
    record["after5"] = published(serving)
    record["scores5"] = warehouse_scores(project)

    run6 = pipeline(project, *AUDITS_ONLY)
    record["bi"] = query_while_running(serving, run6)
    record["run6"] = finish(run6)
    assert record["run6"]["code"] == 0, record["run6"]
    record["pub4"] = published(serving)
    record["warehouse6"] = digest(project.database)

    rules = project.read_seed("scorecard_rules")
    boosted = [dict(rule, points=str(float(rule["points"]) * 5))
               if rule["scorecard_id"] == "default" else rule for rule in rules]
    project.write_seed("scorecard_rules", boosted)
    # only what the band audit reads: the audit fails either way
    record["run7"] = finish(pipeline(project, "--select", "+agg_lead_score_bands",
                                     *AUDITS_ONLY))
    project.write_seed("scorecard_rules", rules)
    record["after7"] = published(serving)
    record["warehouse7"] = digest(project.database)
    return record


def test_first_run_publishes_every_mart(runs: dict[str, Any]) -> None:
    out = runs["run1"]["out"]
    # the audits are dbt tests (tests/dbt/, tag audit), read from the build's results
    assert "3/5 audits (dbt tests tagged audit)" in out
    for audit in ("scores inside what the scorecard allows", "raw rows = usable + quarantined",
                  "band shares near the last publication",
                  "every current lead scored by every scorecard"):
        assert f"  ok    {audit}\n" in out, audit
    assert f"publication 1: {MARTS} marts" in out and str(runs["serving"]) in out
    assert runs["pub1"]["id"] == 1 and len(runs["pub1"]["tables"]) == MARTS
    # BI reads the same marts the warehouse holds
    con = duckdb.connect(str(runs["serving"]), read_only=True)
    served = con.execute("select lead_id, scorecard_id, total_score from marts.fct_lead_scores "
                         "order by 1, 2").fetchall()
    con.close()
    assert served == runs["scores1"] and len(served) > 100
    # the warehouse took the build's place: its views (staging) still resolve,
    # so the build copy had the warehouse's database name
    staged = runs["project"].query("select count(*) as n from staging.stg_crm__leads")
    assert staged[0]["n"] > 80


def test_a_build_killed_midway_changes_nothing_and_the_next_run_succeeds(
    runs: dict[str, Any]
) -> None:
    assert runs["run2"]["code"] == -9, runs["run2"]
    assert "2/5 dbt build" in runs["run2"]["out"]
    assert runs["after2"]["digest"] == runs["pub1"]["digest"]
    assert runs["warehouse2"] == runs["warehouse1"]
    assert "discarded the unfinished build of an interrupted run" in runs["run3"]["out"]
    assert runs["pub2"]["id"] == 2


def test_kills_during_publication(runs: dict[str, Any]) -> None:
    # killed between the renames: the journal makes publication 3 the last good one
    assert runs["run5"]["code"] == -9 and "4/5 publication" in runs["run5"]["out"]
    assert runs["after5"]["id"] == 3
    assert runs["scores5"] == runs["scores2"]  # the warehouse is not swapped yet
    # the next run completes it, then publishes its own
    assert runs["run6"]["code"] == 0, runs["run6"]
    assert "completed publication 3, which an interrupted run had committed" in runs["run6"]["out"]
    assert runs["pub4"]["id"] == 4


def test_reruns_on_the_same_data_publish_the_same_marts(runs: dict[str, Any]) -> None:
    """Runs 3, 5 and 6 read the same data: every table's data checksum is the
    same, and the full checksum too except where a run-time column
    (scored_at) is. Run 3 after run 1: the same, but the outbox tables are
    empty (a rerun fires and syncs nothing twice)."""
    for rerun in ("after5", "pub4"):
        second, later = runs["pub2"]["tables"], runs[rerun]["tables"]
        assert set(second) == set(later) and len(second) == MARTS
        for name in second:
            rows, full, data = second[name]
            assert later[name][0] == rows and later[name][2] == data, (rerun, name)
            if name not in ("fct_lead_scores", "fct_lead_score_history"):
                assert later[name][1] == full, (rerun, name)
    first, second = runs["pub1"]["tables"], runs["pub2"]["tables"]
    for name in first:
        if name in OUTBOX_TABLES:
            assert second[name][0] == 0, name
        elif name in OUTBOX_REPORTS:
            assert second[name][0] == first[name][0] == 1, name
        else:
            assert first[name][::2] == second[name][::2], name
    assert first["fct_lead_score_triggers"][0] > 0


def test_bi_tool_reads_consistent_marts_while_a_build_runs(runs: dict[str, Any]) -> None:
    bi = runs["bi"]
    assert len(bi["samples"]) >= 10, "the run ended before the BI tool could query"
    for publication_id, band_leads, score_rows, published_rows in [
        bi["first"], *bi["samples"], bi["held_after"], bi["after"]
    ]:
        assert band_leads == score_rows == published_rows
        assert publication_id in (3, 4)
    assert bi["first"][0] == 3 and bi["samples"][0][0] == 3
    # the held connection keeps what it opened; a new one sees the new publication
    assert bi["held_after"][0] == 3 and bi["after"][0] == 4


def test_a_failed_audit_keeps_the_last_publication(runs: dict[str, Any]) -> None:
    run7 = runs["run7"]
    assert run7["code"] == 1, run7
    assert "ERROR band shares near the last publication: scorecard default, band " in run7["out"]
    assert "audit band shares near the last publication" in run7["err"]
    assert (f"Nothing was published: {runs['serving']} still holds publication 4"
            in run7["err"])
    assert "4/5 publication" not in run7["out"]
    assert runs["after7"]["digest"] == runs["pub4"]["digest"]
    assert runs["warehouse7"] == runs["warehouse6"]
    failed = runs["project"].database.with_name("test.duckdb.run") / "failed" / "test.duckdb"
    assert f"The failed build is kept to look at: {failed}" in run7["err"]
    assert failed.exists()


def test_a_second_run_stops_while_the_warehouse_is_held(runs: dict[str, Any]) -> None:
    project = runs["project"]
    lock = project.database.with_name("test.duckdb.lock")
    with run_lock(lock, 0, "a long run"):
        started = time.monotonic()
        second = finish(pipeline(project, "--lock-timeout", "2"))
    assert second["code"] == 3, second
    assert time.monotonic() - started >= 2
    assert "waiting for another run to finish (pid " in second["out"]
    assert "another run holds this warehouse" in second["err"]
    assert "gave up after 2 s (--lock-timeout)" in second["err"]
    assert published(runs["serving"])["digest"] == runs["after7"]["digest"]
