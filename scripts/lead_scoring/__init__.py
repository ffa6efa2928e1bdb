"""The lead-scoring orchestrator: one concern per module.

- ``cli``: the command line; subcommands register themselves in ``SUBCOMMANDS``;
- ``run``, ``backfill``: what the ``run``, ``backfill`` and ``history``
  subcommands do, step by step;
- ``dbt_client``: the one way to invoke dbt and to read a build;
- ``raw``: raw data present, or demo data generated and loaded;
- ``history``: the history and back-fill policy, as plain functions;
- ``audits``: the audits, read from dbt's ``run_results.json``;
- ``publication``: write-audit-publish files, lock and commit (no business
  rules), behind a ``Publisher`` chosen by target type;
- ``summary``, ``report``: what a run prints and the HTML page it writes.

``scripts/pipeline.py`` is the entry point.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
