"""The command line of ``scripts/generate_demo_data.py``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from scripts.demo_data.generator import generate

DESCRIPTION = "Generate deterministic, deliberately messy demo data for the lead-scoring project."


def main(argv: Sequence[str] | None = None) -> dict[str, int]:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--leads", type=int, default=2000, help="number of leads")
    parser.add_argument("--events-per-lead", type=float, default=30.0,
                        help="average number of events per lead")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=date.fromisoformat, default=None,
                        help="last day of events (YYYY-MM-DD, default today)")
    parser.add_argument("--months", type=int, default=15, help="months of events (>= 12)")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB memory_limit")
    parser.add_argument("--debug", action="store_true",
                        help="also write _debug_lead_latent.parquet")
    parser.add_argument("--clean", action="store_true",
                        help="no deliberate mess, and only the four lead files")
    args = parser.parse_args(argv)
    return generate(args.out, n_leads=args.leads, events_per_lead=args.events_per_lead,
                    seed=args.seed, end_date=args.end_date, months=args.months,
                    threads=args.threads, memory_limit=args.memory_limit, debug=args.debug,
                    clean=args.clean)
