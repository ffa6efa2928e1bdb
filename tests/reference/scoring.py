"""Independent Python reference implementation of the lead-scoring contract.

Implements sections 1-3 and 5 (market lookup) of ``SCORING_SPEC.md`` with the
interpretation decisions recorded in the test-suite brief. Every input is a
list of dicts of text values (str or None), in load order, exactly as read
from CSV files. Standard library only.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

Row = dict[str, str | None]

# fmt: off
LEAD_COLUMNS = frozenset({
    "lead_id", "email", "first_name", "last_name", "job_title", "seniority",
    "department", "company_name", "company_domain", "industry",
    "employee_count", "annual_revenue", "country", "city", "lead_source",
    "created_at", "updated_at", "is_deleted",
})
# fmt: on
ACTIVITY_PROPERTIES = frozenset(
    {"page_path", "content_type", "campaign_id", "email_id", "event_type"}
)
TRUE_WORDS = frozenset({"true", "t", "1", "yes", "y"})
COMPARISONS = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}

# YYYY-MM-DD, optionally [T ]HH:MM[:SS[.f{1,6}]] and then an optional
# Z / +HH:MM / -HH:MM / +HHMM / +HH offset (an offset needs a time part).
_TIMESTAMP_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
    r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)


@dataclass
class ScoreRow:
    fit_score: float
    engagement_score: float
    total_score: float
    band: str | None
    grade: str | None
    total_unrounded: float


Key3 = tuple[str, str, str]  # (lead_id, scorecard_id, rule_id or score_group)


@dataclass
class Result:
    scores: dict[tuple[str, str], ScoreRow] = field(default_factory=dict)
    contributions: dict[Key3, float] = field(default_factory=dict)
    group_adjustments: dict[Key3, float] = field(default_factory=dict)
    activity_counts: dict[Key3, int] = field(default_factory=dict)
    quarantine: list[tuple[str, int, str]] = field(default_factory=list)


# ---------------------------------------------------------------- helpers


def read_csv_rows(path: str | Path) -> list[Row]:
    """Read a CSV file into dicts of text; an empty cell becomes None."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            {key: (value if value != "" else None) for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def norm(value: str | None) -> str:
    return "" if value is None else value.strip().lower()


def is_missing(value: str | None) -> bool:
    return norm(value) == ""


def ident(value: str | None) -> str:
    """Identifiers (lead_id, event_id, scorecard/rule/group ids): strip only."""
    return "" if value is None else value.strip()


def parse_timestamp(value: str | None) -> dt.datetime | None:
    """Parse an ISO 8601 timestamp to naive UTC; None if unparseable."""
    text = ident(value)
    if not _TIMESTAMP_RE.fullmatch(text):
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def parse_number(value: str | None) -> float | None:
    """float(norm(x)); None when absent, unparseable, nan or infinite."""
    try:
        number = float(norm(value))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def optional_number(row: Row, column: str) -> float | None:
    """An optional numeric scorecard column; empty or absent -> None."""
    value = row.get(column)
    return None if is_missing(value) else float(norm(value))


def version_key(stamp: dt.datetime | None, index: int) -> tuple:
    """Latest version wins; a missing stamp sorts oldest; ties -> load order."""
    return (stamp is not None, stamp or dt.datetime.min, index)


# ------------------------------------------------------------- operators


def matches(operator: str | None, actual: str | None, value: str | None) -> bool:
    """Test one attribute against a rule's operator and value (section 3.1)."""
    op = norm(operator)
    if op == "is_null":
        return is_missing(actual)
    if op == "is_not_null":
        return not is_missing(actual)
    if is_missing(actual):
        return False
    text = norm(actual)
    if op in COMPARISONS or op in ("between", "range"):
        return _numeric_match(op, actual, value)
    if op == "equals":
        return text == norm(value)
    if op == "not_equals":
        return text != norm(value)
    if op in ("in", "not_in"):
        parts = {norm(p) for p in (value or "").split("|") if norm(p)}
        return (text in parts) == (op == "in")
    if op == "contains":
        return norm(value) in text
    if op == "starts_with":
        return text.startswith(norm(value))
    raise ValueError(f"unknown operator {operator!r}")


