"""Step 3 of a run: the audits, read from what ``dbt build`` ran.

Every audit is a dbt test in ``tests/dbt/`` tagged ``audit``: its
``config.meta`` names it (``audit``) and says what to do when it fails
(``fix``); its severity says whether it stops the publication (error) or
warns. Each stores its failing rows (a ``detail`` column per row), which
are printed. The orchestrator only passes the vars the tests need: the
quarantine threshold, and the last publication's band shares for the band
shift audit (``audit_vars``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scripts.lead_scoring.dbt_client import BuildOutcome
from scripts.lead_scoring.publication import PublishSession

AUDIT_TAG = "audit"
BAND_SHIFT_TEST = "assert_band_shares_near_last_publication"
BANDS_MODEL = "agg_lead_score_bands"


@dataclass
class Check:
    name: str
    severity: str  # error or warn
    failures: int
    detail: str


def audit_vars(session: PublishSession, warn_share: float | None,
               max_band_shift: float) -> dict[str, Any]:
    """The dbt vars of the audits: the band shares of the last publication (none
    before the first) and the thresholds."""
    previous = session.last_publication()
    shares = [] if previous is None else [
        {"scorecard_id": row["scorecard_id"], "band": row["band"],
         "lead_share": float(row["lead_share"] or 0)}
        for row in session.published_rows(BANDS_MODEL)
    ]
    dbt_vars: dict[str, Any] = {
        "previous_band_shares": shares,
        "previous_publication_id": previous.publication_id if previous else 0,
        "max_band_shift": max_band_shift,
    }
    if warn_share is not None:
        dbt_vars["quarantine_warn_share"] = warn_share
    return dbt_vars


def checks_of(outcome: BuildOutcome, session: PublishSession) -> list[Check]:
    """One check per audit test of the build, with the rows it stored when it failed."""
    checks = []
    audits = [node for node in outcome.nodes
              if node.resource_type == "test" and node.meta.get("audit")]
    with session.reader() as reader:
        for node in sorted(audits, key=lambda node: node.name):
            name = str(node.meta["audit"])
            if node.status == "pass":
                checks.append(Check(name, node.severity, 0, "ok"))
                continue
            if node.status not in ("fail", "warn"):
                checks.append(Check(name, "error", 1, f"not run ({node.status}: "
                                    f"{node.message or 'a test it reads failed'})"))
                continue
            details = [str(row.get("detail")) for row in
                       (reader.stored_failures(node.relation_name)
                        if node.relation_name else [])]
            fix = node.meta.get("fix")
            detail = "; ".join(details) or node.message
            checks.append(Check(name, "warn" if node.status == "warn" else "error",
                                int(node.failures or 1),
                                detail + (f" ({fix})" if fix else "")))
    return checks


def print_checks(checks: list[Check]) -> None:
    for check in checks:
        mark = "ok" if check.failures == 0 else check.severity.upper()
        print(f"  {mark:<5} {check.name}" + (f": {check.detail}" if check.failures else ""),
              flush=True)


def failed(checks: list[Check]) -> list[Check]:
    """The checks that stop a publication."""
    return [check for check in checks if check.failures and check.severity == "error"]
