"""A scorecard that breaks the contract stops the build with a clear error.

Each case breaks the shipped scorecard in one way and checks that dbt stops
with one message naming the file, the scorecard, the rule (or band, group)
and what is wrong (SCORING_SPEC section 3, last paragraph). dbt runs
in-process here: seeds and one model compile per case, a few seconds each.
"""

from __future__ import annotations

import copy
import csv
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dbt.cli.main import dbtRunner

from tests.e2e.harness import SEED_FILES, Project

Seeds = dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = Project.copy(tmp_path_factory.mktemp("validation") / "project")
    saved = {key: os.environ.get(key) for key in ("LEAD_SCORING_DUCKDB_PATH",)}
    os.environ["LEAD_SCORING_DUCKDB_PATH"] = str(project.database)
    yield project
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def shipped(project: Project) -> Seeds:
    return {name: project.read_seed(name) for name in SEED_FILES}


# the project copies whose every seed is loaded: later cases reload only
# the scorecard seeds (SEED_FILES), the only ones a case writes
SEEDED: set[str] = set()


# dbt's manifest of each project copy, parsed once: a case changes only the
# seeds' rows, which `dbt seed` reads from the files whatever the manifest,
# so the cases skip dbt's parse (about half of each case's time)
MANIFESTS: dict[str, Any] = {}


def compile_scorecard(project: Project) -> tuple[bool, str]:
    """Seed the scorecard and compile a model that reads it; (ok, error messages)."""
    common = ["--project-dir", str(project.path), "--profiles-dir", str(project.path),
              "--log-level", "none", "--log-level-file", "none"]
    if str(project.path) not in MANIFESTS:
        parsed = dbtRunner().invoke(["parse", *common])
        assert parsed.success, f"dbt parse failed: {parsed.exception}"
        MANIFESTS[str(project.path)] = parsed.result
    runner = dbtRunner(manifest=MANIFESTS[str(project.path)])
    only = ["--select", *SEED_FILES] if str(project.path) in SEEDED else []
    seeded = runner.invoke(["seed", *only, *common])
    assert seeded.success, f"seeding failed: {seeded.exception or seeded.result}"
    SEEDED.add(str(project.path))
    result = runner.invoke(["compile", "--select", "int_lead_rule_contributions", *common])
    messages = [
        str(node.message) for node in (result.result.results if result.result else [])
        if str(node.status) == "error"
    ]
    if result.exception is not None:
        messages.append(str(result.exception))
    return result.success, "\n".join(messages)


def change(seeds: Seeds, file: str, rule_id: str | None, **values: Any) -> None:
    for row in seeds[file]:
        if rule_id is None or row.get("rule_id") == rule_id or row.get("band") == rule_id:
            row.update(values)


def break_operator(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "title_exec", operator="inn")


def break_points(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "webinar", points="twenty")


def duplicate_rule(seeds: Seeds) -> None:
    row = next(r for r in seeds["scorecard_rules"] if r["rule_id"] == "pricing_page")
    seeds["scorecard_rules"].append(dict(row, points="1"))


def drop_frequency(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "case_study", frequency=None)


def one_bound(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "company_size_50_500", value="50")


def range_without_bounds(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "company_size_50_500", operator="range", value=" | ")


def range_bound_not_a_number(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "company_size_50_500", operator="range", value="50|lots")


def range_reversed(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "company_size_50_500", operator="range", value="500|500")


def overlapping_bands(seeds: Seeds) -> None:
    seeds["scorecard_bands"].append(
        {"scorecard_id": "default", "band": "sales_ready", "min_score": "50.0"}
    )


def missing_bands(seeds: Seeds) -> None:
    seeds["scorecard_bands"] = [
        row for row in seeds["scorecard_bands"] if row["scorecard_id"] != "worked_example"
    ]


def no_lowest_band(seeds: Seeds) -> None:
    change(seeds, "scorecard_bands", "cold", min_score="0")


def unknown_dimension(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "industry_technology", dimension="fitness")


def unknown_activity_field(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "pricing_page", field="url")


def counts_reversed(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "support_ticket_non_sales", min_count="5", max_count="2")


def bad_half_life(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "case_study", half_life_days="0")


def mixed_group(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "launch_email", score_group="title")


def stray_band(seeds: Seeds) -> None:
    seeds["scorecard_bands"].append({"scorecard_id": "defualt", "band": "hot", "min_score": "80"})