def _numeric_match(op: str, actual: str | None, value: str | None) -> bool:
    number = parse_number(actual)
    if number is None:
        return False
    if op == "between":
        bounds = (value or "").split("|")
        if len(bounds) != 2:
            return False
        low, high = parse_number(bounds[0]), parse_number(bounds[1])
        return low is not None and high is not None and low <= number <= high
    if op == "range":
        # half-open low <= x < high; an empty side is an open end
        bounds = (value or "").split("|")
        if len(bounds) != 2:
            return False
        low, high = (parse_number(b) if b.strip() else None for b in bounds)
        return (low is None or low <= number) and (high is None or number < high)
    limit = parse_number(value)
    return limit is not None and COMPARISONS[op](number, limit)


# ------------------------------------------------------------ raw inputs


@dataclass
class Activity:
    activity_type: str
    age_days: int
    row: Row


@dataclass
class _Inputs:
    """Cleaned raw inputs and scorecard lookups shared by every scorecard."""

    attrs: dict[tuple[str, str], str | None]
    activities: dict[str, list[Activity]]
    country_markets: list[Row]
    group_caps: dict[tuple[str, str], tuple[float | None, float | None]]
    bands: list[Row]
    grades: list[Row]


def _on_or_before(stamp: dt.datetime | None, as_of: dt.date | None) -> bool:
    """Point in time: a version without a stamp always counts."""
    return as_of is None or stamp is None or stamp.date() <= as_of


def _current_leads(
    leads: list[Row], quarantine: list[tuple[str, int, str]], as_of: dt.date | None = None
) -> tuple[set[str], dict[str, Row]]:
    """Return (ids with a usable row, current non-deleted row per lead).

    With ``as_of`` (point in time), only versions written on or before that
    date count, and a lead created after it does not exist yet.
    """
    known: set[str] = set()
    best: dict[str, tuple[tuple, Row]] = {}
    for index, row in enumerate(leads):
        reason = None
        if is_missing(row.get("lead_id")):
            reason = "missing lead_id"
        else:
            for column in ("created_at", "updated_at"):
                value = row.get(column)
                if not is_missing(value) and parse_timestamp(value) is None:
                    reason = f"unparseable {column}"
                    break
        if reason:
            quarantine.append(("leads", index, reason))
            continue
        updated = parse_timestamp(row.get("updated_at"))
        written = updated or parse_timestamp(row.get("created_at"))
        lead_id = ident(row.get("lead_id"))
        known.add(lead_id)
        if not _on_or_before(written, as_of):
            continue
        # the latest updated_at wins; a row without one is the oldest
        key = version_key(updated, index)
        if lead_id not in best or key > best[lead_id][0]:
            best[lead_id] = (key, row)
    current = {
        lead_id: row
        for lead_id, (_, row) in best.items()
        if norm(row.get("is_deleted")) not in TRUE_WORDS
        and _on_or_before(parse_timestamp(row.get("created_at")), as_of)
    }
    return known, current


def _current_attributes(
    lead_attributes: list[Row],
    known: set[str],
    quarantine: list[tuple[str, int, str]],
    as_of: dt.date | None = None,
) -> dict[tuple[str, str], str | None]:
    """Current value per (lead_id, normalised attribute name)."""
    best: dict[tuple[str, str], tuple[tuple, str | None]] = {}
    for index, row in enumerate(lead_attributes):
        updated = row.get("updated_at")
        stamp = parse_timestamp(updated)
        reason = None
        if is_missing(row.get("lead_id")):
            reason = "missing lead_id"
        elif is_missing(row.get("attribute_name")):
            reason = "missing attribute_name"
        elif not is_missing(updated) and stamp is None:
            reason = "unparseable updated_at"
        elif ident(row.get("lead_id")) not in known:
            reason = "unknown lead"
        if reason:
            quarantine.append(("lead_attributes", index, reason))
            continue
        if not _on_or_before(stamp, as_of):
            continue
        key = (ident(row.get("lead_id")), norm(row.get("attribute_name")))
        version = version_key(stamp, index)
        if key not in best or version > best[key][0]:
            best[key] = (version, row.get("attribute_value"))
    return {key: value for key, (_, value) in best.items()}


