"""``pipeline.py run``: load demo data if needed, build, audit, publish, summarise.

On a publish session (``publication``), one dbt invocation at a time:

1. raw data: when the raw tables are missing or empty, demo data is
   generated and loaded into schema ``raw`` of the build (``raw``);
2. ``dbt build``: seeds, models and data tests, after the history's first
   fill or missed days (``history``);
3. audits (``audits``);
4. publication: only when every test and audit passed;
5. the summary and the HTML report (``summary``, ``report``).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from scripts.lead_scoring import audits, history, raw, summary
from scripts.lead_scoring import report as html_report
from scripts.lead_scoring.dbt_client import MANIFEST, Dbt, public_marts, scoped_env
from scripts.lead_scoring.errors import EXIT_CANNOT_RUN, EXIT_OK, PipelineError
from scripts.lead_scoring.publication import (
    PublicationError,
    Publisher,
    PublishSession,
    failpoint,
)
from scripts.lead_scoring.steps import (
    locked,
    parse_day,
    print_publication,
    publisher,
    refuse_publication,
    target_of,
)


def register(sub: argparse._SubParsersAction, parents: dict[str, Any]) -> None:
    run = sub.add_parser("run", parents=[parents["common"], parents["publishing"]],
                         help="load demo data if needed, build, validate, summarise")
    run.add_argument("--as-of", default=None, help="score as of this date, YYYY-MM-DD")
    run.add_argument("--point-in-time", action="store_true",
                     help="score each lead as it was on the as-of date (the default; "
                          "kept for older scripts)")
    run.add_argument("--current-lead-state", action="store_true",
                     help="what-if: score today's lead state with the as-of date's "
                          "activities (var score_current_lead_state)")
    run.add_argument("--select", default=None, help="dbt selection for the build")
    run.add_argument("--top", type=int, default=5, help="top leads to show per scorecard")
    run.add_argument("--demo-leads", type=int, default=2000,
                     help="leads of the demo data generated when raw is empty")
    run.add_argument("--demo-seed", type=int, default=42)
    run.add_argument("--quarantine-warn-share", type=float, default=0.05,
                     help="warn when more than this share of a raw table is quarantined")
    run.add_argument("--enroll-existing", action="store_true",
                     help="fire one trigger for every lead at or over a trigger's threshold "
                          "that has not fired since it went over (the first run fires "
                          "none: var enroll_existing_leads)")
    run.add_argument("--no-demo", action="store_true",
                     help="fail instead of loading demo data when raw is empty")
    run.add_argument("--unit-tests", action="store_true",
                     help="also run dbt's unit tests in the build (make test runs them)")
    run.add_argument("--audits-only", action="store_true",
                     help="of dbt's data tests run only the audits (tag audit), not the "
                          "models' own tests: for engines where each test costs seconds "
                          "(Spark), with the data tests run in CI")
    run.add_argument("--no-summary", action="store_true",
                     help="skip the summary and the HTML report (scheduled runs: the audits "
                          "and the publication are the same)")
    run.add_argument("--report", type=Path, default=None, metavar="FILE",
                     help="where to write the HTML report (default: report.html next to "
                          "the DuckDB file)")
    run.add_argument("--history-days", type=int, default=None, metavar="N",
                     help="when the score history is empty, first back-fill the N days "
                          "before the as-of date (default: 456 after loading demo data, "
                          "else 0), so backtests and trends have data")
    run.add_argument("--raw-from", default=None, type=Path, metavar="DIR",
                     help="first (re)load the raw tables from this folder of Parquet/CSV "
                          "files (scripts/load_raw.py), e.g. the Olist data from "
                          "scripts/load_olist.py")
    run.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    started = time.monotonic()
    try:
        # the UTC date, as dbt's default; passed explicitly so that every dbt
        # call of this run scores the same day even across midnight
        as_of = (parse_day(args.as_of, "--as-of") if args.as_of
                 else datetime.now(UTC).date())
        target = target_of(args)
        chosen = publisher(args)
    except (PipelineError, PublicationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    print(f"Lead scoring · target {target} · as of {as_of}", flush=True)

    def body(session: PublishSession) -> int:
        with scoped_env(session.dbt_env):
            return build_audit_publish(args, chosen, session, as_of, started)

    return locked(chosen, "pipeline.py run", args.lock_timeout, body)


def history_end(session: PublishSession, dbt: Dbt) -> date | None:
    """The last day of the build's score history (None before the first run)."""
    if not MANIFEST.exists():
        dbt.invoke(["parse"])  # relation names come from the manifest
    try:
        with session.reader() as reader:
            return history.last_history_date(reader)
    except FileNotFoundError:
        return None


