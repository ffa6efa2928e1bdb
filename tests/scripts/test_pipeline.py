"""The orchestrator end to end, as a user runs it (a subprocess on a project copy)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import BIN, Project


def run_pipeline(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(project.path / "scripts" / "pipeline.py"), "run", *args],
        cwd=project.path, env=project.env, capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project.copy(tmp_path_factory.mktemp("pipeline") / "project")


def test_first_run_loads_demo_data_builds_and_summarises(demo_project: Project) -> None:
    result = run_pipeline(demo_project, "--demo-leads", "300", "--as-of", "2025-06-30")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "demo data loaded into test.duckdb schema raw: leads" in out
    assert "ok    every current lead scored by every scorecard" in out
    assert "ok    ledger sums equal published scores" in out
    assert "Leads per band" in out and "  default (" in out and "  worked_example (" in out
    assert "Top 5 leads, scorecard default (top three reasons)" in out
    assert "Quarantined raw rows" in out and "duplicate event_id" in out
    scored = demo_project.query(
        "select count(*) as n, count(distinct lead_id) as leads from marts.fct_lead_scores"
    )[0]
    assert scored["n"] == 2 * scored["leads"] and scored["leads"] > 250


def test_second_run_reuses_raw_and_dbt_build_alone_works(demo_project: Project) -> None:
    result = run_pipeline(demo_project, "--as-of", "2025-06-30", "--top", "2",
                          "--quarantine-warn-share", "0.001")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "raw data found in test.duckdb schema raw" in result.stdout
    assert "Top 2 leads, scorecard default" in result.stdout
    # a warning, not a failure, names the source over the quarantine threshold
    assert "WARN  quarantined share of raw events" in result.stdout
    # an analytics engineer's plain `dbt build` finds the repository profile
    env = dict(demo_project.env)
    env.pop("DBT_PROFILES_DIR")
    build = subprocess.run([str(BIN / "dbt"), "build", "--quiet"], cwd=demo_project.path,
                           env=env, capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stdout + build.stderr


def test_bad_as_of_cannot_run(tmp_path: Path) -> None:
    project = Project.copy(tmp_path / "project")
    result = run_pipeline(project, "--as-of", "31/12/2025")
    assert result.returncode == 2
    assert "--as-of must be a date written YYYY-MM-DD" in result.stderr


def test_broken_scorecard_cannot_run(demo_project: Project, tmp_path: Path) -> None:
    project = Project.copy(tmp_path / "project")
    project.database.write_bytes(demo_project.database.read_bytes())
    rules = project.read_seed("scorecard_rules")
    rules[0]["operator"] = "equal"
    project.write_seed("scorecard_rules", rules)
    result = run_pipeline(project, "--as-of", "2025-06-30")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "scorecard_rules.csv: scorecard default, rule title_exec: unknown operator" \
        in result.stderr


def test_failing_test_exits_1(demo_project: Project, tmp_path: Path) -> None:
    project = Project.copy(tmp_path / "project")
    project.database.write_bytes(demo_project.database.read_bytes())
    markets = project.seed_path("country_markets")
    markets.write_text(markets.read_text(encoding="utf-8") + "US,Estados Unidos,na\n",
                       encoding="utf-8")
    result = run_pipeline(project, "--as-of", "2025-06-30")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "unique_country_markets_country_code" in result.stderr
