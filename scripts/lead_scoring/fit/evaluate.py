"""How well a scorecard ranks and predicts: AUC, KS, Brier score and
calibration by decile; and where the fitted bands and grades go."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .model import auc
from .scaling import Scale


@dataclass(frozen=True)
class Decile:
    decile: int
    lead_count: int
    predicted_rate: float
    observed_rate: float
    min_score: float
    max_score: float


@dataclass(frozen=True)
class Figures:
    lead_count: int
    converted_count: int
    auc: float | None
    ks: float | None
    brier: float
    deciles: list[Decile]


def ks_statistic(scores: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Largest gap between the converted and the other leads' score distributions."""
    positives = sum(outcomes)
    negatives = len(outcomes) - positives
    if positives == 0 or negatives == 0:
        return None
    pairs = sorted(zip(scores, outcomes, strict=True), key=lambda p: -p[0])
    best = tp = fp = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            tp += pairs[j][1]
            fp += not pairs[j][1]
            j += 1
        best = max(best, abs(tp / positives - fp / negatives))
        i = j
    return best


def deciles(lead_ids: Sequence[str], scores: Sequence[float], outcomes: Sequence[bool],
            predicted: Sequence[float]) -> list[Decile]:
    """Ten groups by score, 1 = highest (ties by lead_id, as SQL's ntile)."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], lead_ids[i]))
    n = len(order)
    out = []
    start = 0
    for d in range(10):
        size = n // 10 + (1 if d < n % 10 else 0)
        rows = order[start:start + size]
        start += size
        if not rows:
            continue
        out.append(Decile(d + 1, len(rows), sum(predicted[i] for i in rows) / len(rows),
                          sum(outcomes[i] for i in rows) / len(rows),
                          min(scores[i] for i in rows), max(scores[i] for i in rows)))
    return out


def figures(lead_ids: Sequence[str], scores: Sequence[float], outcomes: Sequence[bool],
            scale: Scale) -> Figures:
    predicted = [scale.probability(s) for s in scores]
    brier = (sum((p - y) ** 2 for p, y in zip(predicted, outcomes, strict=True)) / len(scores)
             if scores else 0.0)
    return Figures(len(scores), sum(outcomes), auc(list(scores), list(outcomes)),
                   ks_statistic(scores, outcomes), brier,
                   deciles(lead_ids, scores, outcomes, predicted))


def best_f1_threshold(scores: Sequence[float], outcomes: Sequence[bool]) -> float:
    """The MQL threshold with the highest F1 (ties: the higher threshold)."""
    positives = sum(outcomes)
    best = (-1.0, 0.0)
    for threshold in sorted(set(scores)):
        chosen = [y for s, y in zip(scores, outcomes, strict=True) if s >= threshold]
        tp = sum(chosen)
        f1 = 2 * tp / (len(chosen) + positives) if chosen else 0.0
        best = max(best, (round(f1, 12), threshold))
    return best[1]


def capacity_threshold(scores: Sequence[float], decision_dates: Sequence[date],
                       capacity: float) -> float | None:
    """The lowest threshold whose MQLs per month stay within ``capacity``."""
    months = len({(d.year, d.month) for d in decision_dates}) or 1
    for threshold in sorted(set(scores)):
        if sum(s >= threshold for s in scores) / months <= capacity:
            return threshold
    return None


def place_bands(mql: float, overall_rate: float, scale: Scale) -> list[tuple[str, float | None]]:
    """cold (lowest), warm from the score of the overall conversion rate,
    mql at the recommended threshold, hot where the odds have doubled."""
    warm = round(scale.score_at(overall_rate)) if 0 < overall_rate < 1 else mql - scale.pdo
    if warm >= mql:
        warm = mql - scale.pdo
    return [("cold", None), ("warm", warm), ("mql", mql), ("hot", mql + scale.pdo)]


def place_grades(fit_scores: Sequence[float]) -> list[tuple[str, float | None]]:
    """D (lowest), C, B, A from the quartiles of the training leads' fit scores."""
    ordered = sorted(fit_scores)
    grades: list[tuple[str, float | None]] = [("D", None)]
    for name, share in (("C", 0.25), ("B", 0.5), ("A", 0.75)):
        cut = ordered[int(share * len(ordered))] if ordered else 0
        previous = grades[-1][1]
        if previous is None or cut > previous:
            if cut > ordered[0]:
                grades.append((name, cut))
    return grades
