"""Run scripts/bench/single_query.sql: the shipped scorecards as one DuckDB query.

The query reads ``raw.leads``, ``raw.lead_attributes`` and ``raw.events`` of the
connection's database (clean text data, see the SQL file's header) and returns
one row per current lead and scorecard: lead_id, scorecard_id, fit_score,
engagement_score, total_score, band, grade.

Usage::

    python scripts/bench/single_query.py --database warehouse/bench.duckdb \\
        --as-of 2025-06-30 [--out scores.parquet]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
SQL_PATH = Path(__file__).with_suffix(".sql")
DEFAULT_COUNTRY_MARKETS = REPO / "seeds" / "reference" / "country_markets.csv"
SCORECARD_DIR = REPO / "seeds" / "scorecards"
SCORECARDS = ("default", "worked_example")  # the scorecards written out in the SQL
# scorecard_fingerprint() of the seeds that single_query.sql was written for.
WRITTEN_FOR = "06d923b6997a4f1763f1149b5474e468188629237800bbe1f69bbec194e7ee82"


def scorecard_fingerprint(directory: Path = SCORECARD_DIR) -> str:
    """SHA-256 of the scoring content of SCORECARDS in the four scorecard seeds
    (every column but descriptions, in file order), to notice a seed edit that the
    hand-written query has not followed."""
    content = {}
    for name in ("rules", "groups", "bands", "grades"):
        with (directory / f"scorecard_{name}.csv").open(newline="", encoding="utf-8") as f:
            content[name] = [
                {key: (value or "").strip() for key, value in row.items()
                 if key != "description"}
                for row in csv.DictReader(f)
                if (row.get("scorecard_id") or "").strip() in SCORECARDS
            ]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def run_single_query(con: duckdb.DuckDBPyConnection, as_of: date | str,
                     country_markets: Path = DEFAULT_COUNTRY_MARKETS) -> pd.DataFrame:
    """Scores of every current lead by the shipped scorecards at `as_of`."""
    day = as_of if isinstance(as_of, date) else date.fromisoformat(as_of)
    return con.execute(SQL_PATH.read_text(encoding="utf-8"), {
        "as_of": day, "country_markets": str(country_markets),
    }).df()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, required=True,
                        help="DuckDB file with the raw schema")
    parser.add_argument("--as-of", type=date.fromisoformat, required=True,
                        help="as-of date, YYYY-MM-DD")
    parser.add_argument("--out", type=Path, default=None, help="scores Parquet file")
    parser.add_argument("--country-markets", type=Path, default=DEFAULT_COUNTRY_MARKETS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with duckdb.connect(str(args.database), read_only=True) as con:
        scores = run_single_query(con, args.as_of, args.country_markets)
    elapsed = time.perf_counter() - started
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        scores.to_parquet(args.out, index=False)
    print(f"single_query: {len(scores)} scores in {elapsed:.2f}s"
          + (f" -> {args.out}" if args.out else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
