"""``pipeline.py backfill`` (rebuild a range of the score history, then publish) and
``pipeline.py history`` (one lead's days and band changes, from what BI reads)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scripts.lead_scoring import audits, history
from scripts.lead_scoring.dbt_client import Dbt, public_marts, scoped_env
from scripts.lead_scoring.errors import EXIT_CANNOT_RUN, EXIT_OK, PipelineError
from scripts.lead_scoring.publication import PublicationError, PublishSession
from scripts.lead_scoring.run import history_end
from scripts.lead_scoring.steps import (
    locked,
    parse_day,
    print_publication,
    publisher,
    refuse_publication,
)


def register(sub: argparse._SubParsersAction, parents: dict[str, Any]) -> None:
    backfill = sub.add_parser("backfill", parents=[parents["common"], parents["publishing"]],
                              help="rebuild the score history for a date range")
    backfill.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    backfill.add_argument("--to", dest="end", default=None,
                          help="last day, YYYY-MM-DD (default: the last day of the history)")
    backfill.add_argument("--full-refresh", action="store_true",
                          help="drop the whole history first (it then holds only this range)")
    backfill.set_defaults(handler=main)


def register_history(sub: argparse._SubParsersAction, parents: dict[str, Any]) -> None:
    shown = sub.add_parser("history", parents=[parents["common"]],
                           help="print one lead's daily scores and band changes")
    shown.add_argument("--lead", required=True, help="the lead_id")
    shown.add_argument("--scorecard", default=None, help="only this scorecard")
    shown.add_argument("--serving", type=Path, default=None, metavar="FILE",
                       help="the serving file to read (default: as for run)")
    shown.set_defaults(handler=show_history)


def main(args: argparse.Namespace) -> int:
    """Rebuild the history (and band changes, milestones) for a date range, then publish.

    Each lead is scored as it was on each day (point in time). The current
    marts and the trigger log are left alone: a backfill fires no trigger.
    """
    try:
        start = parse_day(args.start, "--from")
        end = parse_day(args.end, "--to") if args.end else None
        chosen = publisher(args)
    except (PipelineError, PublicationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN

    def body(session: PublishSession) -> int:
        with scoped_env(session.dbt_env):
            dbt = Dbt(args.target, {"raw_schema": args.raw_schema}, args.verbose)
            last = end or history_end(session, dbt)
            if last is None:
                raise PipelineError("no score history yet: give --to, or `run` first")
            if start > last:
                raise PipelineError(f"--from {start} is after --to {last}")
            if session.builds_from_scratch and session.last_publication() is None:
                # the marts a backfill does not rebuild are served on from the last
                # publication: there must be one
                raise PipelineError(f"nothing published on {session.where_bi_reads()} yet: "
                                    "`pipeline.py run` first")
            print(f"Backfill of the score history, {start} to {last} "
                  f"({(last - start).days + 1} days, each lead as it was on each day)",
                  flush=True)
            published = session.last_publication()
            served = (parse_day(published.score_as_of, "the last publication's as-of date")
                      if published is not None and published.score_as_of else None)
            if served is not None and last < served:
                # the marts built from the history (today's scores, the ledger)
                # are slices of its last day: ending the rebuild before the
                # served as-of date would move them back to --to, beside
                # current marts that stay as of the served date
                print(f"  rebuilt through {served}, the as-of date of the last publication, "
                      f"so that the current marts stay as of that day", flush=True)
                last = served
            fill_vars, command = history.backfill_build(
                start, last, args.full_refresh, from_scratch=session.builds_from_scratch)
            kept = session.keep_from_last(list(history.TRIGGER_MODELS))
            if kept:
                print(f"  {', '.join(kept)} kept from the last publication", flush=True)
            dbt.vars.update(fill_vars)
            dbt.vars.update(audits.audit_vars(session, None, args.max_band_shift))
            # the current marts are not rebuilt: the audits are dbt's tests of what
            # was, and the band shares (unchanged unless someone rebuilt them)
            command[command.index("--select") + 1] += f" {audits.BAND_SHIFT_TEST}"
            outcome = dbt.build_command(command)
            if outcome.report() is not None:
                session.keep = True
                return EXIT_CANNOT_RUN
            checks = audits.checks_of(outcome, session)
            audits.print_checks(checks)
            if outcome.test_failures or audits.failed(checks):
                return refuse_publication(outcome, checks, session)
            print_publication(session, session.publish(public_marts(), None,
                                                       "pipeline.py backfill"))
            return EXIT_OK

    return locked(chosen, "pipeline.py backfill", args.lock_timeout, body)


def show_history(args: argparse.Namespace) -> int:
    """Print a lead's daily scores (compressed to the days they change) and band changes,
    from the last publication (read-only: it never waits for or blocks a run)."""
    try:
        chosen = publisher(args)
    except (PipelineError, PublicationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    where = {"lead_id": args.lead}
    if args.scorecard:
        where["scorecard_id"] = args.scorecard
    rows = chosen.read_published(history.HISTORY_MODEL, where, ("scorecard_id", "score_date"))
    if rows is None:
        print("error: nothing published yet: `pipeline.py run` first", file=sys.stderr)
        return EXIT_CANNOT_RUN
    changes = chosen.read_published("fct_lead_band_changes", where,
                                    ("scorecard_id", "changed_on")) or []
    if not rows:
        print(f"error: no history for lead {args.lead}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    print(f"Score history of lead {args.lead} (days on which the score changed)")
    previous: tuple[str, Any] | None = None
    for row in rows:
        key = (row["scorecard_id"], row["total_score"])
        if previous is None or key != previous or row is rows[-1]:
            adjustment = (f"  adjustment {float(row['adjustment_points']):+.2f}"
                          if row["adjustment_points"] else "")
            print(f"  {str(row['score_date'])[:10]}  {row['scorecard_id']:<16} "
                  f"total {float(row['total_score']):7.2f}  fit {float(row['fit_score']):6.2f}  "
                  f"engagement {float(row['engagement_score']):6.2f}  {row['band']:<14} "
                  f"{row['grade'] or ''}{adjustment}")
        previous = key
    print("Band changes")
    for row in changes:
        before = "" if row["score_before"] is None else f"{float(row['score_before']):.2f}"
        print(f"  {str(row['changed_on'])[:10]}  {row['scorecard_id']:<16} "
              f"{row['from_band'] or '(new)':>14} -> {row['to_band']:<14} "
              f"{before:>8} -> {float(row['score_after']):.2f}")
    return EXIT_OK
