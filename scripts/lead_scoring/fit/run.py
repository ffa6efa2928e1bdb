"""The fit command's steps: build the feature table with dbt, read it, fit,
write the CSV files, print the figures."""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scripts.lead_scoring import dbt_client
from scripts.lead_scoring.errors import MissingRelation, PipelineError

from . import EXIT_CANNOT_RUN, EXIT_OK
from .evaluate import (
    Figures,
    best_f1_threshold,
    capacity_threshold,
    figures,
    place_bands,
    place_grades,
)
from .features import TrainingTable, table_from_rows
from .model import Fit, Options, auc, check_data_floor, fit
from .write import group_rows, replace_scorecard, rule_rows, write_fit


def read_rows(args: argparse.Namespace) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
    """Build the feature table (unless --no-build), then read it and the
    champion's holdout backtest (None when it is not built)."""
    target = getattr(args, "target", None) or os.environ.get("LEAD_SCORING_TARGET", "duckdb")
    if dbt_client.target_type(target) != "duckdb":
        raise PipelineError(f"pipeline.py fit reads the DuckDB warehouse; it does not run on "
                            f"target {target} yet (docs/spark.md)")
    dbt_vars: dict[str, Any] = {}
    if args.as_of:
        dbt_vars["score_as_of"] = args.as_of.isoformat()
    if not args.no_build:
        dbt = dbt_client.Dbt(getattr(args, "target", None), dbt_vars,
                             getattr(args, "verbose", False))
        print("1/3 dbt build of the feature table (+fct_lead_decision_features)", flush=True)
        # cautious: tests that also read models outside the selection wait for `run`
        outcome = dbt.build_command([
            "build", "--select", "+fct_lead_decision_features", "--exclude-resource-type",
            "unit_test", "--indirect-selection", "cautious"])
        if outcome.errors or outcome.test_failures:
            raise PipelineError("; ".join(outcome.errors + outcome.test_failures))
    with dbt_client.reading(dbt_client.duckdb_path()) as reader:
        rows = sorted(
            reader.rows("fct_lead_decision_features", where={"decision_status": "decided"}),
            key=_feature_order)
        champion = None
        if "fct_scorecard_backtest_leads" in reader.relations:
            try:
                holdout = reader.rows("fct_scorecard_backtest_leads", where={
                    "backtest_status": "in backtest", "scorecard_id": args.champion})
            except MissingRelation:  # not built yet: nothing to compare with
                holdout = None
            if holdout is not None:
                champion = [row for row in holdout
                            if row["decision_date"] > args.train_until]
    return rows, champion


def _feature_order(row: dict[str, Any]) -> tuple[Any, ...]:
    """lead, feature source and name, then filter field and value, nulls first."""
    return (row["lead_id"], row["feature_source"], row["feature_name"],
            row["filter_field"] is not None, row["filter_field"] or "",
            row["filter_value"] is not None, row["filter_value"] or "")


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


def format_figures(name: str, result: Figures) -> list[str]:
    lines = [f"  {name:<9} {result.lead_count:>6,} leads {result.converted_count:>5,} converted"
             f"  AUC {_pct(result.auc)}  KS {_pct(result.ks)}  Brier {result.brier:.4f}"]
    return lines


def format_calibration(result: Figures) -> list[str]:
    lines = ["    decile  leads  scores        predicted  observed"]
    for d in result.deciles:
        lines.append(f"    {d.decile:>6} {d.lead_count:>6}  {d.min_score:>5g} to {d.max_score:<5g}"
                     f"  {d.predicted_rate:8.1%}  {d.observed_rate:8.1%}")
    return lines


