"""The benchmark's peers against the independent reference implementation.

On small clean generated data, at two as-of dates, the pandas peer
(scripts/bench/pandas_scorer.py, with the shipped, the tricky and random
scorecards) and the single hand-written query (scripts/bench/single_query.sql,
shipped scorecards only) must give every current lead the reference's fit,
engagement and total score (within 0.01), band and grade.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from scripts.bench import pandas_scorer, single_query
from scripts.bench.pandas_scorer import Scorecards
from scripts.bench.single_query import run_single_query
from scripts.generate_demo_data import generate
from tests.e2e.harness import read_raw_rows
from tests.e2e.scorecards import random_scorecard, tricky_scorecard
from tests.reference.scoring import Result, read_csv_rows, score

REPO = Path(__file__).resolve().parents[2]
SEEDS = {name: REPO / "seeds" / "scorecards" / f"scorecard_{name}.csv"
         for name in ("rules", "groups", "bands", "grades")}
COUNTRY_MARKETS = REPO / "seeds" / "reference" / "country_markets.csv"
AS_OF_DATES = ["2025-06-30", "2025-02-14"]
RANDOM_SEEDS = [101, 202, 303, 404]
SHIPPED = ("default", "worked_example")

Rows = dict[str, list[dict[str, Any]]]


def shipped_seeds() -> Rows:
    return {name: read_csv_rows(path) for name, path in SEEDS.items()}


def with_extra_scorecards(seeds: Rows) -> Rows:
    """The shipped scorecards plus the tricky one and four random ones."""
    seeds = {name: list(rows) for name, rows in seeds.items()}
    extra = [tricky_scorecard()] + [random_scorecard(s, f"random_{s}") for s in RANDOM_SEEDS]
    for rules, groups, bands, grades in extra:
        seeds["rules"] += rules
        seeds["groups"] += groups
        seeds["bands"] += bands
        seeds["grades"] += grades
    return seeds


def as_frames(seeds: Rows) -> Scorecards:
    return Scorecards(*(pd.DataFrame(seeds[name])
                        for name in ("rules", "groups", "bands", "grades")))


def reference(data: Path, seeds: Rows, as_of: str) -> Result:
    raw = read_raw_rows(data)
    return score(leads=raw["leads"], lead_attributes=raw["lead_attributes"],
                 events=raw["events"], rules=seeds["rules"], groups=seeds["groups"],
                 bands=seeds["bands"], grades=seeds["grades"],
                 country_markets=read_csv_rows(COUNTRY_MARKETS),
                 as_of=date.fromisoformat(as_of))


def mismatches(got: pd.DataFrame, expected: Result) -> list[str]:
    """Every difference between a peer's scores and the reference's."""
    rows = {(r["lead_id"], r["scorecard_id"]): r for r in got.to_dict("records")}
    problems = [f"{key}: missing" for key in expected.scores.keys() - rows.keys()]
    problems += [f"{key}: not a current lead" for key in rows.keys() - expected.scores.keys()]
    for key in expected.scores.keys() & rows.keys():
        want, row = expected.scores[key], rows[key]
        for column in ("fit_score", "engagement_score", "total_score"):
            if abs(float(row[column]) - getattr(want, column)) > 0.0100001:
                problems.append(f"{key}: {column} {row[column]} != {getattr(want, column)}")
        for column in ("band", "grade"):
            value = row[column] if isinstance(row[column], str) else None
            if value != getattr(want, column):
                problems.append(f"{key}: {column} {value!r} != {getattr(want, column)!r}")
    return problems


def report(problems: list[str]) -> str:
    return f"{len(problems)} mismatches, first ones:\n  " + "\n  ".join(problems[:25])


def assert_not_vacuous(expected: Result, scorecards: tuple[str, ...]) -> None:
    """Many leads, rules of both kinds firing, caps trimming, several bands."""
    for card in scorecards:
        keys = [key for key in expected.scores if key[1] == card]
        assert len(keys) > 250, f"{card}: too few current leads compared"
        fired = {rule for (_, c, rule) in expected.contributions if c == card}
        counted = {rule for (_, c, rule) in expected.activity_counts if c == card}
        assert len(fired) >= 5 and len(counted) >= 3, (card, fired, counted)
        bands = {expected.scores[key].band for key in keys}
        assert len(bands) >= 2, (card, bands)
    assert any(card in scorecards for (_, card, _) in expected.group_adjustments), \
        "no group cap was exercised"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    generate(out, n_leads=400, events_per_lead=25, seed=11, end_date=date(2025, 6, 30),
             clean=True)
    return out


@pytest.fixture(scope="module")
def raw_con(data: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the clean files as text tables in schema raw."""
    con = duckdb.connect()
    con.execute("create schema raw")
    for table in ("leads", "lead_attributes", "events"):
        con.execute(f"create table raw.{table} as select * from read_parquet(?)",
                    [str(data / f"{table}.parquet")])
    return con


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_single_query_matches_the_reference(raw_con: duckdb.DuckDBPyConnection, data: Path,
                                            as_of: str) -> None:
    expected = reference(data, shipped_seeds(), as_of)
    got = run_single_query(raw_con, as_of)
    assert list(got.columns) == pandas_scorer.OUTPUT_COLUMNS
    assert_not_vacuous(expected, SHIPPED)
    problems = mismatches(got, expected)
    assert not problems, report(problems)


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_pandas_peer_matches_the_reference(data: Path, as_of: str) -> None:
    seeds = with_extra_scorecards(shipped_seeds())
    expected = reference(data, seeds, as_of)
    raw = pandas_scorer.read_raw(data)
    got = pandas_scorer.score(raw["leads"], raw["lead_attributes"], raw["events"],
                              as_frames(seeds), pandas_scorer.read_seed(COUNTRY_MARKETS),
                              date.fromisoformat(as_of))
    assert list(got.columns) == pandas_scorer.OUTPUT_COLUMNS
    cards = tuple(dict.fromkeys(row["scorecard_id"] for row in seeds["rules"]))
    assert len(cards) == 7
    assert_not_vacuous(expected, SHIPPED + ("tricky",))
    problems = mismatches(got, expected)
    assert not problems, report(problems)