def _usable_activities(
    events: list[Row],
    known: set[str],
    as_of: dt.date,
    quarantine: list[tuple[str, int, str]],
) -> dict[str, list[Activity]]:
    """Usable events per lead with their age in days (future ones kept)."""
    seen_ids: set[str] = set()
    per_lead: dict[str, list[Activity]] = {}
    for index, row in enumerate(events):
        occurred = row.get("occurred_at")
        stamp = parse_timestamp(occurred)
        event_id = ident(row.get("event_id"))
        reason = None
        if is_missing(row.get("lead_id")):
            reason = "missing lead_id"
        elif is_missing(occurred):
            reason = "missing occurred_at"
        elif stamp is None:
            reason = "unparseable occurred_at"
        elif event_id and event_id in seen_ids:
            # the first row of an event_id that passes the row checks is kept
            reason = "duplicate event_id"
        elif ident(row.get("lead_id")) not in known:
            reason = "unknown lead"
        if event_id and reason in (None, "unknown lead"):
            seen_ids.add(event_id)
        if reason:
            quarantine.append(("events", index, reason))
            continue
        assert stamp is not None
        activity = Activity(
            activity_type=norm(row.get("event_type")),
            age_days=(as_of - stamp.date()).days,
            row=row,
        )
        per_lead.setdefault(ident(row.get("lead_id")), []).append(activity)
    return per_lead


def lead_market(country: str | None, country_markets: list[Row]) -> str:
    """Section 5: code match wins over name match; no match -> 'unknown'."""
    wanted = norm(country)
    if not wanted:
        return "unknown"
    for column in ("country_code", "country_name"):
        for row in country_markets:
            if norm(row.get(column)) == wanted:
                return norm(row.get("market"))
    return "unknown"


# --------------------------------------------------------------- scoring


def _lead_rule_value(
    rule_field: str, lead: Row, lead_id: str, attrs: dict[tuple[str, str], str | None]
) -> str | None:
    name = norm(rule_field)
    if name in LEAD_COLUMNS:
        return lead.get(name)
    return attrs.get((lead_id, name))


def _activity_rule(
    rule: Row, activities: Iterable[Activity]
) -> tuple[bool, int, float]:
    """Return (applies, n, raw contribution) for an activity rule."""
    wanted_type = norm(rule.get("activity_type"))
    prop = norm(rule.get("field"))
    window = optional_number(rule, "window_days")
    ages = [
        activity.age_days
        for activity in activities
        if activity.activity_type == wanted_type
        and activity.age_days >= 0
        and (window is None or activity.age_days <= window)
        and (
            not prop
            or matches(
                rule.get("operator"),
                activity.row.get(prop) if prop in ACTIVITY_PROPERTIES else None,
                rule.get("value"),
            )
        )
    ]
    n = len(ages)
    min_count = optional_number(rule, "min_count")
    max_count = optional_number(rule, "max_count")
    if n < (1 if min_count is None else min_count):
        return False, n, 0.0
    if max_count is not None and n > max_count:
        return False, n, 0.0
    points = float(norm(rule.get("points")))
    half_life = optional_number(rule, "half_life_days")

    def decay(age: int) -> float:
        return 1.0 if half_life is None else 0.5 ** (age / half_life)

    if norm(rule.get("frequency")) == "each":
        return True, n, sum(points * decay(age) for age in ages)
    return True, n, (points * decay(min(ages)) if ages else points)


def _cap(x: float, max_points: float | None) -> float:
    if max_points is None or x == 0:
        return x
    return math.copysign(min(abs(x), max_points), x)


def _pick(
    rows: list[Row], scorecard: str, column: str, label: str, value: float
) -> str | None:
    """Label of the scorecard's row with the highest threshold not above
    round(value, 2); an empty threshold is the lowest. None if none fits."""
    best: tuple[float, str | None] | None = None
    for row in rows:
        if ident(row.get("scorecard_id")) != scorecard:
            continue
        threshold = optional_number(row, column)
        threshold = -math.inf if threshold is None else threshold
        if threshold <= round(value, 2) and (best is None or threshold > best[0]):
            best = (threshold, row.get(label))
    return None if best is None else best[1]


