"""Fit a scorecard: bin every candidate feature, leave out likely leaks and
weak features, fit a logistic regression on the bins, and turn its
coefficients into scorecard rules (points scaled by ``scaling.Scale``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .binning import Bin, assign, categorical_bins, information_value, numeric_bins
from .features import Candidate, TrainingTable
from .scaling import Scale, relative_coefficients


class FitError(Exception):
    """The fit cannot run on this data (below the data floor, nothing to fit)."""


@dataclass(frozen=True)
class Options:
    min_conversions: int = 100
    max_bins: int = 5
    min_bin_share: float = 0.05
    # activity counts: rare but telling activities (a demo request) keep a bin
    min_count_bin_share: float = 0.01
    min_iv: float = 0.02
    max_features: int = 10
    leak_auc: float = 0.95
    leak_recorded_after_share: float = 0.5
    allow_features: tuple[str, ...] = ()
    regularization: float = 1.0
    scale: Scale = field(default_factory=Scale)


@dataclass
class FeatureReport:
    candidate: Candidate
    bins: list[Bin]
    iv: float
    auc: float
    leak: str | None = None
    selected: bool = False
    # the bin of each training lead: candidates that split the leads alike
    # (a page path and the content type it serves) are one feature
    partition: tuple[int, ...] = ()


@dataclass
class FittedFeature:
    candidate: Candidate
    bins: list[Bin]
    points: list[int]


@dataclass
class Fit:
    base_points: int
    features: list[FittedFeature]
    reports: list[FeatureReport]
    scale: Scale

    def score(self, table: TrainingTable, dimension: str | None = None) -> list[int]:
        """Each lead's total score under the fitted rules (or its fit or
        engagement score: the base rule counts as fit)."""
        base = self.base_points if dimension in (None, "fit") else 0
        scores = [base] * len(table.lead_ids)
        for feature in self.features:
            is_fit = feature.candidate.source != "activity"
            if dimension is not None and is_fit != (dimension == "fit"):
                continue
            column = table.values.get(feature.candidate)
            if column is None:
                continue
            for i, value in enumerate(column):
                k = assign(feature.bins, value)
                if k is not None:
                    scores[i] += feature.points[k]
        return scores


def auc(scores: list[float], outcomes: list[bool]) -> float | None:
    """Rank-based AUC (Mann-Whitney; ties count half), as agg_scorecard_comparison."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(outcomes)
    negatives = len(outcomes) - positives
    if positives == 0 or negatives == 0:
        return None
    rank_sum = sum(r for r, y in zip(ranks, outcomes, strict=True) if y)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def check_data_floor(table: TrainingTable, train_until: Any, minimum: int) -> None:
    """Stop, saying how many there are and how many are needed, below the floor."""
    converted = sum(table.outcomes)
    if converted < minimum:
        raise FitError(
            f"too little data to fit: {converted} converted leads decided on or before "
            f"{train_until} (of {len(table.outcomes)} leads with a known outcome); a fit needs "
            f"at least {minimum} (--min-conversions). Train on a later --train-until, "
            "or load more history.")


def bin_candidate(candidate: Candidate, values: list[Any], outcomes: list[bool],
                  options: Options) -> list[Bin]:
    if candidate.kind == "categorical":
        return categorical_bins(values, outcomes, max_bins=options.max_bins,
                                min_bin_share=options.min_bin_share)
    pairs = [(v, y) for v, y in zip(values, outcomes, strict=True)
             if v is None or isinstance(v, (int, float))]
    share = options.min_count_bin_share if candidate.kind == "count" else options.min_bin_share
    return numeric_bins([v for v, _ in pairs], [y for _, y in pairs],
                        max_bins=options.max_bins, min_bin_share=share,
                        round_cuts=candidate.kind == "numeric")


def screen(train: TrainingTable, options: Options) -> list[FeatureReport]:
    """Bins, information value, single-feature AUC and leak flags of every candidate."""
    reports = []
    for candidate in sorted(train.values, key=lambda c: c.key):
        values = train.values[candidate]
        bins = bin_candidate(candidate, values, train.outcomes, options)
        rates = [b.rate for b in bins]
        encoded = [-1.0 if k is None else rates[k] for k in (assign(bins, v) for v in values)]
        single_auc = auc(encoded, train.outcomes) or 0.5
        single_auc = max(single_auc, 1 - single_auc)
        assigned = [assign(bins, v) for v in values]
        report = FeatureReport(candidate, bins, information_value(bins), single_auc,
                               partition=tuple(-1 if k is None else k for k in assigned))
        share = (train.recorded_after_share.get(candidate.name)
                 if candidate.source == "attribute" else None)
        allowed = {candidate.name, candidate.key} & set(options.allow_features)
        if not allowed:
            if share is not None and share > options.leak_recorded_after_share:
                report.leak = (f"{share:.0%} of its values were recorded after the decision "
                               "date")
            elif single_auc > options.leak_auc:
                report.leak = f"on its own it has AUC {single_auc:.3f} (above {options.leak_auc})"
        reports.append(report)
    return reports


def select(reports: list[FeatureReport], options: Options) -> list[FeatureReport]:
    """The strongest candidates: no leaks, information value at least
    min_iv, one window per activity count, none that splits the leads as an
    already chosen one does, at most max_features of each dimension (fit:
    lead columns and attributes; engagement: activities)."""
    best: dict[str, FeatureReport] = {}
    for report in reports:
        if report.leak or report.iv < options.min_iv or len(report.bins) < 2:
            continue
        family = report.candidate.family
        if family not in best or report.iv > best[family].iv:
            best[family] = report
    chosen: list[FeatureReport] = []
    seen: set[tuple[int, ...]] = set()
    per_dimension: dict[bool, int] = {}
    for report in sorted(best.values(), key=lambda r: (-round(r.iv, 12), r.candidate.key)):
        is_fit = report.candidate.source != "activity"
        if report.partition in seen or per_dimension.get(is_fit, 0) >= options.max_features:
            continue
        seen.add(report.partition)
        per_dimension[is_fit] = per_dimension.get(is_fit, 0) + 1
        report.selected = True
        chosen.append(report)
    return sorted(chosen, key=lambda r: r.candidate.key)


def fit(train: TrainingTable, options: Options) -> Fit:
    """The fitted scorecard: logistic regression on the bins of the selected features."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    reports = screen(train, options)
    chosen = select(reports, options)
    if not chosen:
        raise FitError("no feature has enough information (information value at least "
                       f"{options.min_iv}) to fit a scorecard")
    columns: list[tuple[int, int]] = []
    for f, report in enumerate(chosen):
        columns += [(f, k) for k in range(len(report.bins))]
    matrix = np.zeros((len(train.lead_ids), len(columns)))
    position = {column: j for j, column in enumerate(columns)}
    for f, report in enumerate(chosen):
        for i, value in enumerate(train.values[report.candidate]):
            k = assign(report.bins, value)
            if k is not None:
                matrix[i, position[(f, k)]] = 1.0
    model = LogisticRegression(C=options.regularization, max_iter=5000, tol=1e-10)
    model.fit(matrix, np.array(train.outcomes, dtype=int))
    coefficients = [float(c) for c in model.coef_[0]]
    intercept = float(model.intercept_[0])
    features = []
    for f, report in enumerate(chosen):
        own = [coefficients[position[(f, k)]] for k in range(len(report.bins))]
        relative, shift = relative_coefficients(own, [b.count for b in report.bins])
        intercept += shift
        points = [options.scale.points(c) for c in relative]
        features.append(FittedFeature(report.candidate, report.bins, points))
    return Fit(options.scale.base_points(intercept), features, reports, options.scale)
