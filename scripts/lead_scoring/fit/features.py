"""The training table: each lead's features on its decision date, from the
dbt model ``fct_lead_decision_features`` (one row per lead and feature), as
candidate features with one value per lead."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

NUMBER = re.compile(r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?")
# lead columns the scorecard can test (SCORING_SPEC 1): a custom attribute of
# the same name is out of the scorecard's reach
LEAD_COLUMNS = frozenset({
    "lead_id", "email", "first_name", "last_name", "job_title", "seniority", "department",
    "company_name", "company_domain", "industry", "employee_count", "annual_revenue",
    "country", "city", "lead_source", "created_at", "updated_at", "is_deleted",
})
NUMERIC_SHARE = 0.9
NUMERIC_DISTINCT = 10


def to_number(text: str | None) -> float | None:
    """``text`` as a number as the scorecard reads it (plain decimals only)."""
    if text is None or not NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if abs(value) < 1e300 else None


@dataclass(frozen=True)
class Candidate:
    """A feature the fit may use: a lead column or custom attribute
    (``categorical`` or ``numeric``), or a count of activities (``count``) of
    a type, optionally filtered on one field, within ``window_days`` (None:
    every activity up to the decision date)."""

    source: str
    name: str
    kind: str
    filter_field: str | None = None
    filter_value: str | None = None
    window_days: int | None = None

    @property
    def key(self) -> str:
        parts = [self.source, self.name]
        if self.filter_field:
            parts.append(f"{self.filter_field}={self.filter_value}")
        if self.source == "activity":
            parts.append(f"{self.window_days}d" if self.window_days is not None else "all")
        return ":".join(parts)

    @property
    def family(self) -> str:
        """Candidates of one family are alternatives (the windows of a count)."""
        return self.key.rsplit(":", 1)[0] if self.source == "activity" else self.key


@dataclass
class TrainingTable:
    """Leads with a known outcome, their features, and what the leak guard needs."""

    lead_ids: list[str]
    decision_dates: list[date]
    outcomes: list[bool]
    values: dict[Candidate, list[Any]] = field(default_factory=dict)
    # custom attribute -> share of the leads holding it whose value was only
    # recorded after their decision date
    recorded_after_share: dict[str, float] = field(default_factory=dict)
    windows: tuple[int, ...] = ()

    def subset(self, keep: Callable[[int], bool]) -> TrainingTable:
        rows = [i for i in range(len(self.lead_ids)) if keep(i)]
        return TrainingTable(
            [self.lead_ids[i] for i in rows], [self.decision_dates[i] for i in rows],
            [self.outcomes[i] for i in rows],
            {c: [v[i] for i in rows] for c, v in self.values.items()},
            self.recorded_after_share, self.windows)




def table_from_rows(rows: list[dict[str, Any]], *, min_share: float = 0.01,
                    max_filter_values: int = 5) -> TrainingTable:
    """Candidate features from the rows of fct_lead_decision_features (decided
    leads only). Leads without a lead version on their decision date have no
    score that day and are left out. Activity filters: per activity type and
    field, the values at least ``min_share`` of the leads have (at most
    ``max_filter_values``, the most common first)."""
    windows = tuple(sorted(
        int(name[len("activity_count_"):-1]) for name in (rows[0] if rows else {})
        if re.fullmatch(r"activity_count_[0-9]+d", name)))
    leads: dict[str, tuple[date, bool]] = {}
    for row in rows:
        if row["feature_source"] == "lead":
            leads[row["lead_id"]] = (row["decision_date"], bool(row["is_converted"]))
    lead_ids = sorted(leads)
    index = {lead_id: i for i, lead_id in enumerate(lead_ids)}
    n = len(lead_ids)
    table = TrainingTable(lead_ids, [leads[k][0] for k in lead_ids],
                          [leads[k][1] for k in lead_ids], windows=windows)
    texts: dict[tuple[str, str], list[str | None]] = {}
    after: dict[str, list[int]] = {}
    counts: dict[tuple[str, str | None, str | None], dict[int, dict[int | None, int]]] = {}
    for row in rows:
        i = index.get(row["lead_id"])
        if i is None:
            continue
        source, name = row["feature_source"], row["feature_name"]
        if source in ("lead", "attribute"):
            if source == "attribute":
                if name in LEAD_COLUMNS:
                    continue
                seen = after.setdefault(name, [0, 0])
                seen[0] += 1
                seen[1] += int(bool(row["is_recorded_after_decision"]))
            texts.setdefault((source, name), [None] * n)[i] = row["value_text"]
        else:
            per_window = {w: int(row[f"activity_count_{w}d"] or 0) for w in windows}
            per_window[None] = int(row["activity_count_all"] or 0)
            counts.setdefault((name, row["filter_field"], row["filter_value"]), {})[i] = per_window
    table.recorded_after_share = {name: late / total for name, (total, late) in after.items()}
    for (source, name), column in sorted(texts.items()):
        present = [v for v in column if v is not None]
        numbers = [to_number(v) for v in present]
        numeric = (present and sum(x is not None for x in numbers) >= NUMERIC_SHARE * len(present)
                   and len({x for x in numbers if x is not None}) >= NUMERIC_DISTINCT)
        if numeric:
            # text that is not a number matches no numeric rule: kept as text
            values: list[Any] = [None if v is None else (to_number(v) if to_number(v) is not None
                                                         else v) for v in column]
            table.values[Candidate(source, name, "numeric")] = values
        else:
            table.values[Candidate(source, name, "categorical")] = list(column)
    kept: dict[tuple[str, str | None], int] = {}
    for (activity_type, filter_field, filter_value), per_lead in sorted(
            counts.items(), key=lambda item: (item[0][0], item[0][1] or "", -len(item[1]),
                                              item[0][2] or "")):
        if len(per_lead) < min_share * n:
            continue
        if filter_field is not None:
            if kept.get((activity_type, filter_field), 0) >= max_filter_values:
                continue
            kept[(activity_type, filter_field)] = kept.get((activity_type, filter_field), 0) + 1
        for window in (*windows, None):
            column = [0] * n
            for i, per_window in per_lead.items():
                column[i] = per_window[window]
            candidate = Candidate("activity", activity_type, "count", filter_field,
                                  filter_value, window)
            table.values[candidate] = column
    return table