def bad_group_cap(seeds: Seeds) -> None:
    change(seeds, "scorecard_groups", None, max_points="lots")


def lead_rule_without_field(seeds: Seeds) -> None:
    change(seeds, "scorecard_rules", "title_manager", field=None, operator=None)


def market_bands_renamed(seeds: Seeds) -> None:
    seeds["scorecard_bands"] += [
        {"scorecard_id": "default", "band": "cold", "market": "emea"},
        {"scorecard_id": "default", "band": "mql", "min_score": "40", "market": "emea"},
        {"scorecard_id": "default", "band": "hot", "min_score": "70", "market": "emea"},
    ]


def market_bands_without_lowest(seeds: Seeds) -> None:
    seeds["scorecard_bands"] += [
        {"scorecard_id": "default", "band": band, "min_score": score, "market": "apac"}
        for band, score in (("cold", "0"), ("warm", "20"), ("mql", "45"), ("hot", "70"))
    ]


CASES: list[tuple[str, Callable[[Seeds], None], list[str]]] = [
    ("unknown operator", break_operator,
     ["scorecard_rules.csv", "scorecard default", "rule title_exec", "unknown operator `inn`"]),
    ("non-numeric points", break_points,
     ["scorecard_rules.csv", "rule webinar", "points `twenty` is not a number"]),
    ("duplicate rule_id", duplicate_rule,
     ["scorecard default", "rule pricing_page", "duplicate rule_id"]),
    ("activity rule without frequency", drop_frequency,
     ["rule case_study", "needs a frequency"]),
    ("between with one bound", one_bound,
     ["rule company_size_50_500", "`between` needs two bounds"]),
    ("range with neither bound", range_without_bounds,
     ["rule company_size_50_500", "`range` needs bounds written low|high"]),
    ("range bound not a number", range_bound_not_a_number,
     ["rule company_size_50_500", "`range` has a high bound `lots` that is not a number"]),
    ("range matching nothing", range_reversed,
     ["rule company_size_50_500", "`range` has its low bound not below its high bound"]),
    ("overlapping bands", overlapping_bands,
     ["scorecard_bands.csv", "scorecard default", "band sales_ready", "overlapping"]),
    ("missing bands", missing_bands,
     ["scorecard_bands.csv", "scorecard worked_example", "no bands"]),
    ("no lowest band", no_lowest_band,
     ["scorecard_bands.csv", "scorecard default", "empty min_score", "missing lowest band"]),
    ("unknown dimension", unknown_dimension,
     ["rule industry_technology", "unknown dimension `fitness`"]),
    ("unknown activity field", unknown_activity_field,
     ["rule pricing_page", "activity field `url` is not an activity property"]),
    ("min_count above max_count", counts_reversed,
     ["rule support_ticket_non_sales", "min_count 5 is above max_count 2"]),
    ("half-life of 0", bad_half_life,
     ["rule case_study", "half_life_days `0` must be above 0"]),
    ("group mixing dimensions", mixed_group,
     ["rule launch_email", "group `title` mixes fit and engagement"]),
    ("band of an unknown scorecard", stray_band,
     ["scorecard_bands.csv", "scorecard defualt", "has no (valid) rules"]),
    ("non-numeric group cap", bad_group_cap,
     ["scorecard_groups.csv", "scorecard default", "group title", "max_points `lots`"]),
    ("lead rule without field", lead_rule_without_field,
     ["rule title_manager", "a lead rule needs a field"]),
    ("market bands with other names", market_bands_renamed,
     ["scorecard_bands.csv", "scorecard default, market emea",
      "must have the default bands in the same order (cold < warm < mql < hot)",
      "found cold < mql < hot"]),
    ("market bands without a lowest band", market_bands_without_lowest,
     ["scorecard_bands.csv", "scorecard default, market apac", "missing lowest band"]),
]


def write(project: Project, seeds: Seeds) -> None:
    for name, rows in seeds.items():
        project.write_seed(name, rows)


