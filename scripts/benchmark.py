"""Benchmark the project against the single-query limit and a pandas peer.

One run, on one generated data set (``generate_demo_data.py --clean``):

(a) the scoring path: staging to ``fct_lead_scores`` and the ledger
    (``dbt run --full-refresh --select +fct_lead_scores +fct_lead_score_contributions``);
(b) the whole project (``dbt run --full-refresh``, every model);
(c) an incremental run after 1 % new events (``dbt run``);
(d) the limit: scripts/bench/single_query.sql, one hand-written DuckDB query;
(e) the peer: scripts/bench/pandas_scorer.py, the scorecard in pandas;
(f) the fixed cost of a dbt invocation: ``dbt run`` of one small model that
    reads the scorecard (the partial parse, compile, the scorecard read and
    validation).

Every dbt step uses one target folder and passes the as-of date as a run var
(``LEAD_SCORING_RUN_VARS``), so each uses the saved partial parse, as a
user's next command does; the seed before them pays the one full parse.

(a), (d) and (e) must agree on every score (total, fit and engagement within
0.01; band and grade equal). Each step runs in its own process; its wall
time and peak resident memory (``wait4``) are recorded. The figures, the
scale and the machine go to docs/benchmarks.md.

    python scripts/benchmark.py                      # 200,000 leads, ~10 M events
    python scripts/benchmark.py --leads 1000000      # ~50 M events (docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.lead_scoring.dbt_client import RUN_VARS_ENV  # noqa: E402
from scripts.load_raw import load_raw_tables  # noqa: E402

BIN = Path(sys.executable).parent
DEFAULT_AS_OF = "2026-06-30"
# Targets of the benchmark brief (docs/benchmarks.md, issue 14): the scoring
# path within 4x the single query at 10 M events (3x from 50 M), the whole
# project within 6x, a daily run within 15 % of a full build, the scoring
# path faster than pandas, peak memory under 4 GiB.
SCORING_VS_LIMIT = 4.0
SCORING_VS_LIMIT_LARGE = 3.0
LARGE_EVENTS = 40_000_000
BUILD_VS_LIMIT = 6.0
INCREMENTAL_VS_BUILD = 0.15
PANDAS_SPEEDUP = 1.0
MEMORY_TARGET_MIB = 4096


@dataclass
class Step:
    name: str
    seconds: float
    peak_mib: float
    detail: str = ""


def measure(name: str, command: list[str], env: dict[str, str], log: Path) -> Step:
    """Run a command in its own process: wall time and peak resident memory."""
    print(f"  {name} ...", flush=True)
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = log.read_text()[-3000:]
        raise SystemExit(f"{name} failed ({code}); log {log}:\n{tail}")
    step = Step(name, seconds, usage.ru_maxrss / 1024,
                f"{os.getloadavg()[0]:.1f}")
    print(f"    {seconds:8.1f} s  {step.peak_mib:8.0f} MiB", flush=True)
    return step


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (f"{os.cpu_count()} cores ({cpu}), {memory_kib / 1024 / 1024:.0f} GiB memory, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def slowest_models(target_path: Path, count: int = 5) -> list[tuple[str, float]]:
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    ranked = sorted(results, key=lambda r: -r["execution_time"])[:count]
    return [(r["unique_id"].split(".")[-1], r["execution_time"]) for r in ranked]


def add_new_events(database: Path, share: float, as_of: str) -> int:
    """Append ``share`` of the events again as new ones of the as-of day."""
    with duckdb.connect(str(database)) as con:
        total = con.execute("select count(*) from raw.events").fetchone()[0]
        new = max(1, int(total * share))
        con.execute(f"""
            insert into raw.events
            select
                'NEW' || lpad(cast(row_number() over () as varchar), 10, '0') as event_id,
                lead_id, event_type,
                '{as_of} ' || lpad(cast(row_number() over () % 24 as varchar), 2, '0')
                    || ':00:00' as occurred_at,
                page_path, content_type, campaign_id, email_id
            from raw.events using sample reservoir({new} rows) repeatable (7)
        """)
        return new


def agreement(folder: Path) -> dict[str, int]:
    """Compare (a), (d) and (e) score by score."""
    with duckdb.connect() as con:
        peers = [name for name in ("single", "pandas") if (folder / f"{name}.parquet").exists()]
        counts = {"dbt_scores": con.execute(
            f"select count(*) from read_parquet('{folder}/dbt.parquet')").fetchone()[0]}
        for peer in peers:
            row = con.execute(f"""
                select
                    count(*) filter (where p.lead_id is null or d.lead_id is null) as unmatched,
                    count(*) filter (where abs(d.total_score - p.total_score) > 0.0101
                        or abs(d.fit_score - p.fit_score) > 0.0101
                        or abs(d.engagement_score - p.engagement_score) > 0.0101) as off_score,
                    count(*) filter (where d.total_score <> p.total_score) as half_cent,
                    count(*) filter (where (d.band is distinct from p.band
                        or d.grade is distinct from p.grade)
                        and d.total_score = p.total_score
                        and d.fit_score = p.fit_score) as off_band
                from read_parquet('{folder}/dbt.parquet') as d
                full join read_parquet('{folder}/{peer}.parquet') as p
                    on d.lead_id = p.lead_id and d.scorecard_id = p.scorecard_id
            """).fetchone()
            counts.update({f"{peer}_unmatched": row[0], f"{peer}_off_score": row[1],
                           f"{peer}_half_cent": row[2], f"{peer}_off_band": row[3]})
        return counts


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=200_000)
    parser.add_argument("--events-per-lead", type=int, default=50)
    parser.add_argument("--as-of", default=DEFAULT_AS_OF)
    parser.add_argument("--dir", type=Path, default=ROOT / "warehouse" / "bench")
    parser.add_argument("--memory-limit", default="3GB",
                        help="DuckDB memory_limit of the dbt builds")
    parser.add_argument("--pandas-max-events", type=int, default=15_000_000,
                        help="skip the pandas peer above this many events (its memory)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)

    folder = args.dir.resolve()
    raw = folder / f"raw_{args.leads}_{args.events_per_lead}_{args.as_of}"
    database = folder / "bench.duckdb"
    logs = folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    for stale in (database, folder / "bench.duckdb.wal", folder / "bench.duckdb.tmp"):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()

    print(f"Benchmark: {args.leads:,} leads, {args.events_per_lead} events per lead, "
          f"as of {args.as_of}", flush=True)
    if not (raw / "events.parquet").exists():
        print("  generating clean data ...", flush=True)
        subprocess.run([str(BIN / "python"), "scripts/generate_demo_data.py", "--clean",
                        "--leads", str(args.leads), "--events-per-lead",
                        str(args.events_per_lead), "--end-date", args.as_of,
                        "--out", str(raw)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    loaded = load_raw_tables(raw, database, "raw")
    print(f"  loaded {', '.join(f'{t} {n:,}' for t, n in loaded.items())}", flush=True)

    # the as-of date as a run var (the orchestrator's way, dbt_client): with
    # the same vars, profile and target folder, every dbt step after the
    # seed uses the saved partial parse, as a user's next command does; the
    # seed pays the one full parse
    env = dict(os.environ, DBT_PROFILES_DIR=str(ROOT), LEAD_SCORING_TARGET="duckdb",
               LEAD_SCORING_DUCKDB_PATH=str(database),
               LEAD_SCORING_DUCKDB_MEMORY=args.memory_limit,
               LEAD_SCORING_DUCKDB_TEMP=str(folder / "duckdb_tmp"),
               DBT_SEND_ANONYMOUS_USAGE_STATS="False",
               **{RUN_VARS_ENV: json.dumps({"score_as_of": args.as_of})})
    target = folder / "target"

    def dbt(name: str, *command: str) -> Step:
        step = measure(name, [str(BIN / "dbt"), *command, "--target-path", str(target)],
                       env, logs / f"{name[0]}.log")
        kept = folder / f"target_{name[0]}"  # each step's run results, for slowest_models
        kept.mkdir(exist_ok=True)
        shutil.copy2(target / "run_results.json", kept / "run_results.json")
        return step

    subprocess.run([str(BIN / "dbt"), "seed", "--target-path", str(target)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    steps: dict[str, Step] = {}
    steps["a"] = dbt("a scoring path", "run", "--full-refresh", "--select",
                     "+fct_lead_scores +fct_lead_score_contributions")
    steps["b"] = dbt("b whole project", "run", "--full-refresh")
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute(f"copy (select lead_id, scorecard_id, fit_score, engagement_score, "
                    f"total_score, band, grade from marts.fct_lead_scores) "
                    f"to '{folder}/dbt.parquet' (format parquet)")
    steps["d"] = measure("d single query", [
        str(BIN / "python"), "scripts/bench/single_query.py", "--database", str(database),
        "--as-of", args.as_of, "--out", str(folder / "single.parquet")], env, logs / "d.log")
    events = loaded["events"]
    if events <= args.pandas_max_events:
        steps["e"] = measure("e pandas", [
            str(BIN / "python"), "scripts/bench/pandas_scorer.py", "--raw", str(raw),
            "--as-of", args.as_of, "--out", str(folder / "pandas.parquet")], env,
            logs / "e.log")
    elif (folder / "pandas.parquet").exists():
        (folder / "pandas.parquet").unlink()
    agree = agreement(folder)
    new_events = add_new_events(database, 0.01, args.as_of)
    steps["c"] = dbt("c incremental", "run")
    steps["f"] = dbt("f fixed cost", "run", "--select", "int_scorecard_score_bounds")

    write_report(args, steps, agree, loaded, new_events, folder)
    print(f"\nWritten: {args.out}")
    disagreements = sum(v for k, v in agree.items()
                        if k.endswith(("unmatched", "off_score", "off_band")))
    return 1 if disagreements else 0


def write_report(args: argparse.Namespace, steps: dict[str, Step], agree: dict[str, int],
                 loaded: dict[str, int], new_events: int, folder: Path) -> None:
    a, b, c, d = steps["a"], steps["b"], steps["c"], steps["d"]
    e = steps.get("e")
    events = loaded["events"]
    rows = [
        ("(a) scoring path: staging → fct_lead_scores + ledger", a),
        ("(b) whole project, every model", b),
        (f"(c) incremental run after {new_events:,} new events (1 %)", c),
        ("(d) the limit: one hand-written DuckDB query", d),
    ]
    if e is not None:
        rows.append(("(e) the pandas peer", e))
    if "f" in steps:
        rows.append(("(f) fixed cost: `dbt run` of one model that reads the scorecard",
                     steps["f"]))
    table = "\n".join(f"| {label} | {step.seconds:.1f} | {step.peak_mib:,.0f} | {step.detail} |"
                      for label, step in rows)
    scoring_limit = SCORING_VS_LIMIT_LARGE if events >= LARGE_EVENTS else SCORING_VS_LIMIT
    checks = [
        (f"scoring path within {scoring_limit:g}x the limit",
         f"{a.seconds / d.seconds:.1f}x", a.seconds <= scoring_limit * d.seconds),
        (f"whole project within {BUILD_VS_LIMIT:g}x the limit",
         f"{b.seconds / d.seconds:.1f}x", b.seconds <= BUILD_VS_LIMIT * d.seconds),
        (f"incremental within {INCREMENTAL_VS_BUILD:.0%} of a full build",
         f"{c.seconds / b.seconds:.0%}", c.seconds <= INCREMENTAL_VS_BUILD * b.seconds),
        (f"peak memory of the build under {MEMORY_TARGET_MIB:,} MiB",
         f"{max(a.peak_mib, b.peak_mib, c.peak_mib):,.0f} MiB",
         max(a.peak_mib, b.peak_mib, c.peak_mib) < MEMORY_TARGET_MIB),
    ]
    if e is not None:
        checks.append(("scoring path faster than pandas (pandas time / scoring path time)",
                       f"{e.seconds / a.seconds:.2f}x", e.seconds > PANDAS_SPEEDUP * a.seconds))
    check_rows = "\n".join(f"| {name} | {value} | {verdict(ok)} |" for name, value, ok in checks)
    slow_b = ", ".join(f"`{m}` {s:.1f} s" for m, s in slowest_models(folder / "target_b"))
    slow_c = ", ".join(f"`{m}` {s:.1f} s" for m, s in slowest_models(folder / "target_c"))
    agree_rows = "\n".join(f"| {k} | {v:,} |" for k, v in agree.items())
    generated = (f"Generated by `python scripts/benchmark.py --leads {args.leads} "
                 f"--events-per-lead {args.events_per_lead}` on {dt.date.today()}.")
    section = f"""<!-- figures: {args.leads} leads -->
