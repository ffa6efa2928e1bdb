"""Spark: a relation of literal rows as a `union all` of one-row selects
against the same rows as `values` (macro literal_relation), the way the
scorecard's rule list is read by scorecard_rule_entries.

For each rule count, N literal rule rows are cross-joined with a table of
leads and each pair is scored by a CASE on the rule's number; the query
counts and sums what applies. Both forms give the same answer (checked);
the script prints the warm time of each (best of ``--repeat`` runs after
one warm-up). Needs Java 17 (a local pyspark session, one core).

Usage::

    python scripts/bench/spark_literals.py [--leads 1000] [--rules 100 400]

Figures: docs/benchmarks.md ("Literal rows on Spark").
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

COLUMNS = ["rule_index", "scorecard_id", "rule_id", "dimension", "score_group",
           "rule_source", "description", "rule_points", "max_points"]


def rule_rows(count: int) -> list[list[str]]:
    return [[str(i), "'card'", f"'rule_{i}'", "'fit'", "'group'", "'lead'", f"'rule {i}'",
             f"cast({i}.0 as double)", "cast(null as double)"] for i in range(1, count + 1)]


def as_union(rows: list[list[str]]) -> str:
    return "\n union all\n ".join(
        "select " + ", ".join(f"{value} as {column}" for value, column in zip(row, COLUMNS,
                                                                              strict=True))
        for row in rows)


def as_values(rows: list[list[str]]) -> str:
    # the SQL literal_relation writes
    return ("select * from (values " + ", ".join("(" + ", ".join(row) + ")" for row in rows)
            + ") as literal_rows (" + ", ".join(COLUMNS) + ")")


def scoring_query(rule_list: str, count: int) -> str:
    branches = " ".join(f"when {i} then cast(leads.bucket = '{i % 7}' as int)"
                        for i in range(1, count + 1))
    return (f"select count(*) as applied, sum(points) as points from ("
            f"select leads.lead_id, rule_list.*, case rule_list.rule_index {branches} end "
            f"as points from leads cross join ({rule_list}) as rule_list"
            f") as scored where points <> 0")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=1000)
    parser.add_argument("--rules", type=int, nargs="+", default=[100, 400])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.range(args.leads).selectExpr(
        "id as lead_id", "cast(id % 7 as string) as bucket").createOrReplaceTempView("leads")
    print(f"{args.leads:,} leads, local[1], warm (best of {args.repeat} after a warm-up)")
    for count in args.rules:
        rows = rule_rows(count)
        answers, seconds = {}, {}
        for name, rule_list in (("union all", as_union(rows)), ("values", as_values(rows))):
            query = scoring_query(rule_list, count)
            answers[name] = spark.sql(query).collect()  # warm-up
            times = []
            for _ in range(args.repeat):
                started = time.monotonic()
                spark.sql(query).collect()
                times.append(time.monotonic() - started)
            seconds[name] = min(times)
        assert answers["union all"] == answers["values"], answers
        print(f"{count:>5} rules: union all {seconds['union all']:6.2f} s, "
              f"values {seconds['values']:6.2f} s "
              f"({seconds['union all'] / seconds['values']:.1f}x)")
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
