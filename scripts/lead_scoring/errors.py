"""Exit codes and the one error the orchestrator raises for "cannot run"."""

from __future__ import annotations

EXIT_OK, EXIT_FAILED, EXIT_CANNOT_RUN, EXIT_BUSY = 0, 1, 2, 3


class PipelineError(Exception):
    """The pipeline cannot run; the message says what and where."""


class MissingRelation(PipelineError):
    """A relation a reader was asked for is not in the warehouse (not built yet)."""
