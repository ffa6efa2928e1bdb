"""The fitted scorecard as rows of the four scorecard CSV files, written in
place of that scorecard's rows only (the other scorecards' lines are kept
byte for byte)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .binning import Bin
from .features import Candidate
from .model import Fit, FittedFeature

SEED_FILES = ("scorecard_rules", "scorecard_groups", "scorecard_bands", "scorecard_grades",
              "scorecard_fits")


def number_text(value: float) -> str:
    """A bound or threshold as the shortest plain decimal (no exponent)."""
    if float(value).is_integer():
        return str(int(value))
    return format(value, "f").rstrip("0").rstrip(".")


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _plural(activity_type: str, count: int) -> str:
    words = activity_type.replace("_", " ")
    if count == 1:
        return words
    return words + ("es" if words.endswith(("s", "x", "ch", "sh")) else "s")


def _window(window_days: int | None) -> str:
    return f" in the last {window_days} days" if window_days is not None else " ever"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40].strip("_")


def describe(candidate: Candidate, bins: list[Bin], k: int) -> str:
    """What a bin's rule means, in words ("4-9 page views in the last 30 days")."""
    b = bins[k]
    if candidate.source == "activity":
        what = candidate.name
        filtered = (f" ({candidate.filter_field.replace('_', ' ')} {candidate.filter_value})"
                    if candidate.filter_field else "")
        low = int(b.low) if b.low is not None else 0
        when = _window(candidate.window_days)
        if b.high is None:
            text = f"{low} or more {_plural(what, 2)}" if low > 1 else \
                f"At least one {_plural(what, 1)}"
        elif b.high - low == 1:
            text = (f"No {_plural(what, 1)}" if low == 0 else
                    f"{low} {_plural(what, low)}")
        else:
            text = f"{low}-{int(b.high) - 1} {_plural(what, 2)}"
        return f"{text}{filtered}{when}"
    label = _label(candidate.name)
    if b.kind == "missing":
        return f"{label} is missing"
    if b.kind == "range":
        if b.low is None:
            return f"{label} under {number_text(b.high)}"
        if b.high is None:
            return f"{label} {number_text(b.low)} or more"
        return f"{label} {number_text(b.low)} to under {number_text(b.high)}"
    if b.other:
        if b.categories:
            return f"{label} is " + ", ".join(b.categories) + " or a rare value"
        named = sorted({c for other in bins if not other.other for c in other.categories})
        listed = ", ".join(named) if len(named) <= 4 else f"the {len(named)} common values"
        return f"{label} is another value (not {listed})"
    return f"{label} is " + " or ".join(b.categories)


def rule_rows(scorecard_id: str, fitted: Fit) -> list[dict[str, str]]:
    """One rules row per bin that earns points, and the base rule."""
    rows = [{
        "scorecard_id": scorecard_id, "rule_id": "base", "dimension": "fit",
        "score_group": "base", "source": "lead", "field": "lead_id",
        "operator": "is_not_null", "points": str(fitted.base_points),
        "description": (f"Base points of every lead (a score of {fitted.scale.base_score:g} means "
                        f"about {fitted.scale.base_rate:.0%} convert; "
                        f"+{fitted.scale.pdo:g} doubles the odds)"),
    }]
    # rule ids and group names are short slugs: made unique in order
    groups, rule_ids = {"base"}, {"base"}
    for feature in fitted.features:
        feature_rows = _feature_rows(scorecard_id, feature)
        if not feature_rows:
            continue
        group = _unique(feature_rows[0]["score_group"], groups)
        for row in feature_rows:
            row["score_group"] = group
            row["rule_id"] = _unique(row["rule_id"].replace(
                feature_rows[0]["score_group"], group, 1), rule_ids)
        rows += feature_rows
    return rows


def _unique(name: str, used: set[str]) -> str:
    candidate, suffix = name, 2
    while candidate in used:
        candidate, suffix = f"{name}_{suffix}", suffix + 1
    used.add(candidate)
    return candidate