def test_pandas_peer_also_matches_on_messy_data(tmp_path: Path) -> None:
    """Not needed by the benchmark, but the peer keeps the spec on the demo mess too."""
    generate(tmp_path, n_leads=300, events_per_lead=20, seed=5, end_date=date(2025, 6, 30))
    seeds = with_extra_scorecards(shipped_seeds())
    expected = reference(tmp_path, seeds, AS_OF_DATES[0])
    got = pandas_scorer.score_raw_dir(tmp_path, date.fromisoformat(AS_OF_DATES[0]),
                                      as_frames(seeds), COUNTRY_MARKETS)
    assert len(expected.quarantine) > 50
    problems = mismatches(got, expected)
    assert not problems, report(problems)


def test_the_comparison_catches_a_changed_rule(data: Path) -> None:
    """A peer that scores one rule differently must be caught."""
    seeds = shipped_seeds()
    expected = reference(data, seeds, AS_OF_DATES[0])
    rules = [dict(row) for row in seeds["rules"]]
    for row in rules:
        if (row["scorecard_id"], row["rule_id"]) == ("default", "industry_technology"):
            row["points"] = "14"
    changed = replace(as_frames(seeds), rules=pd.DataFrame(rules))
    got = pandas_scorer.score_raw_dir(data, date.fromisoformat(AS_OF_DATES[0]), changed,
                                      COUNTRY_MARKETS)
    assert len(mismatches(got, expected)) > 20


def test_clis_write_the_same_scores(data: Path, raw_con: duckdb.DuckDBPyConnection,
                                    tmp_path: Path) -> None:
    as_of = AS_OF_DATES[0]
    database = tmp_path / "bench.duckdb"  # a file named raw.duckdb would shadow schema raw
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw")
        for table in ("leads", "lead_attributes", "events"):
            con.execute(f"create table raw.{table} as select * from read_parquet(?)",
                        [str(data / f"{table}.parquet")])
    assert pandas_scorer.main(["--raw", str(data), "--as-of", as_of,
                               "--out", str(tmp_path / "pandas.parquet")]) == 0
    assert single_query.main(["--database", str(database), "--as-of", as_of,
                              "--out", str(tmp_path / "single.parquet")]) == 0
    key = ["scorecard_id", "lead_id"]
    by_pandas = pd.read_parquet(tmp_path / "pandas.parquet").sort_values(key)
    by_query = pd.read_parquet(tmp_path / "single.parquet").sort_values(key)
    assert len(by_pandas) == len(by_query) == len(run_single_query(raw_con, as_of)) > 500
    pd.testing.assert_frame_equal(by_pandas.reset_index(drop=True),
                                  by_query.reset_index(drop=True), check_dtype=False,
                                  atol=0.0100001, rtol=0)


def test_single_query_is_in_step_with_the_shipped_scorecards() -> None:
    """single_query.sql was written by hand for these scorecard seeds: after an
    edit of their scoring columns, update the query, then the fingerprint."""
    assert single_query.scorecard_fingerprint() == single_query.WRITTEN_FOR, (
        "seeds/scorecards changed: update scripts/bench/single_query.sql by hand, then "
        "WRITTEN_FOR in scripts/bench/single_query.py")


def test_single_query_rejects_a_bad_date(raw_con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError):
        run_single_query(raw_con, "2025-06-31")


def test_fingerprint_ignores_descriptions(tmp_path: Path) -> None:
    for name, path in SEEDS.items():
        text = path.read_text(encoding="utf-8")
        if name == "rules":
            text = text.replace("Is a manager", "Is a manager (any kind)")
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    assert single_query.scorecard_fingerprint(tmp_path) == single_query.WRITTEN_FOR
    rules = (tmp_path / "scorecard_rules.csv").read_text(encoding="utf-8")
    (tmp_path / "scorecard_rules.csv").write_text(
        rules.replace("equals,manager,10", "equals,manager,11"), encoding="utf-8")
    assert single_query.scorecard_fingerprint(tmp_path) != single_query.WRITTEN_FOR
