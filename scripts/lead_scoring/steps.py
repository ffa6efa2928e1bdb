"""What the publishing subcommands share: the publisher of the target, the locked
session that turns errors into exit codes, and the refusal to publish."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import scripts.lead_scoring.duckdb_publication  # noqa: F401  (registers "duckdb")
import scripts.lead_scoring.spark_publication  # noqa: F401  (registers "spark")
from scripts.lead_scoring.audits import Check, failed
from scripts.lead_scoring.dbt_client import BuildOutcome, target_type
from scripts.lead_scoring.errors import (
    EXIT_BUSY,
    EXIT_CANNOT_RUN,
    EXIT_FAILED,
    PipelineError,
)
from scripts.lead_scoring.publication import (
    LockTimeout,
    PublicationError,
    Publisher,
    PublishSession,
    publisher_for,
)

TARGET_ENV = "LEAD_SCORING_TARGET"


def target_of(args: Any) -> str:
    return args.target or os.environ.get(TARGET_ENV, "duckdb")


def publisher(args: Any) -> Publisher:
    """The publisher of the run's dbt target (by its type in profiles.yml)."""
    return publisher_for(target_type(target_of(args)), args)


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PipelineError(f"{option} must be a date written YYYY-MM-DD, got {value!r}") from None


def locked(publisher: Publisher, command: str, lock_timeout: float,
           body: Callable[[PublishSession], int]) -> int:
    """``body`` on a publish session (under the warehouse lock); errors become exit codes."""
    try:
        with publisher.session(command, lock_timeout) as session:
            return body(session)
    except LockTimeout as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BUSY
    except (PipelineError, PublicationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN


def refuse_publication(outcome: BuildOutcome, checks: list[Check],
                       session: PublishSession) -> int:
    """Say why nothing is published and what BI keeps seeing; EXIT_FAILED."""
    session.keep = True
    print("FAILED:", file=sys.stderr)
    for failure in outcome.test_failures:
        print(f"  test {failure}", file=sys.stderr)
    print_failing_rows(outcome, session)
    for check in failed(checks):
        print(f"  audit {check.name}: {check.detail}", file=sys.stderr)
    try:
        previous = session.last_publication()
    except PublicationError:
        previous = None
    if previous is None:
        print("Nothing was published (there is no publication yet).", file=sys.stderr)
    else:
        print(f"Nothing was published: {session.where_bi_reads()} still holds publication "
              f"{previous.publication_id} ({previous.published_at} UTC, as of "
              f"{previous.score_as_of}).", file=sys.stderr)
    return EXIT_FAILED


def print_failing_rows(outcome: BuildOutcome, session: PublishSession, limit: int = 5) -> None:
    """The first failing rows of each failed data test that did not store them
    (its compiled query run again on the build: which column, key or value),
    so that a failure says what and where without a store per test."""
    failed_tests = [node for node in outcome.nodes
                    if node.status == "fail" and node.compiled_code and not node.relation_name]
    if not failed_tests:
        return
    try:
        with session.reader() as reader:
            for node in failed_tests:
                rows = reader.failing_rows(node.compiled_code, limit)
                print(f"  failing rows of {node.name} (first {limit}):", file=sys.stderr)
                for row in rows:
                    print("    " + ", ".join(f"{key}={value!r}" for key, value in row.items()),
                          file=sys.stderr)
    except Exception as error:  # noqa: BLE001 (the failure is reported above either way)
        print(f"  (the failing rows could not be read: {error})", file=sys.stderr)


def print_publication(session: PublishSession, publication: Any) -> None:
    for line in session.describe(publication):
        print(f"  {line}", flush=True)
