"""Points from log-odds: a stated base score and points to double the odds.

A score s means odds of converting of ``base_odds * 2 ** ((s - base_score) / pdo)``:
``factor = pdo / ln 2`` points per unit of log-odds, and
``offset = base_score - factor * ln(base_odds)``. A logistic regression's
intercept goes into one base rule that every lead gets; each bin's
coefficient, relative to its feature's most common bin, becomes its points,
rounded to whole points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    base_score: float = 50.0
    base_rate: float = 0.10
    pdo: float = 10.0

    @property
    def factor(self) -> float:
        return self.pdo / math.log(2)

    @property
    def offset(self) -> float:
        return self.base_score - self.factor * math.log(self.base_rate / (1 - self.base_rate))

    def points(self, log_odds: float) -> int:
        """``log_odds`` as whole points (half away from zero)."""
        value = self.factor * log_odds
        return int(math.floor(abs(value) + 0.5)) * (1 if value >= 0 else -1)

    def base_points(self, intercept: float) -> int:
        """The points every lead gets: offset plus the scaled intercept."""
        value = self.offset + self.factor * intercept
        return int(math.floor(abs(value) + 0.5)) * (1 if value >= 0 else -1)

    def probability(self, score: float) -> float:
        """The conversion probability a score stands for."""
        log_odds = (score - self.offset) / self.factor
        return 1 / (1 + math.exp(-log_odds))

    def score_at(self, probability: float) -> float:
        """The score that stands for ``probability``."""
        return self.offset + self.factor * math.log(probability / (1 - probability))


def relative_coefficients(coefficients: list[float],
                          counts: list[int]) -> tuple[list[float], float]:
    """Coefficients of one feature's bins relative to its most common bin
    (ties: the first), and the shift that moves into the intercept."""
    reference = max(range(len(counts)), key=lambda i: (counts[i], -i))
    shift = coefficients[reference]
    return [c - shift for c in coefficients], shift
