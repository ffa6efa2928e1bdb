"""Map the public Olist marketing funnel data set onto the raw contract.

Reads ``olist_marketing_qualified_leads_dataset.csv`` (MQLs) and
``olist_closed_deals_dataset.csv`` (closed deals) from a folder and writes
``leads``, ``lead_attributes``, ``events`` and ``opportunities`` as Parquet
files, every column text (VARCHAR) like a CSV export, into an output folder
that ``scripts/load_raw.py --from DIR`` loads. The mapping, its reasons and
the data's oddities are documented in ``docs/olist.md``.

Nothing is dropped or repaired: odd rows (a deal won before its first
contact, a deal whose MQL is not in the MQL file, an empty origin, an
``mql_id`` repeated in the MQL file) are written as they are, counted, and
left to staging to use or quarantine.

    python scripts/load_olist.py --from ../shared/data/olist_marketing_funnel --out data/olist
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

if __name__ == "__main__":  # run as a script: the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.load_raw import raw_register  # noqa: E402

MQL_FILE = "olist_marketing_qualified_leads_dataset.csv"
DEALS_FILE = "olist_closed_deals_dataset.csv"
MQL_COLUMNS = ("mql_id", "first_contact_date", "landing_page_id", "origin")
DEAL_COLUMNS = ("mql_id", "won_date")

# Deal columns written to lead_attributes, in this order, one row per non-empty value.
ATTRIBUTE_COLUMNS = (
    "business_segment",
    "lead_type",
    "lead_behaviour_profile",
    "business_type",
    "has_company",
    "has_gtin",
    "average_stock",
    "declared_product_catalog_size",
    "declared_monthly_revenue",
    "seller_id",
    "sdr_id",
    "sr_id",
)

# the raw contract's columns, as the sources YAML documents them
_COLUMNS = {table["name"]: tuple(table["columns"]) for table in raw_register()}
LEAD_COLUMNS = _COLUMNS["leads"]
LEAD_ATTRIBUTE_COLUMNS = _COLUMNS["lead_attributes"]
EVENT_COLUMNS = _COLUMNS["events"]
OPPORTUNITY_COLUMNS = (
    "opportunity_id", "lead_id", "stage", "amount", "currency", "created_at", "closed_at",
    "is_won", "is_closed", "updated_at",
)

OUTPUT_FILES = {
    "leads.parquet": LEAD_COLUMNS,
    "lead_attributes.parquet": LEAD_ATTRIBUTE_COLUMNS,
    "events.parquet": EVENT_COLUMNS,
    "opportunities.parquet": OPPORTUNITY_COLUMNS,
}
# Raw tables the data has nothing for: never written (see docs/olist.md).
NOT_WRITTEN = ("sales_activities", "campaigns", "consents", "erasure_requests")

ODDITIES = {
    "mql_rows_repeating_an_mql_id": "MQL rows whose mql_id an earlier row already had "
                                    "(kept: a second version of the lead)",
    "mql_rows_without_mql_id": "MQL rows with an empty mql_id (quarantined downstream)",
    "mql_rows_with_empty_origin": "MQL rows with an empty origin (lead_source and "
                                  "campaign_id left empty)",
    "mql_rows_with_unparseable_first_contact_date": "MQL rows whose first_contact_date "
                                                    "is empty or not a date",
    "deals_with_unknown_mql": "deals whose mql_id is not in the MQL file (quarantined "
                              "downstream as unknown lead)",
    "deals_without_mql_id": "deals with an empty mql_id",
    "deals_repeating_an_mql_id": "deals whose mql_id an earlier deal already had "
                                 "(kept: a second version of the opportunity)",
    "deals_won_before_first_contact": "deals whose won_date is before the MQL's "
                                      "first_contact_date (kept with their dates)",
    "deals_with_unparseable_won_date": "deals whose won_date is empty or not a timestamp",
}


class OlistDataError(Exception):
    """Source files that cannot be converted, with what and where."""


@dataclass
class OlistReport:
    """What ``convert_with_report`` wrote and what it found odd.

    ``rows``: rows per output file name. ``oddities``: a count for every key of
    ``ODDITIES`` (zero included). ``won_before_first_contact`` and
    ``unknown_mql_deals``: the ``mql_id`` of those deals, in file order.
    """

    rows: dict[str, int] = field(default_factory=dict)
    oddities: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ODDITIES, 0))
    won_before_first_contact: list[str] = field(default_factory=list)
    unknown_mql_deals: list[str] = field(default_factory=list)


def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a CSV file as text, exactly as written (None for a short row's cells -> '')."""
    if not path.exists():
        raise OlistDataError(f"{path}: file not found")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise OlistDataError(f"{path}: missing column(s): {', '.join(missing)}")
        return [
            {key: (value or "") for key, value in row.items() if key is not None}
            for row in reader
        ]


