"""Write, audit, publish: what every engine's publisher offers, the run lock, and
the registry that picks a publisher by dbt target type.

A run never builds what BI reads. A ``Publisher`` (one per kind of target:
``duckdb_publication.DuckDBPublisher``, ``spark_publication.SparkPublisher``)
opens a ``PublishSession`` under the warehouse lock:

1. **lock**: one run at a time per warehouse (``run_lock``: an OS lock the
   kernel releases when the process dies, so a killed run leaves no stale
   lock); a second run waits up to its timeout, then stops;
2. **recover**: what a killed run left is finished or discarded;
3. **write**: dbt builds somewhere BI does not read (``dbt_env`` points the
   profile there);
4. **audit**: dbt's tests, read by the orchestrator (``audits``);
5. **publish**: the public marts become what BI reads, all at once.

Leaving the session without ``publish`` drops the build (kept to look at
when ``keep`` is set). This module knows files and locks, not dbt and not
the business: which tables to publish is the caller's list. What every
engine's publication records is shared here: the next publication's number
and as-of date (``next_publication``), each table's row count and checksums
(``checksum_record``: sums of 64-bit row hashes, whichever engine hashes).

To add an engine: subclass ``Publisher`` and ``PublishSession``, then
``register_publisher("<dbt adapter type>", MyPublisher)``; ``publisher_for``
picks it from the target's ``type`` in profiles.yml.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FAILPOINT_ENV = "LEAD_SCORING_FAILPOINT"


class PublicationError(Exception):
    """A publication cannot go ahead; the message says what and where."""


class LockTimeout(PublicationError):
    """Another run held the warehouse lock for longer than the timeout."""


def failpoint(name: str) -> None:
    """A crash-test hook: ``LEAD_SCORING_FAILPOINT=<name>`` kills the process here.

    The kill is a real SIGKILL (no clean-up, no ``finally``), as a machine
    losing power or the OOM killer would do. Unset, this does nothing.
    """
    if os.environ.get(FAILPOINT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class PublicTable:
    """A mart BI reads. ``run_time_columns`` record when a run happened
    (``scored_at``): they are left out of the data checksum."""

    name: str
    run_time_columns: tuple[str, ...] = ()


@dataclass
class Publication:
    """What a publication holds: its number and, per table, rows and checksums."""

    publication_id: int
    published_at: str
    score_as_of: str | None
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)


CHECKSUM_MASK = (1 << 64) - 1


def next_publication(previous: Publication | None, score_as_of: str | None
                     ) -> Publication:
    """The publication after ``previous`` (its number, time and as-of date), with
    no tables yet. ``score_as_of`` None (a backfill: the current marts stay as
    they were) keeps the last publication's as-of date."""
    if score_as_of is None and previous is not None:
        score_as_of = previous.score_as_of
    return Publication((previous.publication_id + 1) if previous else 1,
                       datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"), score_as_of)


def data_columns(table: PublicTable, columns: list[str]) -> list[str]:
    """The columns of the data checksum: all but the run-time ones."""
    return [column for column in columns if column not in table.run_time_columns]


def checksum_record(table: PublicTable, row_count: Any, full_sum: Any, data_sum: Any
                    ) -> dict[str, Any]:
    """What a publication records of a table, from its row count and two sums of
    64-bit row hashes (over every column; without the run-time columns), folded
    to 64 bits: the same record on every engine."""
    return {"row_count": int(row_count),
            "checksum": f"{int(full_sum) & CHECKSUM_MASK:016x}",
            "data_checksum": f"{int(data_sum) & CHECKSUM_MASK:016x}",
            "run_time_columns": ",".join(table.run_time_columns)}


def publication_line(publication: Publication, where: str) -> str:
    rows = sum(table["row_count"] for table in publication.tables.values())
    return (f"publication {publication.publication_id}: {len(publication.tables)} marts, "
            f"{rows:,} rows -> {where}")


class PublishSession(ABC):
    """One run's build, from the lock to the publication (or its absence).

    ``open`` finishes or discards what a killed run left (``recover``), then
    prepares the build (``prepare``); ``close`` drops the build unless it was
    published (``discard``, which keeps it to look at when ``keep`` is set).
    """

    #: set after a failed build or audit: the build is kept to look at
    keep: bool = False
    #: set by a successful ``publish``
    committed: bool = False

    def open(self) -> PublishSession:
        for message in self.recover():
            print(f"  {message}", flush=True)
        self.prepare()
        failpoint("copied")
        return self

    def close(self) -> None:
        kept = None if self.committed else self.discard()
        self.disconnect()
        if kept is not None:
            print(f"The failed build is kept to look at: {kept}", file=sys.stderr)

    @abstractmethod
    def recover(self) -> list[str]:
        """Finish a committed publication or drop an unfinished build; say which."""

    @abstractmethod
    def prepare(self) -> None:
        """Make the place the build goes (a copy, schemas) and what it starts from."""

    @abstractmethod
    def discard(self) -> str | None:
        """Drop the unpublished build; with ``keep``, say where it is kept."""

    @abstractmethod
    def disconnect(self) -> None:
        """Let go of connections (after the publication or the discard)."""

    @property
    @abstractmethod
    def dbt_env(self) -> dict[str, str]:
        """Environment variables that point dbt's profile at the build."""

    #: True when the build starts empty (Spark's new schemas), False when it
    #: starts as a copy of the last good one (DuckDB): a narrow selection then
    #: also builds what the audits read
    builds_from_scratch: bool = False

    def keep_from_last(self, tables: list[str]) -> list[str]:
        """Make these marts of the last publication part of the build, for a build
        that does not rebuild them but reads them; returns those added. A build
        that starts as a copy of the last good one has them already."""
        return []

    @abstractmethod
    def raw_store(self) -> Any:
        """Where the raw tables of the build are (``raw.RawStore``)."""

    @abstractmethod
    def reader(self) -> AbstractContextManager[Any]:
        """Read the build: yields a ``dbt_client.BuildReader``."""

    @abstractmethod
    def last_publication(self) -> Publication | None:
        """What BI reads now, or None before the first publication."""

    @abstractmethod
    def published_rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of one table of the last publication ([] before the first)."""

    @abstractmethod
    def publish(self, tables: list[PublicTable], score_as_of: str | None,
                command: str) -> Publication:
        """Make the build's tables what BI reads, all or nothing."""

    @abstractmethod
    def describe(self, publication: Publication) -> list[str]:
        """Lines that say where a publication went."""

    @abstractmethod
    def where_bi_reads(self) -> str:
        """Where BI tools read (a file, a schema)."""


class Publisher(ABC):
    """Write-audit-publish for one kind of dbt target."""

    #: the run lock (one run at a time per warehouse)
    lock_path: Path
    #: where the HTML report goes by default
    report_path: Path

    @abstractmethod
    def new_session(self) -> PublishSession:
        """A session of this publisher, not opened yet."""

    @contextmanager
    def session(self, command: str, lock_timeout: float) -> Iterator[PublishSession]:
        """Lock, recover, prepare the build; on leaving, drop it unless published."""
        with run_lock(self.lock_path, lock_timeout, command):
            session = self.new_session()
            try:
                yield session.open()
            finally:
                session.close()

    @abstractmethod
    def read_published(self, table: str, where: dict[str, Any],
                       order_by: tuple[str, ...]) -> list[dict[str, Any]] | None:
        """Rows of a published table (None: nothing published yet); never locks."""


PublisherFactory = Callable[[Any], Publisher]
_PUBLISHERS: dict[str, PublisherFactory] = {}


def register_publisher(target_type: str, factory: PublisherFactory) -> None:
    """Make ``factory(args)`` the publisher of dbt targets of this type."""
    _PUBLISHERS[target_type] = factory


def publisher_for(target_type: str, args: Any) -> Publisher:
    """The publisher of a target type; PublicationError when none is registered."""
    if target_type not in _PUBLISHERS:
        raise PublicationError(
            f"no publisher for dbt targets of type {target_type} (known: "
            f"{', '.join(sorted(_PUBLISHERS))})")
    return _PUBLISHERS[target_type](args)


def _lock_holder(path: Path) -> str:
    try:
        holder = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        holder = {}
    if not holder:
        return "a run that has just started"
    return (f"pid {holder.get('pid')}, {holder.get('command', 'a run')}, "
            f"started {holder.get('started_at')}")


@contextmanager
def run_lock(path: Path, timeout: float, command: str,
             say: Callable[[str], None] = print) -> Iterator[None]:
    """Hold the warehouse lock for the block; wait up to ``timeout`` seconds for it.

    An ``flock`` on ``path``: the kernel drops it when the process ends,
    however it ends. Raises LockTimeout naming the holder when it stays busy.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        deadline = time.monotonic() + max(timeout, 0)
        announced = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{path}: another run holds this warehouse ({_lock_holder(path)}); "
                        f"gave up after {timeout:g} s (--lock-timeout)"
                    ) from None
                if not announced:
                    say(f"  waiting for another run to finish ({_lock_holder(path)}); "
                        f"up to {timeout:g} s")
                    announced = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({
            "pid": os.getpid(), "command": command,
            "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        }))
        handle.flush()
        yield
    finally:
        handle.close()