def fit_scorecard(args: argparse.Namespace, options: Options) -> int:
    try:
        rows, champion = read_rows(args)
    except PipelineError as error:
        print(f"error: {error}")
        return EXIT_CANNOT_RUN
    table = table_from_rows(rows)
    train = table.subset(lambda i: table.decision_dates[i] <= args.train_until)
    holdout = table.subset(lambda i: table.decision_dates[i] > args.train_until)
    check_data_floor(train, args.train_until, options.min_conversions)
    print(f"2/3 fit on {len(train.lead_ids):,} leads decided on or before {args.train_until} "
          f"({sum(train.outcomes):,} converted); holdout {len(holdout.lead_ids):,} leads decided "
          f"after it ({sum(holdout.outcomes):,} converted)", flush=True)
    fitted = fit(train, options)
    for line in describe_screen(fitted):
        print(line)
    train_scores = fitted.score(train)
    bands, grades, mql_note = bands_and_grades(fitted, train, train_scores, args)
    rules = rule_rows(args.scorecard_id, fitted)
    seeds = args.seeds_dir
    replace_scorecard(seeds / "scorecard_rules.csv", args.scorecard_id, rules)
    replace_scorecard(seeds / "scorecard_groups.csv", args.scorecard_id,
                      group_rows(args.scorecard_id, rules))
    replace_scorecard(seeds / "scorecard_bands.csv", args.scorecard_id, [
        {"scorecard_id": args.scorecard_id, "band": band,
         "min_score": "" if low is None else f"{low:g}"} for band, low in bands])
    replace_scorecard(seeds / "scorecard_grades.csv", args.scorecard_id, [
        {"scorecard_id": args.scorecard_id, "grade": grade,
         "min_fit_score": "" if low is None else f"{low:g}"} for grade, low in grades])
    # its training window and scale: the report's predicted conversion
    write_fit(seeds / "scorecard_fits.csv", args.scorecard_id, args.train_until.isoformat(),
              fitted)
    print(f"3/3 wrote scorecard {args.scorecard_id}: {len(rules)} rules, {len(bands)} bands, "
          f"{len(grades)} grades into {seeds} (its scale in scorecard_fits.csv)")
    print(f"  base {fitted.base_points} points; a score of {fitted.scale.base_score:g} means "
          f"about {fitted.scale.base_rate:.0%} convert, +{fitted.scale.pdo:g} points double the "
          "odds")
    for band, low in bands:
        if low is not None:
            print(f"  band {band:<5} from {low:>5g}: a score of {low:g} means about "
                  f"{fitted.scale.probability(low):.0%} convert")
    print(f"  {mql_note}")
    results = {"training": figures(train.lead_ids, train_scores, train.outcomes, fitted.scale)}
    if holdout.lead_ids:
        results["holdout"] = figures(holdout.lead_ids, fitted.score(holdout), holdout.outcomes,
                                     fitted.scale)
    print("Figures (predicted: the conversion rate the score stands for)")
    for name, result in results.items():
        print("\n".join(format_figures(name, result)))
    for name, result in results.items():
        print(f"  calibration by decile, {name}")
        print("\n".join(format_calibration(result)))
    print("\n".join(champion_lines(args, fitted, holdout, champion)))
    if getattr(args, "json", None):
        write_json(args.json, args, fitted, results, bands, grades)
    print("Next: `make run` scores it beside the champion; the backtest marts compare them.")
    return EXIT_OK


def describe_screen(fitted: Fit) -> list[str]:
    lines = ["  features used (information value, single-feature AUC, points per bin):"]
    for report in fitted.reports:
        if report.selected:
            feature = next(f for f in fitted.features if f.candidate == report.candidate)
            lines.append(f"    {report.candidate.key:<48} IV {report.iv:5.3f}  AUC "
                         f"{report.auc:5.3f}  points {feature.points}")
    leaks = [r for r in fitted.reports if r.leak]
    for report in leaks:
        lines.append(f"  left out as a likely leak: {report.candidate.key}: {report.leak} "
                     "(--allow-feature to use it)")
    return lines


def bands_and_grades(fitted: Fit, train: TrainingTable, scores: list[int],
                     args: argparse.Namespace) -> tuple[list, list, str]:
    best = best_f1_threshold(scores, train.outcomes)
    mql, note = best, f"mql band at the best-F1 threshold {best:g} (training leads)"
    if args.mql_at == "sales_capacity":
        capacity = capacity_threshold(scores, train.decision_dates, args.sales_capacity)
        if capacity is not None:
            mql = capacity
            note = (f"mql band at {capacity:g}, the lowest threshold within "
                    f"{args.sales_capacity:g} MQLs per month (training leads)")
    rate = sum(train.outcomes) / len(train.outcomes)
    bands = place_bands(mql, rate, fitted.scale)
    grades = place_grades(fitted.score(train, "fit"))
    return bands, grades, note


def champion_lines(args: argparse.Namespace, fitted: Fit, holdout: TrainingTable,
                   champion: list[dict[str, Any]] | None) -> list[str]:
    if not champion:
        return [f"  champion {args.champion}: no backtest on the holdout yet (run the pipeline "
                "with a back-filled history)"]
    scores = dict(zip(holdout.lead_ids, fitted.score(holdout), strict=True))
    common = [row for row in champion if row["lead_id"] in scores]
    outcomes = [bool(row["is_converted"]) for row in common]
    champion_auc = auc([float(row["total_score"]) for row in common], outcomes)
    fitted_auc = auc([scores[row["lead_id"]] for row in common], outcomes)
    return [f"  holdout AUC on the {len(common):,} leads the champion's backtest also holds: "
            f"champion {args.champion} {_pct(champion_auc)}, fitted {args.scorecard_id} "
            f"{_pct(fitted_auc)}"]


def write_json(path: Path, args: argparse.Namespace, fitted: Fit, results: dict[str, Figures],
               bands: list, grades: list) -> None:
    """The fit's figures, features and leaks, for scheduled jobs and tests."""
    document = {
        "scorecard_id": args.scorecard_id,
        "train_until": args.train_until.isoformat(),
        "base_points": fitted.base_points,
        "features": [f.candidate.key for f in fitted.features],
        "leaks": {r.candidate.key: r.leak for r in fitted.reports if r.leak},
        "bands": [{"band": band, "min_score": low} for band, low in bands],
        "grades": [{"grade": grade, "min_fit_score": low} for grade, low in grades],
        "figures": {name: asdict(result) for name, result in results.items()},
    }
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
