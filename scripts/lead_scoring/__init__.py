"""The lead-scoring orchestrator: one concern per module.

- ``cli``: the command line; subcommands register themselves in ``SUBCOMMANDS``;
- ``run``, ``backfill``: what the ``run``, ``backfill`` and ``history``
  subcommands do, step by step;
- ``dbt_client``: the one way to invoke dbt and to read a build;
- ``raw``: raw data present, or demo data generated and loaded;
- ``history``: the history and back-fill policy, as plain functions;
- ``audits``: the audits, read from dbt's ``run_results.json``;
- ``publication``: write-audit-publish steps, lock and what every engine's
  publication records (no business rules), behind a ``Publisher`` chosen by
  target type: ``duckdb_publication`` (with ``duckdb_files``: build copy,
  serving file, commit journal) and ``spark_publication`` (with
  ``spark_catalog`` and ``spark_sql``: per-run build schemas, the
  publication log, views of schema ``marts``);
- ``spark_cluster``: a standalone Spark cluster with a Thrift server on this
  machine (tests, trying the ``spark_cluster`` target by hand);
- ``summary``, ``report``: what a run prints and the HTML page it writes.

``scripts/pipeline.py`` is the entry point.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
