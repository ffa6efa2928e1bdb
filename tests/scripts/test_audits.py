"""The band shift audit's SQL (macros/audits/band_shift_violations.sql), run by dbt
on DuckDB against hand-made band shares: the one audit the orchestrator feeds
(the last publication's shares, as a var)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from scripts.lead_scoring import ROOT

BEFORE = [{"scorecard_id": "default", "band": "hot", "lead_share": 0.10},
          {"scorecard_id": "default", "band": "cold", "lead_share": 0.90},
          {"scorecard_id": "old", "band": "cold", "lead_share": 1.0}]


def bands_relation(rows: list[tuple[str, str, float]]) -> str:
    selects = [f"select '{card}' as scorecard_id, '{band}' as band, {share} as lead_share"
               for card, band, share in rows]
    return "(" + " union all ".join(selects) + ")"


def violations(tmp_path: Path, current: list[tuple[str, str, float]],
               tolerance: float) -> list[dict[str, Any]]:
    from dbt.cli.main import dbtRunner

    sql = ("{{ lead_scoring.band_shift_violations(" + json.dumps(bands_relation(current))
           + ", var('previous_band_shares'), " + str(tolerance) + ", 7) }}")
    os.environ["LEAD_SCORING_DUCKDB_PATH"] = str(tmp_path / "audit.duckdb")
    result = dbtRunner().invoke([
        "show", "--inline", sql, "--limit", "100", "--project-dir", str(ROOT),
        "--profiles-dir", str(ROOT), "--target", "duckdb", "--log-level", "none",
        "--target-path", str(tmp_path / "target"),
        "--vars", json.dumps({"previous_band_shares": BEFORE})])
    assert result.success, result.exception
    table = result.result.results[0].agate_table
    return [dict(zip(table.column_names, row, strict=True)) for row in table.rows]


@pytest.fixture
def isolated_env() -> Any:
    saved = os.environ.get("LEAD_SCORING_DUCKDB_PATH")
    yield
    if saved is None:
        os.environ.pop("LEAD_SCORING_DUCKDB_PATH", None)
    else:
        os.environ["LEAD_SCORING_DUCKDB_PATH"] = saved


def test_band_shift_violations(tmp_path: Path, isolated_env: None) -> None:
    # within 10 points; a scorecard gone (old) and one new (new) are not compared
    within = [("default", "hot", 0.2), ("default", "cold", 0.8), ("new", "hot", 1.0)]
    assert violations(tmp_path, within, 0.10) == []
    # hot 10 % -> 50 %, cold 90 % -> 30 %, and a band new to the scorecard
    moved = [("default", "hot", 0.5), ("default", "warm", 0.2), ("default", "cold", 0.3)]
    found = sorted(violations(tmp_path, moved, 0.15), key=lambda row: row["band"])
    tail = "(tolerance 15.0 points; intended? rerun with a larger --max-band-shift)"
    head = "scorecard default, band"
    assert [(row["band"], row["detail"]) for row in found] == [
        ("cold", f"{head} cold: 90.0% of leads in publication 7, 30.0% now {tail}"),
        ("hot", f"{head} hot: 10.0% of leads in publication 7, 50.0% now {tail}"),
        ("warm", f"{head} warm: 0.0% of leads in publication 7, 20.0% now {tail}"),
    ]
