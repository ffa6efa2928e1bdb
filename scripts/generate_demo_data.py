"""Generate deterministic, deliberately messy demo data for the lead-scoring project.

    python scripts/generate_demo_data.py --out data/demo --leads 2000 --seed 42
    python scripts/generate_demo_data.py --out /tmp/clean --leads 100000 --clean

The entry point only; the generator is the package ``scripts/demo_data/`` (its
``__init__`` describes the nine files and their mess, and lists the modules). The
names below are the ones callers import from here.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.demo_data.cli import main  # noqa: E402
from scripts.demo_data.generator import generate  # noqa: E402
from scripts.demo_data.reference import (  # noqa: E402
    CRM_FILES,
    DEBUG_FILE,
    EVENT_TYPES,
    FILES,
    LEAD_FILES,
)

__all__ = ["CRM_FILES", "DEBUG_FILE", "EVENT_TYPES", "FILES", "LEAD_FILES", "generate", "main"]

if __name__ == "__main__":
    main()
