"""The pandas peer's inputs (scripts/bench/pandas_scorer.py): the seeds and raw
Parquet files read as text, the scorecard's field and text tests over whole
numpy columns, timestamps and the latest version per key."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[2]
SCORECARD_DIR = REPO / "seeds" / "scorecards"
DEFAULT_SEEDS = {
    "rules": SCORECARD_DIR / "scorecard_rules.csv",
    "groups": SCORECARD_DIR / "scorecard_groups.csv",
    "bands": SCORECARD_DIR / "scorecard_bands.csv",
    "grades": SCORECARD_DIR / "scorecard_grades.csv",
}
DEFAULT_COUNTRY_MARKETS = REPO / "seeds" / "reference" / "country_markets.csv"

# The columns of a lead (SCORING_SPEC 1); any other rule field is a custom attribute.
LEAD_COLUMNS = frozenset({
    "lead_id", "email", "first_name", "last_name", "job_title", "seniority",
    "department", "company_name", "company_domain", "industry", "employee_count",
    "annual_revenue", "country", "city", "lead_source", "created_at", "updated_at",
    "is_deleted",
})
# The properties of an activity that a rule's field can test.
ACTIVITY_PROPERTIES = ("page_path", "content_type", "campaign_id", "email_id", "event_type")
TRUE_WORDS = ("true", "t", "1", "yes", "y")
OUTPUT_COLUMNS = ["lead_id", "scorecard_id", "fit_score", "engagement_score",
                  "total_score", "band", "grade"]
DICTIONARY_COLUMNS = {
    "leads": (),
    "lead_attributes": ("lead_id", "attribute_name"),
    "events": ("lead_id", "event_type", "page_path", "content_type", "campaign_id",
               "email_id"),
}


@dataclass(frozen=True)
class Scorecards:
    """The four scorecard seeds, as text DataFrames ('' or NaN: empty)."""

    rules: pd.DataFrame
    groups: pd.DataFrame
    bands: pd.DataFrame
    grades: pd.DataFrame


# ------------------------------------------------------------------ reading


def read_seed(path: Path) -> pd.DataFrame:
    """A seed CSV as text: no NA guessing ('NA' is Namibia, 'N/A' a country text)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load_scorecards(rules: Path = DEFAULT_SEEDS["rules"],
                    groups: Path = DEFAULT_SEEDS["groups"],
                    bands: Path = DEFAULT_SEEDS["bands"],
                    grades: Path = DEFAULT_SEEDS["grades"]) -> Scorecards:
    return Scorecards(read_seed(rules), read_seed(groups), read_seed(bands), read_seed(grades))


