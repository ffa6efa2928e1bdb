"""Run the lead-scoring pipeline: load demo data if needed, build, audit, publish, summarise.

    python scripts/pipeline.py run [--as-of YYYY-MM-DD] [--select SELECTOR]
                                   [--target duckdb] [--top 5] [--demo-leads 2000]
                                   [--serving FILE] [--parquet DIR]
                                   [--max-band-shift 0.15] [--lock-timeout 300]
    python scripts/pipeline.py backfill --from YYYY-MM-DD [--to YYYY-MM-DD] [--full-refresh]
    python scripts/pipeline.py history --lead LEAD_ID [--scorecard default]

On the Spark targets (``--target spark`` or ``spark_cluster``) the same steps
publish the views of schema ``marts`` instead of a serving file
(docs/spark.md).

The entry point only; the orchestrator is the package ``scripts/lead_scoring/``
(its ``__init__`` lists the modules).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.lead_scoring.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
