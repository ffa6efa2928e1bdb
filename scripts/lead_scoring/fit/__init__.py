"""``fit``: fit a scorecard's points from the warehouse's own outcomes and
write it into the scorecard CSV files (docs/fitting.md).

The lead's features on its decision date come from the dbt model
``fct_lead_decision_features`` (point in time); this package bins them,
fits a logistic regression, scales the points, places bands and grades,
writes the four CSV files and prints training and holdout figures.
``add_arguments`` and ``main`` are the subcommand's interface.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from .model import FitError, Options
from .scaling import Scale

EXIT_OK, EXIT_REFUSED, EXIT_CANNOT_RUN = 0, 1, 2
ROOT = Path(__file__).resolve().parents[3]


def register(sub: argparse._SubParsersAction, parents: dict[str, argparse.ArgumentParser]) -> None:
    """The `fit` subcommand (scripts/lead_scoring/cli.py)."""
    command = sub.add_parser("fit", parents=[parents["common"]],
                             help="fit a scorecard from outcomes into the scorecard CSVs")
    add_arguments(command)
    command.set_defaults(handler=main)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scorecard-id", required=True,
                        help="the scorecard to write (its rows in the CSV files are replaced)")
    parser.add_argument("--train-until", required=True, type=_day, metavar="YYYY-MM-DD",
                        help="train on the leads decided on or before this date; the leads "
                             "decided after it are the holdout")
    parser.add_argument("--as-of", type=_day, default=None, metavar="YYYY-MM-DD",
                        help="the as-of date of the build (var score_as_of; default today)")
    parser.add_argument("--min-conversions", type=int, default=100,
                        help="the data floor: converted leads needed in the training window")
    parser.add_argument("--max-bins", type=int, default=5)
    parser.add_argument("--min-bin-share", type=float, default=0.05,
                        help="smallest share of the training leads in a bin of a lead "
                             "column or attribute")
    parser.add_argument("--min-count-bin-share", type=float, default=0.01,
                        help="smallest share of the training leads in a bin of an activity "
                             "count")
    parser.add_argument("--min-iv", type=float, default=0.02,
                        help="least information value of a feature the fit uses")
    parser.add_argument("--max-features", type=int, default=10,
                        help="most features per dimension (fit, engagement)")
    parser.add_argument("--allow-feature", action="append", default=[], metavar="NAME",
                        help="use this feature even if it looks like a leak (repeatable)")
    parser.add_argument("--base-score", type=float, default=50.0,
                        help="the score that stands for --base-rate")
    parser.add_argument("--base-rate", type=float, default=0.10,
                        help="the conversion rate a score of --base-score means")
    parser.add_argument("--pdo", type=float, default=10.0,
                        help="points that double the odds of converting")
    parser.add_argument("--mql-at", choices=("best_f1", "sales_capacity"), default="best_f1",
                        help="where the mql band starts")
    parser.add_argument("--sales-capacity", type=float, default=25.0,
                        help="MQLs per month sales can work (for --mql-at sales_capacity)")
    parser.add_argument("--champion", default="default",
                        help="the scorecard to compare with on the holdout")
    parser.add_argument("--seeds-dir", type=Path, default=ROOT / "seeds" / "scorecards",
                        help="where the four scorecard CSV files are")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="also write the figures, features and leaks as JSON")
    parser.add_argument("--no-build", action="store_true",
                        help="read the feature table as built, without building it first")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date written YYYY-MM-DD: {value!r}") from None


def options_from(args: argparse.Namespace) -> Options:
    return Options(
        min_conversions=args.min_conversions, max_bins=args.max_bins,
        min_bin_share=args.min_bin_share,
        min_count_bin_share=args.min_count_bin_share, min_iv=args.min_iv,
        max_features=args.max_features, allow_features=tuple(args.allow_feature),
        scale=Scale(args.base_score, args.base_rate, args.pdo))


def main(args: argparse.Namespace) -> int:
    from .run import fit_scorecard

    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", args.scorecard_id):
        print(f"error: --scorecard-id {args.scorecard_id!r}: use letters, digits, _ . -",
              file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        return fit_scorecard(args, options_from(args))
    except FitError as error:
        print(f"fit stopped: {error}", file=sys.stderr)
        return EXIT_REFUSED