## {events:,} events, {args.leads:,} leads

{generated}
Machine: {machine()}. DuckDB {duckdb.__version__}, memory_limit {args.memory_limit}
for the dbt builds (the single query runs with DuckDB's defaults). The machine
was shared with other work while this ran (a load average above 2 on 2 cores
means the steps competed for them): wall times are upper bounds.
Raw rows: {", ".join(f"{t} {n:,}" for t, n in loaded.items())}; as of {args.as_of}.

| step | wall (s) | peak memory (MiB) | 1-min load average after it |
|---|---:|---:|---:|
{table}

| target | measured | |
|---|---:|---|
{check_rows}

Slowest models of the whole build: {slow_b}.
Slowest models of the incremental run: {slow_c}.

Agreement of (a) with (d) and (e), per lead and scorecard (`unmatched`,
`off_score` and `off_band` must be 0; `half_cent` counts totals that differ
by one cent, a tie rounded half-up by the project and half-to-even by the
peers):

| check | count |
|---|---:|
{agree_rows}
<!-- end figures -->
"""
    out = args.out
    text = out.read_text() if out.exists() else ""
    marker = f"<!-- figures: {args.leads} leads -->"
    if marker in text:
        start = text.index(marker)
        end = text.index("<!-- end figures -->", start) + len("<!-- end figures -->\n")
        text = text[:start] + section + text[end:]
    elif "<!-- results -->" in text:
        text = text.replace("<!-- results -->", "<!-- results -->\n" + section)
    else:
        text = f"# Benchmarks\n\n<!-- results -->\n{section}"
    out.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
