"""Lead scoring in pandas: the dataframe peer of the dbt project in ``make bench``.

A vectorised implementation of SCORING_SPEC section 3 (with sections 1 and 5
where scoring needs them), written the way a data scientist would: read the raw
Parquet files, keep each lead's and attribute's latest version, and apply every
rule of every scorecard with numpy over whole columns. Loops run over rules,
scorecards and distinct values, never over leads or events.

- Current leads: the latest ``updated_at`` per ``lead_id`` (a missing stamp is
  the oldest, ties go to the last row in file order); a lead whose current row
  has ``is_deleted`` true is gone. Custom attributes: the latest row per lead and
  attribute name.
- Unusable rows are dropped, as the spec's quarantine would keep them out of
  scoring: rows without ``lead_id``, unparseable timestamps, repeated
  ``event_id`` (the first usable row wins), events of leads that do not exist.
- Market: the lead's ``country`` against ``country_code`` first, then
  ``country_name`` (case and surrounding spaces ignored), else ``unknown``.
- Text tests ignore case and surrounding spaces; ``gt``/``gte``/``lt``/``lte``/
  ``between``/``range`` (half-open, ``low <= x < high``, an empty side open)
  compare numbers and do not match a non-number; a missing (null or blank)
  value matches ``is_null`` only.
- Activities count when on or before the as-of date; ``age_days`` is whole days
  from the UTC date of the activity to the as-of date.
- Published scores are rounded to 2 decimals at the end (as Python's ``round``);
  bands and grades are picked on the rounded scores. A band row with a
  ``market`` applies to that market's leads, which then use only their market's
  rows (the dbt project's extension of the band seed); otherwise the rows with an
  empty market.

Usage::

    python scripts/bench/pandas_scorer.py --raw /tmp/clean --as-of 2025-06-30 \\
        --out /tmp/scores_pandas.parquet
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: python scripts/bench/pandas_scorer.py
    sys.path.insert(0, str(ROOT))

from scripts.bench.pandas_inputs import (  # noqa: E402
    ACTIVITY_PROPERTIES,
    DEFAULT_COUNTRY_MARKETS,
    DEFAULT_SEEDS,
    LEAD_COLUMNS,
    OUTPUT_COLUMNS,
    TRUE_WORDS,
    Coded,
    Scorecards,
    _column,
    _ident,
    _latest,
    _norm,
    _normalized,
    _optional,
    load_scorecards,
    parse_timestamps,
    read_raw,
    read_seed,
)

# ------------------------------------------------------------------ raw inputs


def current_leads(leads: pd.DataFrame) -> pd.DataFrame:
    """The current row of every lead whose current row is not deleted.

    Rows without lead_id or with an unparseable created_at / updated_at are not
    versions. Returned with lead_id stripped and a fresh 0..n-1 index: the lead's
    position in every array below.
    """
    lead = Coded.of(leads["lead_id"], lower=False)
    key, _ = lead.keys()
    updated, bad_updated = parse_timestamps(_column(leads, "updated_at"))
    _, bad_created = parse_timestamps(_column(leads, "created_at"))
    rows = np.flatnonzero((key >= 0) & ~bad_updated & ~bad_created)
    latest = _latest(rows, key, updated)
    deleted = Coded.of(_column(leads, "is_deleted")).take(latest).matches(
        "in", "|".join(TRUE_WORDS))
    current = latest[~deleted]
    frame = leads.iloc[current].reset_index(drop=True)
    frame["lead_id"] = lead.texts[lead.codes[current]]
    return frame


@dataclass(frozen=True)
class Attributes:
    """The current value of each custom attribute of the current leads."""

    lead: np.ndarray  # position among the current leads
    name: np.ndarray  # normalised attribute name
    value: np.ndarray


def current_attributes(attributes: pd.DataFrame, lead_ids: pd.Index) -> Attributes:
    """The latest row per lead and attribute name (the name's case and spaces
    ignored); rows without lead or name, or with an unparseable updated_at, are
    not versions."""
    lead = Coded.of(attributes["lead_id"], lower=False).lookup(lead_ids)
    name_key, names = Coded.of(attributes["attribute_name"]).keys()
    updated, bad_updated = parse_timestamps(attributes["updated_at"])
    rows = np.flatnonzero((lead >= 0) & (name_key >= 0) & ~bad_updated)
    key = lead * max(len(names), 1) + name_key
    latest = _latest(rows, key, updated)
    return Attributes(lead[latest], names[name_key[latest]],
                      attributes["attribute_value"].to_numpy(dtype=object)[latest])


@dataclass(frozen=True)
class Activities:
    """Usable events of current leads on or before the as-of date, as arrays."""

    lead: np.ndarray  # position of the lead among the current leads
    age_days: np.ndarray
    by_type: dict[str, np.ndarray]  # normalised activity type -> positions here
    properties: dict[str, Coded]


def usable_activities(events: pd.DataFrame, lead_ids: pd.Index, as_of: date,
                      properties: Sequence[str]) -> Activities:
    """Drop unusable events (no lead_id, bad timestamp, repeated event_id), keep
    those of current leads (`lead_ids`) on or before `as_of`, with their age.

    An event of an unknown lead still claims its event_id, as in the quarantine;
    it is then dropped with the events of deleted leads: neither is current.
    """
    lead_ids_of_events = Coded.of(events["lead_id"], lower=False)
    occurred, _ = parse_timestamps(events["occurred_at"])
    usable = ~lead_ids_of_events.missing & ~np.isnat(occurred)
    rows = np.flatnonzero(usable)
    event_id = events["event_id"] if usable.all() else events["event_id"].iloc[rows]
    if not event_id.is_unique:  # the first usable row of an event_id claims it
        repeated = event_id.duplicated(keep="first") & event_id.fillna("").ne("")
        rows = rows[~repeated.to_numpy()]
    lead = lead_ids_of_events.take(rows).lookup(lead_ids)
    age_days = (np.datetime64(as_of, "D") - occurred[rows].astype("datetime64[D]")).astype(
        np.int64)
    keep = (lead >= 0) & (age_days >= 0)
    rows, lead, age_days = rows[keep], lead[keep], age_days[keep]

    types = Coded.of(events["event_type"]).take(rows)
    type_key, type_texts = types.keys()
    by_type = {text: np.flatnonzero(type_key == key) for key, text in enumerate(type_texts)}
    coded = {name: Coded.of(_column(events, name)).take(rows) for name in properties}
    return Activities(lead, age_days, by_type, coded)


def lead_markets(countries: pd.Series, country_markets: pd.DataFrame) -> np.ndarray:
    """SCORING_SPEC 5: code match first, then name match, else 'unknown'."""
    lookup: dict[str, str] = {}
    for column in ("country_name", "country_code"):  # codes last: they win
        keys = _normalized(country_markets[column].to_numpy())
        markets = _normalized(country_markets["market"].to_numpy())
        first = {}
        for key, market in zip(keys, markets, strict=True):
            if key:
                first.setdefault(key, market)
        lookup.update(first)
    coded = Coded.of(countries.to_numpy())
    per_value = np.array([lookup.get(text, "unknown") for text in coded.texts] + ["unknown"],
                         dtype=object)
    return per_value[coded.codes]


# ------------------------------------------------------------------ scoring


def _cap(values: np.ndarray, max_points: float | None) -> np.ndarray:
    if max_points is None:
        return values
    return np.sign(values) * np.minimum(np.abs(values), max_points)


def round2(values: np.ndarray) -> np.ndarray:
    """round(x, 2) exactly as Python rounds floats (the reference's rounding).

    numpy's round scales by 100 first, which can tip values within an ulp of a
    half cent; those few are rounded by Python.
    """
    values = np.asarray(values, dtype=float)
    rounded = np.round(values, 2)
    near_half = np.abs(np.abs(values * 100) % 1 - 0.5) < 1e-6
    for i in np.flatnonzero(near_half):
        rounded[i] = round(float(values[i]), 2)
    return rounded + 0.0  # no -0.0


def _thresholds(rows: pd.DataFrame, column: str, label: str) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct thresholds (empty: -inf) and their labels (first row wins)."""
    limits = np.array([-math.inf if _norm(v) == "" else float(_norm(v))
                       for v in rows[column]], dtype=float)
    labels = rows[label].to_numpy(dtype=object)
    order = np.argsort(limits, kind="stable")
    limits, labels = limits[order], labels[order]
    first = np.ones(len(limits), dtype=bool)
    first[1:] = limits[1:] != limits[:-1]
    return limits[first], labels[first]


def _pick(values: np.ndarray, rows: pd.DataFrame, column: str, label: str) -> np.ndarray:
    """Label of the highest threshold not above each value; None below them all."""
    limits, labels = _thresholds(rows, column, label)
    position = np.searchsorted(limits, values, side="right") - 1
    return np.append(labels, None)[np.where(position >= 0, position, len(labels))]


def _pick_by_market(values: np.ndarray, markets: np.ndarray, rows: pd.DataFrame,
                    column: str, label: str) -> np.ndarray:
    """Bands: rows with a market serve that market's leads, the others the rest."""
    row_market = (_normalized(rows["market"].to_numpy()) if "market" in rows.columns
                  else np.full(len(rows), "", dtype=object))
    picked = _pick(values, rows[row_market == ""], column, label)
    for market in sorted(set(row_market) - {""}):
        mine = markets == market
        picked[mine] = _pick(values[mine], rows[row_market == market], column, label)
    return picked


class _LeadValues:
    """Coded lead columns and custom attributes of the current leads, on demand."""

    def __init__(self, leads: pd.DataFrame, attributes: Attributes) -> None:
        self.leads = leads
        self.attributes = attributes
        self.cache: dict[str, Coded] = {}

    def __getitem__(self, field: str) -> Coded:
        if field not in self.cache:
            if field in LEAD_COLUMNS:
                self.cache[field] = Coded.of(_column(self.leads, field))
            else:  # a custom attribute: missing for leads without it
                mine = self.attributes.name == field
                values = np.full(len(self.leads), None, dtype=object)
                values[self.attributes.lead[mine]] = self.attributes.value[mine]
                self.cache[field] = Coded.of(values)
        return self.cache[field]


def _activity_points(rule: dict[str, object], activities: Activities,
                     n_leads: int) -> tuple[np.ndarray, np.ndarray]:
    """(applies, raw contribution) per lead for one activity rule (SCORING_SPEC 3.3)."""
    rows = activities.by_type.get(_norm(rule.get("activity_type")), np.empty(0, np.int64))
    field = _norm(rule.get("field"))
    if field:
        if field in activities.properties:
            ok = activities.properties[field].take(rows).matches(
                _norm(rule.get("operator")), rule.get("value"))
        else:  # not a property of an activity: always missing
            ok = np.full(len(rows), _norm(rule.get("operator")) == "is_null")
        rows = rows[ok]
    window = _optional(rule, "window_days")
    if window is not None:
        rows = rows[activities.age_days[rows] <= window]
    lead, age = activities.lead[rows], activities.age_days[rows]
    count = np.bincount(lead, minlength=n_leads)
    min_count, max_count = _optional(rule, "min_count"), _optional(rule, "max_count")
    applies = count >= (1 if min_count is None else min_count)
    if max_count is not None:
        applies &= count <= max_count
    points = float(_norm(rule.get("points")))
    half_life = _optional(rule, "half_life_days")
    if _norm(rule.get("frequency")) == "each":
        weights = points if half_life is None else points * 0.5 ** (age / half_life)
        raw = np.bincount(lead, weights=np.broadcast_to(weights, age.shape),
                          minlength=n_leads)
    elif half_life is None:
        raw = np.full(n_leads, points)
    else:
        newest = np.full(n_leads, np.inf)
        np.minimum.at(newest, lead, age)
        with np.errstate(over="ignore"):
            raw = np.where(count > 0, points * 0.5 ** (newest / half_life), points)
    return applies, raw


def _score_card(card: str, rules: pd.DataFrame, scorecards: Scorecards,
                values: _LeadValues, activities: Activities,
                markets: np.ndarray) -> pd.DataFrame:
    """One scorecard applied to every current lead."""
    n_leads = len(markets)
    group_points: dict[str, np.ndarray] = {}
    group_dimension: dict[str, str] = {}
    for rule in rules.to_dict("records"):
        group = _ident(rule.get("score_group"))
        group_points.setdefault(group, np.zeros(n_leads))
        group_dimension.setdefault(group, _norm(rule.get("dimension")))
        if _norm(rule.get("source")) == "activity":
            applies, raw = _activity_points(rule, activities, n_leads)
        else:
            applies = values[_norm(rule.get("field"))].matches(
                _norm(rule.get("operator")), rule.get("value"))
            raw = np.full(n_leads, float(_norm(rule.get("points"))))
        market = _norm(rule.get("market"))
        if market:
            applies = applies & (markets == market)
        group_points[group] += np.where(applies, _cap(raw, _optional(rule, "max_points")), 0.0)

    groups = scorecards.groups
    caps = {_ident(row.get("score_group")): row  # a repeated group: the last row
            for row in groups[groups["scorecard_id"].map(_ident) == card].to_dict("records")}
    totals = {"fit": np.zeros(n_leads), "engagement": np.zeros(n_leads)}
    for group, points in group_points.items():
        cap = caps.get(group, {})
        high, low = _optional(cap, "max_points"), _optional(cap, "min_points")
        points = points if high is None else np.minimum(points, high)
        points = points if low is None else np.maximum(points, low)
        totals[group_dimension[group]] = totals[group_dimension[group]] + points

    fit = round2(totals["fit"])
    engagement = round2(totals["engagement"])
    total = round2(totals["fit"] + totals["engagement"])
    bands = scorecards.bands[scorecards.bands["scorecard_id"].map(_ident) == card]
    grades = scorecards.grades[scorecards.grades["scorecard_id"].map(_ident) == card]
    return pd.DataFrame({
        "lead_id": values.leads["lead_id"].to_numpy(dtype=object),
        "scorecard_id": card,
        "fit_score": fit,
        "engagement_score": engagement,
        "total_score": total,
        "band": _pick_by_market(total, markets, bands, "min_score", "band"),
        "grade": _pick(fit, grades, "min_fit_score", "grade"),
    })


def score(leads: pd.DataFrame, lead_attributes: pd.DataFrame, events: pd.DataFrame,
          scorecards: Scorecards, country_markets: pd.DataFrame,
          as_of: date) -> pd.DataFrame:
    """Every current lead scored by every scorecard: one row per lead and scorecard."""
    rules = scorecards.rules
    current = current_leads(leads)
    lead_ids = pd.Index(current["lead_id"])
    attributes = current_attributes(lead_attributes, lead_ids)
    activity_rules = rules[rules["source"].map(_norm) == "activity"]
    properties = sorted({_norm(f) for f in _column(activity_rules, "field")}
                        & set(ACTIVITY_PROPERTIES))
    activities = usable_activities(events, lead_ids, as_of, properties)
    markets = lead_markets(_column(current, "country"), country_markets)
    values = _LeadValues(current, attributes)
    card_ids = rules["scorecard_id"].map(_ident)
    frames = [_score_card(card, rules[card_ids == card], scorecards, values, activities,
                          markets)
              for card in card_ids.unique()]
    if not frames:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    return pd.concat(frames, ignore_index=True)[OUTPUT_COLUMNS]


def score_raw_dir(raw_dir: Path, as_of: date, scorecards: Scorecards | None = None,
                  country_markets: Path = DEFAULT_COUNTRY_MARKETS) -> pd.DataFrame:
    """Read the raw Parquet files and the seeds, then `score`."""
    raw = read_raw(raw_dir)
    return score(raw["leads"], raw["lead_attributes"], raw["events"],
                 scorecards or load_scorecards(), read_seed(country_markets), as_of)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, required=True,
                        help="directory with leads/lead_attributes/events.parquet")
    parser.add_argument("--as-of", type=date.fromisoformat, required=True,
                        help="as-of date, YYYY-MM-DD")
    parser.add_argument("--out", type=Path, required=True, help="scores Parquet file")
    for name, default in DEFAULT_SEEDS.items():
        parser.add_argument(f"--{name}", type=Path, default=default,
                            help=f"scorecard_{name}.csv")
    parser.add_argument("--country-markets", type=Path, default=DEFAULT_COUNTRY_MARKETS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    scorecards = load_scorecards(args.rules, args.groups, args.bands, args.grades)
    scores = score_raw_dir(args.raw, args.as_of, scorecards, args.country_markets)
    elapsed = time.perf_counter() - started  # reading and scoring, not writing
    args.out.parent.mkdir(parents=True, exist_ok=True)
    scores.to_parquet(args.out, index=False)
    print(f"pandas_scorer: {len(scores)} scores in {elapsed:.2f}s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
