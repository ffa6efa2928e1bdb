"""The score history's policy, as plain functions: which days a run or a backfill
scores, with which dbt vars and selection. Nothing here runs dbt.

- A first run (no history yet) may back-fill the ``history_days`` before its
  as-of date, point in time, firing nothing (``first_fill``).
- A daily run scores its as-of date; when days were missed since the last
  run, up to ``MAX_GAP_DAYS`` of them are scored too (``missed_days``).
- A backfill rebuilds a range point in time and fires nothing
  (``backfill_build``).
- The first run that builds the trigger log switches triggers on and fires
  nothing (the dbt model decides; ``has_trigger_log`` tells the summary).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from scripts.lead_scoring.errors import MissingRelation, PipelineError

# a daily run fills at most this many missed days; longer gaps need a backfill
MAX_GAP_DAYS = 366
# the first run on freshly generated demo data back-fills its 15 months
DEMO_HISTORY_DAYS = 456
HISTORY_MODEL = "fct_lead_score_history"
TRIGGER_LOG_MODEL = "fct_lead_score_trigger_log"
# a backfill leaves them alone: it fires nothing, and they are of the last run
TRIGGER_MODELS = (TRIGGER_LOG_MODEL, "fct_lead_score_triggers",
                  "fct_lead_score_trigger_standing", "rpt_trigger_standing")


@dataclass(frozen=True)
class Fill:
    """Days to score before the run's own build, each lead as it was then."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def first_fill(last_day: date | None, as_of: date, history_days: int | None,
               demo_loaded: bool) -> Fill | None:
    """The back-fill of a first run: the ``history_days`` (default: the demo's 15
    months when demo data was just loaded, else none) before ``as_of``."""
    if history_days is not None and history_days < 0:
        raise PipelineError(f"--history-days must be 0 or more, got {history_days}")
    if history_days is None:
        history_days = DEMO_HISTORY_DAYS if demo_loaded else 0
    if last_day is not None or history_days == 0:
        return None
    return Fill(as_of - timedelta(days=history_days), as_of - timedelta(days=1))


@dataclass(frozen=True)
class MissedDays:
    """What a daily run adds besides its as-of date."""

    dbt_vars: dict[str, Any]
    message: str | None
    is_warning: bool = False


def missed_days(last_day: date | None, as_of: date) -> MissedDays:
    """Days missed since the last run are scored too, each lead as it was on each
    day, so that the history and the triggers have no gaps; a gap longer than
    MAX_GAP_DAYS is left to an explicit backfill."""
    gap = (as_of - last_day).days if last_day is not None else 0
    if gap > MAX_GAP_DAYS:
        return MissedDays({}, f"warning: the history ends on {last_day}, {gap} days ago; "
                              f"only {as_of} is scored (fill the gap with "
                              "`pipeline.py backfill`)", is_warning=True)
    if gap > 1 and last_day is not None:
        return MissedDays({"history_start": (last_day + timedelta(days=1)).isoformat(),
                           "score_current_lead_state": False},
                          f"the history ends on {last_day}: scoring the {gap} days since")
    return MissedDays({}, None)


def backfill_build(start: date, end: date, full_refresh: bool = False,
                   downstream: bool = True, from_scratch: bool = False
                   ) -> tuple[dict[str, Any], list[str]]:
    """The dbt vars and ``build`` arguments that score every day from start to end
    into the history, point in time, firing nothing.

    downstream=False builds the history alone (a first run's fill: the marts
    after it read today's scores, which the run's own build makes next).
    from_scratch: the build starts empty (Spark), so what the models after
    the history read is built too (``@``); the trigger outbox, which a
    backfill leaves alone, comes from the last publication
    (``BACKFILL_KEEPS``).
    """
    if start > end:
        raise PipelineError(f"--from {start} is after --to {end}")
    dbt_vars: dict[str, Any] = {
        "score_as_of": end.isoformat(), "history_start": start.isoformat(),
        "score_current_lead_state": False, "fire_triggers": False,
    }
    if not downstream:
        selection = f"+{HISTORY_MODEL}"
    elif from_scratch:
        selection = f"@{HISTORY_MODEL}"
    else:
        selection = f"+{HISTORY_MODEL} {HISTORY_MODEL}+"
    command = [
        "build", "--select", selection,
        # what a run fires, and where leads stand against the triggers
        "--exclude", " ".join(TRIGGER_MODELS),
        "--exclude-resource-type", "unit_test",
        # tests that also read models outside the selection stay out
        "--indirect-selection", "cautious",
    ]
    if full_refresh:
        # the history keeps its days through a plain --full-refresh;
        # only a backfill asked to may drop them
        dbt_vars["rebuild_history"] = True
        command.append("--full-refresh")
    return dbt_vars, command


def last_history_date(reader: Any) -> date | None:
    """The last day in the score history of a build (``dbt_client.BuildReader``),
    or None before the first run."""
    try:
        rows = reader.rows(HISTORY_MODEL, order_by=("score_date desc",), limit=1)
    except MissingRelation:
        return None
    value = rows[0]["score_date"] if rows else None
    return date.fromisoformat(str(value)[:10]) if value else None


def has_trigger_log(reader: Any) -> bool:
    """Whether an earlier run switched triggers on: built the trigger log, which a
    first run creates without firing (``dbt_client.BuildReader``)."""
    try:
        reader.rows(TRIGGER_LOG_MODEL, limit=1)
    except MissingRelation:
        return False
    return True