def _score_card(
    result: Result,
    lead_id: str,
    lead: Row,
    scorecard: str,
    card_rules: list[Row],
    inputs: _Inputs,
) -> None:
    """Score one current lead with one scorecard, filling ``result``."""
    market = lead_market(lead.get("country"), inputs.country_markets)
    lead_activities = inputs.activities.get(lead_id, [])
    group_sum: dict[str, float] = {}
    group_dim: dict[str, str] = {}
    for rule in card_rules:
        group = ident(rule.get("score_group"))
        group_sum.setdefault(group, 0.0)
        group_dim.setdefault(group, norm(rule.get("dimension")))
        rule_market = norm(rule.get("market"))
        if rule_market and rule_market != market:
            continue
        key = (lead_id, scorecard, ident(rule.get("rule_id")))
        if norm(rule.get("source")) == "activity":
            applies, n, raw = _activity_rule(rule, lead_activities)
            if not applies:
                continue
            result.activity_counts[key] = n
        else:
            actual = _lead_rule_value(
                rule.get("field") or "", lead, lead_id, inputs.attrs
            )
            if not matches(rule.get("operator"), actual, rule.get("value")):
                continue
            raw = float(norm(rule.get("points")))
        contribution = _cap(raw, optional_number(rule, "max_points"))
        result.contributions[key] = contribution
        group_sum[group] += contribution

    totals = {"fit": 0.0, "engagement": 0.0}
    for group, unclamped in group_sum.items():
        low, high = inputs.group_caps.get((scorecard, group), (None, None))
        clamped = unclamped if high is None else min(unclamped, high)
        clamped = clamped if low is None else max(clamped, low)
        if clamped != unclamped:
            result.group_adjustments[(lead_id, scorecard, group)] = clamped - unclamped
        totals[group_dim[group]] += clamped

    fit, total = totals["fit"], totals["fit"] + totals["engagement"]
    result.scores[(lead_id, scorecard)] = ScoreRow(
        fit_score=round(fit, 2),
        engagement_score=round(totals["engagement"], 2),
        total_score=round(total, 2),
        band=_pick(inputs.bands, scorecard, "min_score", "band", total),
        grade=_pick(inputs.grades, scorecard, "min_fit_score", "grade", fit),
        total_unrounded=total,
    )


def score(
    *,
    leads: list[Row],
    lead_attributes: list[Row],
    events: list[Row],
    rules: list[Row],
    groups: list[Row],
    bands: list[Row],
    grades: list[Row],
    country_markets: list[Row],
    as_of: dt.date,
    point_in_time: bool = False,
) -> Result:
    """Apply every scorecard in ``rules`` to every current lead.

    By default leads and custom attributes are their latest versions,
    whatever their date (SCORING_SPEC 1). ``point_in_time``: as they were on
    ``as_of`` (versions written on or before it, leads created by then).
    """
    result = Result()
    pit = as_of if point_in_time else None
    known, current = _current_leads(leads, result.quarantine, pit)
    inputs = _Inputs(
        attrs=_current_attributes(lead_attributes, known, result.quarantine, pit),
        activities=_usable_activities(events, known, as_of, result.quarantine),
        country_markets=country_markets,
        group_caps={
            (ident(g.get("scorecard_id")), ident(g.get("score_group"))): (
                optional_number(g, "min_points"),
                optional_number(g, "max_points"),
            )
            for g in groups
        },
        bands=bands,
        grades=grades,
    )
    card_rules: dict[str, list[Row]] = {}
    for rule in rules:
        card_rules.setdefault(ident(rule.get("scorecard_id")), []).append(rule)
    for lead_id, lead in current.items():
        for scorecard, rules_of_card in card_rules.items():
            _score_card(result, lead_id, lead, scorecard, rules_of_card, inputs)
    return result