def triggers_switched_on(session: PublishSession) -> bool:
    """Whether an earlier run built the trigger log (else this run switches
    triggers on and fires nothing unless told to enroll existing leads)."""
    try:
        with session.reader() as reader:
            return history.has_trigger_log(reader)
    except FileNotFoundError:
        return False


def build_selection(args: argparse.Namespace, session: PublishSession) -> str | None:
    """The build's dbt selection: a narrower --select (or --audits-only) still runs
    every audit, and on a build that starts empty also builds what they read."""
    base = args.select or ("resource_type:model resource_type:seed" if args.audits_only
                           else None)
    if base is None:
        return None
    return f"{base} {'+' if session.builds_from_scratch else ''}tag:{audits.AUDIT_TAG}"


def build_audit_publish(args: argparse.Namespace, chosen: Publisher, session: PublishSession,
                        as_of: date, started: float) -> int:
    """The steps of `run` on the build; publishes only when every audit passed."""
    dbt_vars: dict[str, Any] = {"raw_schema": args.raw_schema, "score_as_of": as_of.isoformat(),
                                "report_top_leads": args.top}
    if args.current_lead_state:
        dbt_vars["score_current_lead_state"] = True
    if args.enroll_existing:
        dbt_vars["enroll_existing_leads"] = True
    demo_loaded = raw.prepare_raw(session.raw_store(), args.raw_schema, args.raw_from,
                                  args.no_demo, args.demo_leads, args.demo_seed, as_of)
    dbt = Dbt(args.target, dbt_vars, args.verbose)
    last_day = history_end(session, dbt)
    first_trigger_run = not triggers_switched_on(session)
    fill = history.first_fill(last_day, as_of, args.history_days, demo_loaded)
    if fill is not None:
        # a first run: score the days before the as-of date, each lead as it
        # was then, so that trends and backtests have a history; like any
        # backfill it fires no trigger
        print(f"  no score history yet: back-filling {fill.start} to {fill.end} "
              f"({fill.days} days, point in time)", flush=True)
        fill_vars, command = history.backfill_build(fill.start, fill.end, downstream=False)
        filled = Dbt(args.target, {**dbt_vars, **fill_vars}, args.verbose).build_command(command)
        if filled.report() is not None:
            session.keep = True
            return EXIT_CANNOT_RUN
        last_day = fill.end
    missed = history.missed_days(last_day, as_of)
    dbt.vars.update(missed.dbt_vars)
    if missed.message:
        print(f"  {missed.message}", file=sys.stderr if missed.is_warning else sys.stdout,
              flush=True)
    tests = "audits" if args.audits_only else "data tests"
    print(f"2/5 dbt build (seeds, models, {'unit and ' if args.unit_tests else ''}"
          f"{tests})", flush=True)
    dbt.vars.update(audits.audit_vars(session, args.quarantine_warn_share,
                                      args.max_band_shift))
    outcome = dbt.build(build_selection(args, session), args.unit_tests,
                        data_tests=not args.audits_only)
    if outcome.report() is not None:
        session.keep = True
        return EXIT_CANNOT_RUN
    print("3/5 audits (dbt tests tagged audit)", flush=True)
    checks = audits.checks_of(outcome, session)
    audits.print_checks(checks)
    if outcome.test_failures or audits.failed(checks):
        return refuse_publication(outcome, checks, session)
    text = data = None
    if not args.no_summary:
        # read before the build is handed over, printed once it is published
        with session.reader() as reader:
            text = summary.summarise(reader, args.top, first_trigger_run, args.enroll_existing)
            data = html_report.report_data(reader)
    failpoint("audited")
    print("4/5 publication", flush=True)
    print_publication(session, session.publish(public_marts(), as_of.isoformat(),
                                               "pipeline.py run"))
    if text is not None and data is not None:
        print("5/5 summary", flush=True)
        print(text, flush=True)
        path = html_report.write_report(data, args.report or chosen.report_path, as_of)
        print(f"\nReport: {path}", flush=True)
    print(f"\nDone in {time.monotonic() - started:.1f} s. BI tools read "
          f"{session.where_bi_reads()} (read-only; schema marts: fct_lead_scores, "
          "fct_lead_score_contributions, dim_leads, agg_lead_score_bands, fct_lead_funnel, "
          "dim_lead_contact_profiles, fct_crm_lead_sync, fct_quarantined_rows, ...; schema "
          "publication: what was published when).")
    return EXIT_OK