@pytest.mark.parametrize(("case", "breaker", "expected"), CASES, ids=[c[0] for c in CASES])
def test_broken_scorecard_stops_the_build(
    project: Project, shipped: Seeds, case: str, breaker: Callable[[Seeds], None],
    expected: list[str],
) -> None:
    seeds = copy.deepcopy(shipped)
    breaker(seeds)
    write(project, seeds)
    ok, message = compile_scorecard(project)
    assert not ok, f"{case}: the build went on"
    assert "breaks the scoring contract" in message
    for part in expected:
        assert part in message, f"{case}: {part!r} not in:\n{message}"


def test_every_problem_is_reported_at_once(project: Project, shipped: Seeds) -> None:
    seeds = copy.deepcopy(shipped)
    break_operator(seeds)
    break_points(seeds)
    no_lowest_band(seeds)
    write(project, seeds)
    ok, message = compile_scorecard(project)
    assert not ok
    assert "(3 problems)" in message
    assert "rule title_exec" in message and "rule webinar" in message
    assert "scorecard_bands.csv" in message


def rewrite_rules_without(
    project: Project, columns: set[str], keep: Callable[[dict[str, str]], bool]
) -> None:
    """Rewrite scorecard_rules.csv without these columns, keeping some rows."""
    path = project.seed_path("scorecard_rules")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if keep(row)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c for c in rows[0] if c not in columns],
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def test_missing_required_column(project: Project, shipped: Seeds) -> None:
    write(project, copy.deepcopy(shipped))
    rewrite_rules_without(project, {"points"}, keep=lambda row: True)
    ok, message = compile_scorecard(project)
    assert not ok
    assert "scorecard_rules.csv: required column `points` is missing" in message


def test_shipped_scorecard_and_optional_columns_compile(project: Project, shipped: Seeds) -> None:
    """The shipped scorecard compiles; so does one without the optional columns."""
    write(project, copy.deepcopy(shipped))
    ok, message = compile_scorecard(project)
    assert ok, message
    optional = {"max_points", "window_days", "half_life_days", "market", "min_count",
                "max_count"}
    rewrite_rules_without(project, optional,
                          keep=lambda row: not row["max_points"] and not row["market"])
    ok, message = compile_scorecard(project)
    assert ok, message


def test_market_specific_bands_compile(project: Project, shipped: Seeds) -> None:
    seeds = copy.deepcopy(shipped)
    seeds["scorecard_bands"] += [
        {"scorecard_id": "default", "band": band, "min_score": score, "market": "EMEA "}
        for band, score in (("cold", None), ("warm", "20"), ("mql", "40"), ("hot", "70"))
    ]
    write(project, seeds)
    ok, message = compile_scorecard(project)
    assert ok, message


def test_bands_file_without_min_score_column(project: Project, shipped: Seeds) -> None:
    write(project, copy.deepcopy(shipped))
    project.seed_path("scorecard_bands").write_text(
        "scorecard_id,band\ndefault,cold\nworked_example,low\n", encoding="utf-8"
    )
    ok, message = compile_scorecard(project)
    assert not ok
    assert "scorecard_bands.csv: required column `min_score` is missing" in message


SCORECARD_MODELS = ("int_scorecard_score_bounds", "int_lead_rule_contributions",
                    "int_lead_decision_scores", "fct_lead_band_changes")


def test_the_scorecard_is_read_once_per_invocation(
    project: Project, shipped: Seeds, tmp_path: Path
) -> None:
    """Four models that read the scorecard, compiled on one thread in one
    invocation, read each seed table once (get_scorecard's cache); the next
    invocation on the same parsed manifest reads them once again."""
    write(project, copy.deepcopy(shipped))
    ok, message = compile_scorecard(project)  # seeds the shipped scorecard
    assert ok, message
    runner = dbtRunner(manifest=MANIFESTS[str(project.path)])
    common = ["--project-dir", str(project.path), "--profiles-dir", str(project.path),
              "--log-level", "none", "--log-level-file", "debug", "--threads", "1"]
    reads = []
    for invocation in ("first", "second"):
        log = tmp_path / invocation
        result = runner.invoke(["compile", "--select", *SCORECARD_MODELS,
                                "--log-path", str(log), *common])
        assert result.success, result.exception
        text = (log / "dbt.log").read_text(encoding="utf-8")
        # the seed reads of read_scorecard_seeds: every value behind a '~'
        reads.append({name: len(re.findall(rf"select '~' \|\|.* from [^\n]*\b{name}\b", text))
                      for name in SEED_FILES})
    assert reads == [{name: 1 for name in SEED_FILES}] * 2, reads
