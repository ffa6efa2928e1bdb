"""The command line: ``pipeline.py run | backfill | history`` (and what registers).

Each subcommand lives in its own module and registers itself with a
``register(subparsers, parents)`` function, listed in ``SUBCOMMANDS``: it adds
its parser (``parents``: the shared option groups ``common`` and
``publishing`` it may take) and sets ``handler`` (a function of the parsed arguments that
returns the exit code). A new subcommand is a module and one line here.

Exit codes: 0 success, 1 a test or audit failed (nothing published), 2 the
pipeline could not run (bad arguments, no raw data, a dbt or scorecard
error), 3 another run held the warehouse for longer than --lock-timeout.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from scripts.lead_scoring import backfill, fit, run

Parents = dict[str, argparse.ArgumentParser]
Register = Callable[[argparse._SubParsersAction, Parents], None]
SUBCOMMANDS: list[Register] = [run.register, backfill.register, backfill.register_history,
                               fit.register]


def publishing_options() -> argparse.ArgumentParser:
    """Options of the subcommands that publish (``run``, ``backfill``)."""
    command = argparse.ArgumentParser(add_help=False)
    command.add_argument(
        "--serving", type=Path, default=None, metavar="FILE",
        help="the DuckDB file BI tools read, replaced by each publication (default: env "
             "LEAD_SCORING_SERVING_PATH, else serving/<warehouse file name> beside the "
             "warehouse)")
    command.add_argument(
        "--parquet", type=Path, default=None, metavar="DIR",
        help="also publish every mart as Parquet: DIR/<publication>/<table>.parquet, "
             "with DIR/current pointing at the last publication")
    command.add_argument(
        "--max-band-shift", type=float, default=0.15, metavar="SHARE",
        help="audit: fail when a band's share of a scorecard's leads moved by more than "
             "this (0.15 = 15 points) since the last publication; 1 turns it off "
             "(default 0.15)")
    command.add_argument(
        "--lock-timeout", type=float, default=300, metavar="SECONDS",
        help="wait this long for a run already holding the warehouse, then stop "
             "(exit 3; default 300, 0: stop at once)")
    return command


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="pipeline.py", description="Build, audit, publish and summarise lead scores."
    )
    sub = main_parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--target", default=None, help="dbt target (default: the profile's)")
    common.add_argument("--raw-schema", default="raw")
    common.add_argument("--verbose", action="store_true", help="show dbt's own log")
    parents = {"common": common, "publishing": publishing_options()}
    for register in SUBCOMMANDS:
        register(sub, parents)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    return args.handler(args)
