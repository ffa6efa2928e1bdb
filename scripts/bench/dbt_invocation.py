"""The fixed cost of a dbt command: a `dbt` process of its own against the same
command repeated in one process (``dbtRunner.invoke``), as the test
harness's dbt server (tests/e2e/dbt_server.py) runs it.

On a throwaway copy of the project with the demo data (seeded and built
once), the command is `dbt run` of one scorecard model
(``int_scorecard_score_bounds``): almost all of its cost is what every dbt
command pays (Python and dbt's imports, the partial parse, the compile's
template and macro caches), little is the model's SQL. The script prints
the CPU seconds (user + sys) of each `dbt` process and of each invocation
in one process, measured after a first unmeasured process has written the
partial parse.

Usage::

    python scripts/bench/dbt_invocation.py [--repeat 3]

Figures: docs/benchmarks.md ("The fixed cost of a dbt command").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMAND = ["run", "--select", "int_scorecard_score_bounds", "--quiet"]
IN_PROCESS = """
import json, os, sys, time
started = time.process_time()
from dbt.cli.main import dbtRunner
sys.path.insert(0, sys.argv[2])
from scripts.lead_scoring.dbt_client import release_dbt_duckdb
seconds = {"imports": time.process_time() - started, "invocations": []}
for _ in range(int(sys.argv[1])):
    started = time.process_time()
    assert dbtRunner().invoke(json.loads(sys.argv[3])).success
    release_dbt_duckdb()
    seconds["invocations"].append(time.process_time() - started)
print(json.dumps(seconds))
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.e2e.harness import Project

    with tempfile.TemporaryDirectory(prefix="dbt-invocation-") as folder:
        project = Project.copy(Path(folder) / "project")
        env = {**project.env, "LEAD_SCORING_RUN_VARS": json.dumps({"score_as_of": "2025-06-30"})}
        dbt = str(Path(sys.executable).parent / "dbt")
        subprocess.run([sys.executable, "scripts/pipeline.py", "run", "--demo-leads", "100",
                        "--history-days", "0", "--audits-only", "--no-summary"],
                       cwd=project.path, env=project.env, check=True, capture_output=True)
        # the first process writes the partial parse of this profile
        subprocess.run([dbt, *COMMAND], cwd=project.path, env=env, check=True)
        processes = []
        for _ in range(args.repeat):
            before = _children_cpu()
            subprocess.run([dbt, *COMMAND], cwd=project.path, env=env, check=True)
            processes.append(_children_cpu() - before)
        shown = subprocess.run([sys.executable, "-c", IN_PROCESS, str(args.repeat), str(ROOT),
                                json.dumps(COMMAND)], cwd=project.path, env=env, check=True,
                               capture_output=True, text=True)
        one_process = json.loads(shown.stdout.strip().splitlines()[-1])
    print(f"dbt {' '.join(COMMAND)} (CPU seconds, user + sys)")
    print("  a dbt process each:     " + ", ".join(f"{s:.2f}" for s in processes))
    print(f"  one process, imports:   {one_process['imports']:.2f}")
    print("  one process, each call: "
          + ", ".join(f"{s:.2f}" for s in one_process["invocations"]))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    raise SystemExit(main())
