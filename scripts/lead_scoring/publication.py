"""Write, audit, publish: what every engine's publisher offers, the run lock, and
the registry that picks a publisher by dbt target type.

A run never builds what BI reads. A ``Publisher`` (one per kind of target:
``duckdb_publication.DuckDBPublisher`` here; a Spark one plugs in the same
way) opens a ``PublishSession`` under the warehouse lock:

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
the business: which tables to publish is the caller's list.

To add an engine: subclass ``Publisher`` and ``PublishSession``, then
``register_publisher("spark", SparkPublisher)``; ``publisher_for`` picks it
from the target's ``type`` in profiles.yml.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
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


class PublishSession(ABC):
    """One run's build, from the lock to the publication (or its absence)."""

    #: set after a failed build or audit: the build is kept to look at
    keep: bool = False

    @property
    @abstractmethod
    def dbt_env(self) -> dict[str, str]:
        """Environment variables that point dbt's profile at the build."""

    @abstractmethod
    def reader(self) -> AbstractContextManager[Any]:
        """Read the build: yields an object with ``rows(model, where, order_by)``."""

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

    @abstractmethod
    def session(self, command: str, lock_timeout: float) -> AbstractContextManager[
            PublishSession]:
        """Lock, recover, prepare the build; on leaving, drop it unless published."""

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
