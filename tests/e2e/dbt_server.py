"""One dbt process per test process for the harness's dbt calls on DuckDB.

A `dbt` command in a process of its own costs about 5.8 s of CPU on the
2-core build machine for a one-model `dbt run`; repeated in one process,
about 1.5 s (scripts/bench/dbt_invocation.py, docs/benchmarks.md, "The
fixed cost of a dbt command"). The suite makes about fifty such calls, so
each pytest worker keeps one server process.

The server reads one request per line on stdin (JSON: the dbt arguments,
the working directory, the whole environment) and answers on its own
channel (a duplicate of its original stdout, which dbt never writes to)
with what the `dbt` command would have given: its exit code (0 success, 1
a failing node, 2 an error) and its output. After each invocation it closes
the DuckDB database that dbt-duckdb keeps open in-process
(``release_dbt_duckdb``), so the test reads the file as it would after a
`dbt` process ended. A server that dies or hangs fails the test that called
it and is started again for the next one.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _serve() -> None:
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    # stray writes to the process's own stdout (fd 1) go nowhere, never into
    # the answers
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    from dbt.cli.main import dbtRunner

    from scripts.lead_scoring.dbt_client import release_dbt_duckdb

    for line in sys.stdin:
        request = json.loads(line)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                result = dbtRunner().invoke(request["args"])
                code = 0 if result.success else 2 if result.exception is not None else 1
                if result.exception is not None:
                    print(f"{type(result.exception).__name__}: {result.exception}", file=err)
            except BaseException:  # noqa: BLE001 (reported as the dbt command would: exit 2)
                code = 2
                traceback.print_exc(file=err)
            finally:
                release_dbt_duckdb()
        channel.write(json.dumps({"code": code, "stdout": out.getvalue(),
                                  "stderr": err.getvalue()}) + "\n")
        channel.flush()


class DbtServer:
    """The client side: starts the server on first use, one request at a time."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.e2e.dbt_server"], cwd=ROOT,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8")
        return self.process

    def run(self, args: list[str], cwd: Path, env: dict[str, str],
            timeout: float) -> subprocess.CompletedProcess[str]:
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps({"args": args, "cwd": str(cwd), "env": env}) + "\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        answer = process.stdout.readline() if ready else ""
        if not answer:
            self.stop()
            raise AssertionError(f"dbt {' '.join(args)}: the dbt server "
                                 f"{'died' if ready else f'gave no answer in {timeout:g} s'}")
        reply: dict[str, Any] = json.loads(answer)
        return subprocess.CompletedProcess(["dbt", *args], reply["code"], reply["stdout"],
                                           reply["stderr"])

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


if __name__ == "__main__":
    _serve()
