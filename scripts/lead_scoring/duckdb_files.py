"""The files of a DuckDB run and how they change hands (the file side of
``duckdb_publication``): the build copy, the commit journal and its renames,
and the recovery of what a killed run left.

- **write**: the last good warehouse is copied to ``<warehouse>.run/``
  (same file name) and dbt builds the copy (``prepare_build``);
- **commit**: a journal names the files to move; renames swap in the new
  serving file and the new warehouse at once (``commit``). A run killed
  after the journal is written is completed by the next one (``recover``);
  before it, nothing that BI or the next run reads has changed.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from scripts.lead_scoring.publication import Publication, PublicationError, failpoint

# Parquet publications kept besides the current one (a reader may still be
# reading the previous one).
PARQUET_KEEP = 2


def wal(path: Path) -> Path:
    """DuckDB's write-ahead log beside a database file."""
    return path.with_name(path.name + ".wal")


@dataclass(frozen=True)
class Files:
    """Where a run reads and writes.

    ``warehouse`` is the DuckDB file dbt builds (the profile's path): after
    a run it holds the last good build, raw tables and history included.
    ``serving`` is what BI tools open; ``parquet`` (optional) a folder whose
    ``current`` link points at the Parquet files of the last publication.
    """

    warehouse: Path
    serving: Path
    parquet: Path | None = None

    @classmethod
    def beside(cls, warehouse: Path, serving: Path | None = None,
               parquet: Path | None = None) -> Files:
        """The default layout: ``serving/<warehouse name>`` next to the warehouse."""
        return cls(warehouse, serving or warehouse.parent / "serving" / warehouse.name, parquet)

    @property
    def work(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".run")

    @property
    def build(self) -> Path:
        # the warehouse's own file name: DuckDB names a database (the catalog
        # in every qualified name dbt writes, views included) after its file
        return self.work / self.warehouse.name

    @property
    def failed(self) -> Path:
        return self.work / "failed" / self.warehouse.name

    @property
    def journal(self) -> Path:
        return self.work / "commit.json"

    @property
    def lock(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")

    @property
    def serving_new(self) -> Path:
        # beside its destination, so that the rename stays on one file system
        return self.serving.with_name(f".{self.serving.name}.new")

    def parquet_new(self, publication_id: int) -> Path:
        assert self.parquet is not None
        return self.parquet / f".{publication_id}.new"

    def unfinished(self) -> list[Path]:
        """What a run writes before its commit (removed when it did not commit)."""
        paths = [self.build, wal(self.build), self.build.with_name(self.build.name + ".tmp"),
                 self.serving_new, wal(self.serving_new)]
        if self.parquet is not None and self.parquet.is_dir():
            paths += sorted(self.parquet.glob(".*.new"))
        return [path for path in paths if path.exists()]


def fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_path(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def recover(files: Files) -> list[str]:
    """Finish a committed publication or discard an unfinished build; say which."""
    messages = []
    if files.journal.exists():
        journal = json.loads(files.journal.read_text(encoding="utf-8"))
        _roll_forward(files, journal)
        messages.append(f"completed publication {journal['publication_id']}, which an "
                        "interrupted run had committed")
    leftovers = files.unfinished()
    for path in leftovers:
        remove_path(path)
    if leftovers:
        messages.append("discarded the unfinished build of an interrupted run "
                        f"({', '.join(path.name for path in leftovers)})")
    return messages


def prepare_build(files: Files) -> duckdb.DuckDBPyConnection | None:
    """Copy the last good warehouse to the build file, to build there.

    Returns a read-only connection to the warehouse that the caller keeps
    open until the commit: while it is open no other process can write the
    warehouse (a `dbt build` of it fails with DuckDB's lock error) and so
    nothing written there is lost by the commit. None on a first run.
    """
    files.work.mkdir(parents=True, exist_ok=True)
    if not files.warehouse.exists():
        return None
    try:
        holder = duckdb.connect(str(files.warehouse), read_only=True)
    except duckdb.Error as error:
        raise PublicationError(
            f"{files.warehouse} is being written by another process, so it cannot be "
            f"copied to build from: {str(error).splitlines()[0]} (only pipeline.py should "
            "write the warehouse while it runs; BI tools read the serving file)"
        ) from error
    shutil.copyfile(files.warehouse, files.build)
    if wal(files.warehouse).exists():
        # changes not yet checkpointed: the copy replays them when it opens
        shutil.copyfile(wal(files.warehouse), wal(files.build))
    return holder


def discard_build(files: Files, keep: bool) -> Path | None:
    """Drop the uncommitted files; with ``keep``, the build stays in ``failed/``."""
    kept = None
    if keep and files.build.exists():
        remove_path(files.failed)
        remove_path(wal(files.failed))
        files.failed.parent.mkdir(exist_ok=True)
        os.replace(files.build, files.failed)
        if wal(files.build).exists():
            os.replace(wal(files.build), wal(files.failed))
        kept = files.failed
    for path in files.unfinished():
        remove_path(path)
    return kept


# ----------------------------------------------------------------- commit


def commit(files: Files, publication: Publication,
           holder: duckdb.DuckDBPyConnection | None) -> None:
    """Swap in the new serving file, warehouse (and Parquet), all or nothing.

    The journal is written first: from then on the publication counts as
    made, and a run killed half-way through the renames is completed by
    ``recover`` at the start of the next run.
    """
    moves = [[str(files.serving_new), str(files.serving)], [str(files.build),
                                                             str(files.warehouse)]]
    link = None
    if files.parquet is not None:
        moves.append([str(files.parquet_new(publication.publication_id)),
                      str(files.parquet / str(publication.publication_id))])
        link = str(publication.publication_id)
    journal = {"publication_id": publication.publication_id, "moves": moves,
               "parquet_current": link}
    pending = files.journal.with_name(files.journal.name + ".tmp")
    pending.write_text(json.dumps(journal, indent=2), encoding="utf-8")
    fsync_path(pending)
    os.replace(pending, files.journal)
    fsync_path(files.work)
    failpoint("commit:journal")
    if holder is not None:
        holder.close()
    _roll_forward(files, journal)


def _roll_forward(files: Files, journal: dict[str, Any]) -> None:
    """Do the journal's renames that are not done yet (each is idempotent)."""
    for number, (source, target) in enumerate(journal["moves"], start=1):
        source_path, target_path = Path(source), Path(target)
        if source_path.exists():
            # the old file's log must not be replayed into the new file
            remove_path(wal(target_path))
            target_path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source_path, target_path)
            fsync_path(target_path.parent)
        failpoint(f"commit:{number}")
    if journal.get("parquet_current") and files.parquet is not None:
        current = files.parquet / "current"
        pending = files.parquet / ".current.new"
        remove_path(pending)
        pending.symlink_to(journal["parquet_current"])
        os.replace(pending, current)
        _prune_parquet(files.parquet, int(journal["parquet_current"]))
    files.journal.unlink()
    fsync_path(files.work)


def _prune_parquet(folder: Path, current: int) -> None:
    kept = sorted((int(path.name) for path in folder.iterdir()
                   if path.is_dir() and path.name.isdigit() and int(path.name) <= current),
                  reverse=True)
    for old in kept[PARQUET_KEEP:]:
        shutil.rmtree(folder / str(old))