def _feature_rows(scorecard_id: str, feature: FittedFeature) -> list[dict[str, str]]:
    candidate = feature.candidate
    group = slug("_".join(part for part in (candidate.name, candidate.filter_value) if part))
    rows = []
    window = (f"{candidate.window_days or 'all'}d_" if candidate.source == "activity" else "")
    named = sorted({c for b in feature.bins if not b.other for c in b.categories})
    for k, (b, points) in enumerate(zip(feature.bins, feature.points, strict=True)):
        if points == 0:
            continue
        row = {
            "scorecard_id": scorecard_id,
            "rule_id": f"{group}_{window}{k + 1}",
            "score_group": group, "points": str(points),
            "description": describe(candidate, feature.bins, k),
        }
        if candidate.source == "activity":
            row.update({
                "dimension": "engagement", "source": "activity",
                "activity_type": candidate.name, "frequency": "once",
                "min_count": number_text(b.low if b.low is not None else 0),
                "max_count": "" if b.high is None else number_text(b.high - 1),
                "window_days": "" if candidate.window_days is None else str(candidate.window_days),
            })
            if candidate.filter_field:
                row.update({"field": candidate.filter_field, "operator": "equals",
                            "value": candidate.filter_value or ""})
        else:
            row.update({"dimension": "fit", "source": "lead", "field": candidate.name})
            if b.kind == "missing":
                row.update({"operator": "is_null"})
            elif b.kind == "range":
                low = "" if b.low is None else number_text(b.low)
                high = "" if b.high is None else number_text(b.high)
                row.update({"operator": "range", "value": f"{low}|{high}"})
            elif b.other:
                row.update({"operator": "not_in", "value": "|".join(named)})
            else:
                row.update({"operator": "in", "value": "|".join(b.categories)})
        rows.append(row)
    return rows


FIT_COLUMNS = ("scorecard_id", "train_until", "base_score", "base_rate", "points_to_double_odds")


def write_fit(path: Path, scorecard_id: str, train_until: str, fitted: Fit) -> None:
    """Write the fit's row into scorecard_fits.csv (created when missing)."""
    if not path.exists():
        path.write_text(",".join(FIT_COLUMNS) + "\n", encoding="utf-8")
    replace_scorecard(path, scorecard_id, [fit_row(scorecard_id, train_until, fitted)])


def fit_row(scorecard_id: str, train_until: str, fitted: Fit) -> dict[str, str]:
    """The fit's row of scorecard_fits.csv: its training window and scale, so
    that the warehouse can tell the probability a score stands for."""
    return {"scorecard_id": scorecard_id, "train_until": train_until,
            "base_score": f"{fitted.scale.base_score:g}",
            "base_rate": f"{fitted.scale.base_rate:g}",
            "points_to_double_odds": f"{fitted.scale.pdo:g}"}


def group_rows(scorecard_id: str, rules: list[dict[str, str]]) -> list[dict[str, str]]:
    """Every group of the rules, without caps (the regression weighs them)."""
    groups = sorted({row["score_group"] for row in rules})
    return [{"scorecard_id": scorecard_id, "score_group": g} for g in groups]


def _records(text: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """The header line and each record's raw text with its parsed fields."""
    lines = text.splitlines(keepends=True)
    records: list[tuple[str, list[str]]] = []
    pending = ""
    for line in lines:
        pending += line
        if pending.count('"') % 2 == 0:
            records.append((pending, next(csv.reader(io.StringIO(pending)))))
            pending = ""
    if pending:
        records.append((pending, next(csv.reader(io.StringIO(pending)))))
    header = records[0][0] if records else ""
    return header, records[1:]


def replace_scorecard(path: Path, scorecard_id: str, rows: list[dict[str, str]]) -> None:
    """Write ``rows`` as ``scorecard_id``'s rows of the CSV at ``path``,
    where its old rows were (else at the end); other lines unchanged."""
    text = path.read_text(encoding="utf-8")
    header, records = _records(text)
    columns = next(csv.reader(io.StringIO(header)))
    if header and not header.endswith("\n"):
        header += "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(f"{path.name}: no column {sorted(unknown)} in the file")
        writer.writerow([row.get(column, "") for column in columns])
    new_text = out.getvalue()
    kept: list[str] = []
    placed = False
    for raw, fields in records:
        if fields and fields[0].strip() == scorecard_id:
            if not placed:
                kept.append(new_text)
                placed = True
            continue
        kept.append(raw if raw.endswith("\n") else raw + "\n")
    if not placed:
        kept.append(new_text)
    path.write_text(header + "".join(kept), encoding="utf-8")
