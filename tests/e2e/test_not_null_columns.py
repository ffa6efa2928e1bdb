"""The generic test lead_scoring.not_null_columns (one test for the columns of
a model that must not be null, macros/generic_tests/not_null_columns.sql),
on the seed fx_rates_monthly as the project declares it: it passes on the
shipped rates, and with nulls planted it fails with one row per column that
holds them, naming the column and counting its null rows."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.harness import Project, read_csv_rows, write_csv

TEST = "lead_scoring_not_null_columns_fx_rates_monthly_rate_month__currency__units_per_usd"
BUILD = ("build", "--select", "fx_rates_monthly", "--exclude-resource-type", "unit_test",
         "--store-failures")


def result_of(project: Project, name: str) -> dict[str, object]:
    results = json.loads((project.path / "target" / "run_results.json").read_text())
    matches = [r for r in results["results"] if r["unique_id"].split(".")[2] == name]
    assert len(matches) == 1, [r["unique_id"] for r in results["results"]]
    return matches[0]


def test_not_null_columns_passes_on_clean_data_and_names_the_null_columns(
    tmp_path: Path,
) -> None:
    project = Project.copy(tmp_path / "project")
    project.dbt(*BUILD)
    clean = result_of(project, TEST)
    assert clean["status"] == "pass" and clean["failures"] == 0

    seed = project.seed_path("fx_rates_monthly")
    rows = read_csv_rows(seed)
    columns = list(rows[0])
    # two rates and one month missing, each on a different (month, currency):
    # the composite key stays unique, only the not-null test has to fail
    rows[0]["units_per_usd"] = None
    rows[1]["units_per_usd"] = None
    rows[2]["rate_month"] = None
    write_csv(seed, columns, rows)

    result = project.dbt(*BUILD, check=False)
    assert result.returncode == 1, result.stdout[-3000:]
    # two failing rows: one per column with nulls (currency has none)
    assert f"Failure in test {TEST}" in result.stdout
    assert "Got 2 results, configured to fail if != 0" in result.stdout
    failed = result_of(project, TEST)
    assert failed["status"] == "fail" and failed["failures"] == 2
    stored = project.query(f"select column_name, null_rows from {failed['relation_name']} "
                           "order by column_name")
    assert stored == [{"column_name": "rate_month", "null_rows": 1},
                      {"column_name": "units_per_usd", "null_rows": 2}]
    # the seed's other test still passes: only the not-null test saw the nulls
    key = result_of(project, "lead_scoring_unique_combination_of_columns_fx_rates_monthly"
                             "_rate_month__currency")
    assert key["status"] == "pass"