def read_raw(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """leads, lead_attributes and events from ``<raw_dir>/<table>.parquet``.

    Repetitive text columns are read as categoricals (Parquet dictionaries).
    """
    frames = {}
    for table, repetitive in DICTIONARY_COLUMNS.items():
        path = Path(raw_dir) / f"{table}.parquet"
        names = pq.read_schema(path).names
        frames[table] = pd.read_parquet(
            path, read_dictionary=[name for name in repetitive if name in names])
    return frames


# ------------------------------------------------------------------ text helpers


def _norm(value: object) -> str:
    """Scalar normalisation: strip and lower-case; missing -> ''."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip().lower()


def _ident(value: object) -> str:
    """Identifiers (ids, group names): strip only."""
    return "" if _norm(value) == "" else str(value).strip()


def _number(value: object) -> float | None:
    """float() of the normalised text; None when absent, not a number or infinite."""
    try:
        number = float(_norm(value))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _optional(rule: dict[str, object], column: str) -> float | None:
    """An optional numeric scorecard cell (empty -> None)."""
    return None if _norm(rule.get(column)) == "" else float(_norm(rule.get(column)))


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as text, or all missing if the table does not have it."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype="str")


def _normalized(values: np.ndarray, lower: bool = True) -> np.ndarray:
    """Strip (and lower-case) an array of text, missing -> '', as an object array."""
    series = pd.Series(values, dtype="str").str.strip()
    if lower:
        series = series.str.lower()
    return series.fillna("").to_numpy(dtype=object)


@dataclass(frozen=True)
class Coded:
    """A text column as codes into its distinct normalised values (-1: null).

    Predicates are evaluated once per distinct value and spread with the codes.
    """

    codes: np.ndarray
    texts: np.ndarray  # the distinct values, stripped (and lower-cased)

    @classmethod
    def of(cls, values: pd.Series | np.ndarray, lower: bool = True) -> Coded:
        codes, uniques = pd.factorize(values)
        texts = _normalized(np.asarray(uniques, dtype=object), lower)
        return cls(np.asarray(codes, dtype=np.int64), texts)

    def take(self, positions: np.ndarray) -> Coded:
        return Coded(self.codes[positions], self.texts)

    @property
    def missing(self) -> np.ndarray:
        """Null or blank."""
        return np.append(self.texts == "", True)[self.codes]

    def keys(self) -> tuple[np.ndarray, np.ndarray]:
        """(one integer per row for its normalised text, -1 when missing; the texts)."""
        key_of_value, key_texts = pd.factorize(self.texts)
        key_of_value = np.where(self.texts == "", -1, key_of_value)
        return np.append(key_of_value, -1)[self.codes], np.asarray(key_texts, dtype=object)

    def lookup(self, index: pd.Index) -> np.ndarray:
        """Position of each row's value in `index` (-1: not there or missing)."""
        return np.append(index.get_indexer(self.texts), -1)[self.codes]

    def matches(self, operator: str, value: object) -> np.ndarray:
        """Row-wise test of SCORING_SPEC 3.1; missing rows match is_null only."""
        per_value = _match_texts(operator, value, self.texts)
        # code -1 (null) picks the appended last element
        return np.append(per_value, operator == "is_null")[self.codes]


def _to_numbers(texts: np.ndarray) -> np.ndarray:
    numbers = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce")
    numbers = numbers.to_numpy(dtype=float, copy=True)
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers


def _match_texts(operator: str, value: object, texts: np.ndarray) -> np.ndarray:
    """The operator on distinct normalised texts ('' is missing)."""
    missing = texts == ""
    if operator == "is_null":
        return missing
    if operator == "is_not_null":
        return ~missing
    wanted = _norm(value)
    if operator in ("gt", "gte", "lt", "lte", "between", "range"):
        numbers = _to_numbers(texts)
        with np.errstate(invalid="ignore"):
            if operator == "range":
                # half-open, low <= x < high; an empty side is an open end
                bounds = ("" if value is None else str(value)).split("|")
                if len(bounds) != 2:
                    return np.zeros(len(texts), dtype=bool)
                low, high = (_number(b) if b.strip() else None for b in bounds)
                result = np.isfinite(numbers)
                if low is not None:
                    result &= numbers >= low
                if high is not None:
                    result &= numbers < high
                return result
            if operator == "between":
                bounds = ("" if _norm(value) == "" else str(value)).split("|")
                low, high = (_number(b) for b in bounds) if len(bounds) == 2 else (None, None)
                if low is None or high is None:
                    return np.zeros(len(texts), dtype=bool)
                return (numbers >= low) & (numbers <= high)
            limit = _number(value)
            if limit is None:
                return np.zeros(len(texts), dtype=bool)
            compare = {"gt": np.greater, "gte": np.greater_equal,
                       "lt": np.less, "lte": np.less_equal}[operator]
            return compare(numbers, limit)
    if operator == "equals":
        result = texts == wanted
    elif operator == "not_equals":
        result = texts != wanted
    elif operator in ("in", "not_in"):
        parts = {_norm(p) for p in ("" if wanted == "" else str(value)).split("|")} - {""}
        result = pd.Series(texts, dtype=object).isin(parts).to_numpy()
        if operator == "not_in":
            result = ~result
    elif operator == "contains":
        result = np.array([wanted in text for text in texts], dtype=bool)
    elif operator == "starts_with":
        result = np.array([text.startswith(wanted) for text in texts], dtype=bool)
    else:
        raise ValueError(f"unknown operator {operator!r}")
    return np.asarray(result, dtype=bool) & ~missing


def parse_timestamps(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(naive UTC datetime64[us], NaT when missing or unparseable; is unparseable).

    Typed timestamps are converted to UTC. Text takes Arrow's fast cast when every
    value is ISO-like without an offset (clean data: 'YYYY-MM-DD HH:MM:SS' UTC);
    otherwise pandas parses it as ISO 8601 ('Z' or an offset converted to UTC).
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        stamps = pd.to_datetime(series, utc=True).dt.tz_convert(None)
        return stamps.to_numpy(dtype="datetime64[us]"), np.zeros(len(series), dtype=bool)
    try:
        stamps = series.astype("timestamp[us][pyarrow]").astype("datetime64[us]")
        return stamps.to_numpy(), np.zeros(len(series), dtype=bool)
    except (ValueError, TypeError):  # pyarrow's ArrowInvalid is a ValueError
        pass
    text = pd.Series(series.to_numpy(dtype=object), dtype="str").str.strip()
    stamps = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    stamps = stamps.dt.tz_convert(None).to_numpy(dtype="datetime64[us]")
    unparseable = np.isnat(stamps) & (text.fillna("") != "").to_numpy()
    return stamps, unparseable


def _latest(rows: np.ndarray, key: np.ndarray, stamps: np.ndarray) -> np.ndarray:
    """Of `rows`, the latest one per `key`: the latest stamp (NaT is the oldest),
    ties to the last row in file order."""
    order = np.lexsort((rows, stamps.view(np.int64)[rows], key[rows]))  # NaT: min int64
    ordered = rows[order]
    last = np.ones(len(ordered), dtype=bool)
    last[:-1] = key[ordered][1:] != key[ordered][:-1]
    return ordered[last]