def _parse_utc(text: str) -> datetime | None:
    """A timestamp as the raw contract reads it: ISO 8601, no offset = UTC, date = midnight."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _write_parquet(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[str, ...]], columns: tuple[str, ...],
    path: Path,
) -> None:
    """Write text rows as a Parquet file of VARCHAR columns (atomically: temp file, rename)."""
    table = pa.table(
        {name: pa.array([row[i] for row in rows], type=pa.string())
         for i, name in enumerate(columns)}
    )
    con.register("olist_rows", table)
    selects = ", ".join(f'cast("{name}" as varchar) as "{name}"' for name in columns)
    temporary = path.with_name(path.name + ".tmp")
    quoted = str(temporary).replace("'", "''")
    try:
        con.execute(
            f"copy (select {selects} from olist_rows) to '{quoted}' (format parquet)"
        )
    finally:
        con.unregister("olist_rows")
    os.replace(temporary, path)


def convert_with_report(source_dir: Path, out_dir: Path) -> OlistReport:
    """Convert the two Olist CSV files in ``source_dir``; write Parquet into ``out_dir``."""
    mqls = _read_csv(source_dir / MQL_FILE, MQL_COLUMNS)
    deals = _read_csv(source_dir / DEALS_FILE, DEAL_COLUMNS)
    report = OlistReport()
    odd = report.oddities

    leads: list[tuple[str, ...]] = []
    events: list[tuple[str, ...]] = []
    used_event_ids: set[str] = set()
    seen_mqls: Counter[str] = Counter()
    # mql_id (trimmed, as staging compares it) -> first contact: the earliest parseable
    # first_contact_date of its rows, else the first row's text.
    first_contact: dict[str, tuple[datetime | None, str]] = {}

    for row in mqls:
        mql_id = row["mql_id"]
        key = mql_id.strip()
        contact_text = row["first_contact_date"]
        origin = row["origin"]
        landing_page_id = row["landing_page_id"]
        contact = _parse_utc(contact_text)

        if not key:
            odd["mql_rows_without_mql_id"] += 1
        elif seen_mqls[key]:
            odd["mql_rows_repeating_an_mql_id"] += 1
        seen_mqls[key] += 1
        if not origin.strip():
            odd["mql_rows_with_empty_origin"] += 1
        if contact is None:
            odd["mql_rows_with_unparseable_first_contact_date"] += 1

        if key:
            known = first_contact.get(key)
            if known is None or (
                contact is not None and (known[0] is None or contact < known[0])
            ):
                first_contact[key] = (contact, contact_text)

        lead = dict.fromkeys(LEAD_COLUMNS, "")
        lead.update(
            lead_id=mql_id,
            country="BR",
            lead_source=origin,
            created_at=contact_text,
            updated_at=contact_text,
            is_deleted="false",
        )
        leads.append(tuple(lead[name] for name in LEAD_COLUMNS))

        event_id = f"olist_mql_{mql_id}"
        counter = 1
        while event_id in used_event_ids:
            counter += 1
            event_id = f"olist_mql_{mql_id}_{counter}"
        used_event_ids.add(event_id)
        event = dict.fromkeys(EVENT_COLUMNS, "")
        event.update(
            event_id=event_id,
            lead_id=mql_id,
            event_type="form_submit",
            occurred_at=contact_text,
            page_path=f"/landing/{landing_page_id}" if landing_page_id.strip() else "",
            campaign_id=origin,
        )
        events.append(tuple(event[name] for name in EVENT_COLUMNS))

    attributes: list[tuple[str, ...]] = []
    opportunities: list[tuple[str, ...]] = []
    seen_deals: set[str] = set()
    for row in deals:
        mql_id = row["mql_id"]
        key = mql_id.strip()
        won_text = row["won_date"]
        won = _parse_utc(won_text)

        if not key:
            odd["deals_without_mql_id"] += 1
        elif key not in first_contact:
            odd["deals_with_unknown_mql"] += 1
            report.unknown_mql_deals.append(mql_id)
        if key and key in seen_deals:
            odd["deals_repeating_an_mql_id"] += 1
        seen_deals.add(key)
        if won is None:
            odd["deals_with_unparseable_won_date"] += 1

        contact, contact_text = first_contact.get(key, (None, "")) if key else (None, "")
        if won is not None and contact is not None and won < contact:
            odd["deals_won_before_first_contact"] += 1
            report.won_before_first_contact.append(mql_id)

        for name in ATTRIBUTE_COLUMNS:
            value = row.get(name, "")
            if value.strip():
                attributes.append((mql_id, name, value, won_text))

        opportunity = {
            "opportunity_id": f"olist_deal_{mql_id}",
            "lead_id": mql_id,
            "stage": "closed_won",
            "amount": row.get("declared_monthly_revenue", ""),
            "currency": "BRL",
            # Olist records a deal only once it is won, and not when it was
            # opened: dating its creation at the first contact would tell a
            # backtest, two weeks after contact, which leads will convert
            "created_at": won_text,
            "closed_at": won_text,
            "is_won": "true",
            "is_closed": "true",
            "updated_at": won_text,
        }
        opportunities.append(tuple(opportunity[name] for name in OPPORTUNITY_COLUMNS))

    out_dir.mkdir(parents=True, exist_ok=True)
    contents = {
        "leads.parquet": leads,
        "lead_attributes.parquet": attributes,
        "events.parquet": events,
        "opportunities.parquet": opportunities,
    }
    with duckdb.connect() as con:
        for file_name, rows in contents.items():
            _write_parquet(con, rows, OUTPUT_FILES[file_name], out_dir / file_name)
            report.rows[file_name] = len(rows)
    return report


def convert(source_dir: Path, out_dir: Path) -> dict[str, int]:
    """Convert the Olist CSV files; returns rows per file written.

    ``convert_with_report`` returns the oddity counts as well.
    """
    return convert_with_report(source_dir, out_dir).rows


def stale_files(out_dir: Path) -> list[Path]:
    """Files of raw tables this script does not write that sit in ``out_dir``."""
    return [
        out_dir / f"{table}{suffix}"
        for table in NOT_WRITTEN
        for suffix in (".parquet", ".csv")
        if (out_dir / f"{table}{suffix}").exists()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, required=True,
                        help=f"folder with {MQL_FILE} and {DEALS_FILE}")
    parser.add_argument("--out", type=Path, default=Path("data/olist"),
                        help="folder for the Parquet files (default: data/olist)")
    args = parser.parse_args(argv)
    try:
        report = convert_with_report(args.source, args.out)
    except (OlistDataError, OSError, duckdb.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for file_name, rows in report.rows.items():
        print(f"wrote {args.out / file_name}: {rows:,} rows")
    print("not written (no such data in Olist): " + ", ".join(NOT_WRITTEN))
    print("oddities (kept, not dropped):")
    for name, count in report.oddities.items():
        print(f"  {name}: {count:,}")
    for path in stale_files(args.out):
        print(f"warning: {path} is not from this script but load_raw may read it",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
