"""Binning: numeric values into half-open ranges, categories into groups.

Plain, deterministic rules, so that a person can predict the bins:

- numeric (lead columns, custom attributes, activity counts): pre-bins at
  quantiles of the training values (cut points rounded to two significant
  digits for lead values, so bounds read "50 to under 500"); bins smaller
  than ``min_bin_share`` of the leads merge into the neighbour whose
  conversion rate is closest; then a monotonic trend (rising or falling,
  whichever keeps more information value) by merging adjacent bins that
  break it; then at most ``max_bins`` by merging the closest neighbours.
- categorical: categories rarer than ``min_bin_share`` pool into one
  "other" group (every value not listed, unseen ones included); groups are
  ordered by conversion rate and the closest neighbours merge until each
  has ``min_bin_share`` of the leads and there are at most ``max_bins``.
- neighbours with exactly the same conversion rate merge (nothing is lost).
- missing values are a bin of their own (``is_null``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

SMOOTHING = 0.5


@dataclass(frozen=True)
class Bin:
    """One bin: ``range`` [low, high) (None: open end), ``categories`` (a
    group of values; ``other`` True: every non-missing value not listed in
    the feature's other bins) or ``missing``."""

    kind: str
    count: int
    events: int
    low: float | None = None
    high: float | None = None
    categories: tuple[str, ...] = ()
    other: bool = False

    @property
    def rate(self) -> float:
        return self.events / self.count if self.count else 0.0


def woe(bin_: Bin, total_events: int, total_count: int) -> float:
    """Weight of evidence ln(share of events / share of non-events), smoothed."""
    non_events = total_count - total_events
    good = (bin_.events + SMOOTHING) / (total_events + SMOOTHING)
    bad = (bin_.count - bin_.events + SMOOTHING) / (non_events + SMOOTHING)
    return math.log(good / bad)


def information_value(bins: Sequence[Bin]) -> float:
    """Information value of a binning: sum of (event share - non-event share) * WoE."""
    total_count = sum(b.count for b in bins)
    total_events = sum(b.events for b in bins)
    non_events = total_count - total_events
    if total_events == 0 or non_events == 0:
        return 0.0
    value = 0.0
    for b in bins:
        share_events = b.events / total_events
        share_non = (b.count - b.events) / non_events
        value += (share_events - share_non) * woe(b, total_events, total_count)
    return value


def round_significant(value: float, digits: int = 2) -> float:
    """``value`` rounded to ``digits`` significant digits (0 stays 0)."""
    if value == 0 or not math.isfinite(value):
        return value
    exponent = math.floor(math.log10(abs(value)))
    return round(value, digits - 1 - exponent)


def _merge(left: Bin, right: Bin) -> Bin:
    if left.kind == "range":
        return replace(left, count=left.count + right.count,
                       events=left.events + right.events, high=right.high)
    return Bin("categories", left.count + right.count, left.events + right.events,
               categories=tuple(sorted(left.categories + right.categories)),
               other=left.other or right.other)


def _merge_small(bins: list[Bin], min_count: float) -> list[Bin]:
    bins = list(bins)
    while len(bins) > 1:
        small = [i for i, b in enumerate(bins) if b.count < min_count]
        if not small:
            break
        i = min(small, key=lambda k: (bins[k].count, k))
        if i == 0:
            j = 1
        elif i == len(bins) - 1:
            j = i - 1
        else:
            before = abs(bins[i - 1].rate - bins[i].rate)
            after = abs(bins[i + 1].rate - bins[i].rate)
            j = i - 1 if before <= after else i + 1
        first, second = min(i, j), max(i, j)
        bins[first:second + 1] = [_merge(bins[first], bins[second])]
    return bins


def _make_monotonic(bins: list[Bin], rising: bool) -> list[Bin]:
    bins = list(bins)
    changed = True
    while changed and len(bins) > 1:
        changed = False
        for i in range(len(bins) - 1):
            breaks = bins[i].rate > bins[i + 1].rate if rising else bins[i].rate < bins[i + 1].rate
            if breaks:
                bins[i:i + 2] = [_merge(bins[i], bins[i + 1])]
                changed = True
                break
    return bins


def _merge_equal(bins: list[Bin]) -> list[Bin]:
    """Adjacent bins with the same conversion rate are one (nothing is lost)."""
    merged: list[Bin] = []
    for b in bins:
        if merged and merged[-1].events * b.count == b.events * merged[-1].count:
            merged[-1] = _merge(merged[-1], b)
        else:
            merged.append(b)
    return merged


def _limit(bins: list[Bin], max_bins: int) -> list[Bin]:
    bins = list(bins)
    while len(bins) > max_bins:
        i = min(range(len(bins) - 1),
                key=lambda k: (abs(bins[k].rate - bins[k + 1].rate), k))
        bins[i:i + 2] = [_merge(bins[i], bins[i + 1])]
    return bins


def _missing_bin(values: Sequence[object], outcomes: Sequence[bool]) -> list[Bin]:
    missing = [y for v, y in zip(values, outcomes, strict=True) if v is None]
    return [Bin("missing", len(missing), sum(missing))] if missing else []


def numeric_bins(values: Sequence[float | None], outcomes: Sequence[bool], *,
                 max_bins: int = 5, min_bin_share: float = 0.05, prebins: int = 20,
                 round_cuts: bool = True) -> list[Bin]:
    """Monotonic half-open bins of ``values`` (None: missing, its own bin)."""
    n = len(values)
    pairs = sorted((float(v), bool(y)) for v, y in zip(values, outcomes, strict=True)
                   if v is not None)
    min_count = min_bin_share * n
    bins: list[Bin] = []
    if pairs:
        cuts: list[float] = []
        for i in range(1, prebins):
            cut = pairs[i * len(pairs) // prebins][0]
            if round_cuts:
                cut = round_significant(cut)
            if cut > pairs[0][0] and (not cuts or cut > cuts[-1]):
                cuts.append(cut)
        # a value most leads share (no activity: 0) still gets a bin of its own
        above = [x for x, _ in pairs if x > pairs[0][0]]
        if above and (not cuts or cuts[0] > above[0]):
            first = round_significant(above[0]) if round_cuts else above[0]
            if first > pairs[0][0]:
                cuts.insert(0, first)
        edges: list[float | None] = [None, *cuts, None]
        for low, high in zip(edges[:-1], edges[1:], strict=True):
            inside = [y for x, y in pairs
                      if (low is None or x >= low) and (high is None or x < high)]
            if inside:
                bins.append(Bin("range", len(inside), sum(inside), low=low, high=high))
        # adjacent bins cover each number once even after empty pre-bins are dropped
        for i in range(1, len(bins)):
            bins[i] = replace(bins[i], low=bins[i - 1].high)
        bins = _merge_small(bins, min_count)
        candidates = [_limit(_merge_equal(_make_monotonic(bins, rising)), max_bins)
                      for rising in (True, False)]
        bins = max(candidates, key=lambda c: (round(information_value(c), 12), -len(c)))
        bins[0] = replace(bins[0], low=None)
        bins[-1] = replace(bins[-1], high=None)
    return bins + _missing_bin(values, outcomes)


def categorical_bins(values: Sequence[str | None], outcomes: Sequence[bool], *,
                     max_bins: int = 5, min_bin_share: float = 0.05) -> list[Bin]:
    """Groups of categories ordered by conversion rate (None: missing, its own bin)."""
    n = len(values)
    min_count = min_bin_share * n
    counts: dict[str, list[int]] = {}
    for value, outcome in zip(values, outcomes, strict=True):
        if value is not None:
            entry = counts.setdefault(value, [0, 0])
            entry[0] += 1
            entry[1] += int(bool(outcome))
    groups = [Bin("categories", c, e, categories=(name,))
              for name, (c, e) in sorted(counts.items()) if c >= min_count]
    rare = [(c, e) for name, (c, e) in sorted(counts.items()) if c < min_count]
    if rare:
        groups.append(Bin("categories", sum(c for c, _ in rare), sum(e for _, e in rare),
                          other=True))
    groups.sort(key=lambda b: (b.rate, b.other, b.categories))
    groups = _limit(_merge_equal(_merge_small(groups, min_count)), max_bins)
    return groups + _missing_bin(values, outcomes)


def assign(bins: Sequence[Bin], value: object) -> int | None:
    """Index of the bin ``value`` falls in (numbers for ranges, text for
    categories), None when it falls in none (text that is not a number)."""
    for i, b in enumerate(bins):
        if b.kind == "missing":
            if value is None:
                return i
        elif value is None:
            continue
        elif b.kind == "range":
            if isinstance(value, (int, float)) and (b.low is None or value >= b.low) and (
                    b.high is None or value < b.high):
                return i
        elif value in b.categories:
            return i
    if value is not None and not isinstance(value, (int, float)):
        for i, b in enumerate(bins):
            if b.other:
                return i
    return None
