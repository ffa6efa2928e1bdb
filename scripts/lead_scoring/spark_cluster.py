"""A small Spark standalone cluster on this machine, for tests and for trying the
``spark_cluster`` target by hand.

Three JVMs from the pyspark package, all on 127.0.0.1 with free ports picked
at start:

- a standalone **master** (``org.apache.spark.deploy.master.Master``);
- one **worker** (``org.apache.spark.deploy.worker.Worker``) that runs the
  executors;
- a **Thrift server** (``HiveThriftServer2``, HiveServer2's protocol)
  submitted to that master: dbt-spark's ``thrift`` method and PyHive talk to
  it; its metastore is an embedded Derby database and its tables live in a
  warehouse folder, both under the cluster's own folder.

By hand (stops on Ctrl-C or SIGTERM; prints the settings for the
``spark_cluster`` target)::

    .venv/bin/python scripts/lead_scoring/spark_cluster.py --dir warehouse/cluster

From Python (a pytest fixture)::

    with SparkCluster(folder) as cluster:
        os.environ.update(cluster.env())

However the owner ends, the JVMs end: ``stop()`` on exit, and each JVM is
started with a parent-death signal (Linux ``PR_SET_PDEATHSIG``), so a
killed test process takes its cluster with it.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

HOST = "127.0.0.1"
THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
# JVM options of all four JVMs (master, worker, Thrift server, executor): the
# cluster lives for minutes on a small machine, where HotSpot's optimising
# compiler and G1's collector threads compete with the queries for the same
# cores. C1 only and the serial collector, measured on the 2-core build
# machine (docs/spark.md, "Speed"): the Spark test module's CPU 774 s -> 716
# s (user + sys of `pytest tests/spark`), its wall time the same (428 s ->
# 438 s); start 24.5 s -> 15.8 s. A long-lived cluster wants the defaults.
SMALL_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


class ClusterError(Exception):
    """The cluster did not start; the message says which part and where its log is."""


def spark_home() -> Path:
    """The pyspark package folder (bin/spark-class, jars/)."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def free_port() -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the parent process ends."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


@dataclass
class SparkCluster:
    """Master, worker and Thrift server under ``folder`` (logs, metastore, tables)."""

    folder: Path
    cores: int = 2
    worker_memory: str = "2g"
    executor_memory: str = "1536m"
    driver_memory: str = "1g"
    shuffle_partitions: int = 4
    java_options: str = SMALL_JVM
    start_timeout: float = 180.0
    master_port: int = 0
    master_ui_port: int = 0
    thrift_port: int = 0
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    # ------------------------------------------------------------ where

    @property
    def warehouse(self) -> Path:
        return self.folder / "warehouse"

    @property
    def metastore(self) -> Path:
        return self.folder / "metastore_db"

    @property
    def master_url(self) -> str:
        return f"spark://{HOST}:{self.master_port}"

    def log(self, name: str) -> Path:
        return self.folder / "logs" / f"{name}.log"

    def env(self) -> dict[str, str]:
        """What the ``spark_cluster`` target of profiles.yml needs to reach the cluster."""
        return {
            "LEAD_SCORING_SPARK_HOST": HOST,
            "LEAD_SCORING_SPARK_PORT": str(self.thrift_port),
            "LEAD_SCORING_SPARK_USER": os.environ.get("USER") or "lead_scoring",
            "LEAD_SCORING_SPARK_AUTH": "NONE",
            # dbt threads: a statement here waits on the Thrift server's round
            # trips more than on the two cores
            "LEAD_SCORING_SPARK_THREADS": "8",
        }

    # ------------------------------------------------------------ start

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        home = spark_home()
        env.update({
            "SPARK_HOME": str(home),
            # the launcher's own logs and pid files stay in the cluster folder
            "SPARK_LOG_DIR": str(self.folder / "logs"),
            "SPARK_PID_DIR": str(self.folder),
            "SPARK_LOCAL_IP": HOST,
            "SPARK_LOCAL_DIRS": str(self.folder / "tmp"),
            "SPARK_WORKER_DIR": str(self.folder / "work"),
            "SPARK_NO_DAEMONIZE": "1",
            # no REST submission server: it would listen on a fixed port (6066)
            "SPARK_MASTER_OPTS": "-Dspark.master.rest.enabled=false",
            "SPARK_DAEMON_JAVA_OPTS": self.java_options,
        })
        env.pop("PYSPARK_GATEWAY_PORT", None)
        self.log(name).parent.mkdir(parents=True, exist_ok=True)
        with self.log(name).open("ab") as log:
            process = subprocess.Popen(
                [str(home / "bin" / command[0]), *command[1:]],
                cwd=self.folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent,
            )
        self.processes[name] = process
        return process

    def _wait(self, name: str, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + self.start_timeout
        process = self.processes[name]
        while not ready():
            if process.poll() is not None:
                raise ClusterError(f"the {name} exited ({process.returncode}) before {what}; "
                                   f"see {self.log(name)}")
            if time.monotonic() > deadline:
                raise ClusterError(f"the {name} did not get {what} within "
                                   f"{self.start_timeout:g} s; see {self.log(name)}")
            time.sleep(0.5)

    def _alive_workers(self) -> int:
        try:
            url = f"http://{HOST}:{self.master_ui_port}/json/"
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local)
                return int(json.load(response).get("aliveworkers", 0))
        except (OSError, ValueError):
            return -1  # the master's UI does not answer (yet)

    def start(self) -> SparkCluster:
        """Start the three JVMs and wait until the Thrift server answers a query."""
        for sub in ("logs", "tmp", "work"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        self.warehouse.mkdir(parents=True, exist_ok=True)
        self.master_port = self.master_port or free_port()
        self.master_ui_port = self.master_ui_port or free_port()
        try:
            self._spawn("master", [
                "spark-class", "org.apache.spark.deploy.master.Master",
                "--host", HOST, "--port", str(self.master_port),
                "--webui-port", str(self.master_ui_port),
            ])
            self._wait("master", lambda: self._alive_workers() >= 0
                       and _port_open(self.master_port), "its ports open")
            self._spawn("worker", [
                "spark-class", "org.apache.spark.deploy.worker.Worker",
                "--host", HOST, "--port", str(free_port()),
                "--webui-port", str(free_port()),
                "--cores", str(self.cores), "--memory", self.worker_memory,
                "--work-dir", str(self.folder / "work"), self.master_url,
            ])
            self._wait("worker", lambda: self._alive_workers() >= 1,
                       "registered with the master")
            self.thrift_port = self.thrift_port or free_port()
            self._spawn("thriftserver", self.thrift_command())
            self._wait("thriftserver", lambda: _port_open(self.thrift_port),
                       f"port {self.thrift_port} open")
            self._wait("thriftserver", self._answers, "answering a query")
        except BaseException:
            self.stop()
            raise
        return self

    def thrift_command(self) -> list[str]:
        derby = f"-Dderby.system.home={self.folder}"
        settings = {
            "spark.master": self.master_url,
            "spark.driver.host": HOST,
            "spark.driver.bindAddress": HOST,
            "spark.driver.memory": self.driver_memory,
            "spark.driver.extraJavaOptions": f"{derby} {self.java_options}",
            "spark.executor.memory": self.executor_memory,
            "spark.executor.extraJavaOptions": self.java_options,
            "spark.cores.max": str(self.cores),
            "spark.sql.warehouse.dir": str(self.warehouse),
            "spark.hadoop.javax.jdo.option.ConnectionURL":
                f"jdbc:derby:;databaseName={self.metastore};create=true",
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.shuffle.partitions": str(self.shuffle_partitions),
            "spark.ui.enabled": "false",
            "spark.hadoop.hive.server2.thrift.bind.host": HOST,
            "spark.hadoop.hive.server2.thrift.port": str(self.thrift_port),
        }
        command = ["spark-submit", "--class", THRIFT_SERVER_CLASS, "--name", "lead-scoring-thrift"]
        for key, value in settings.items():
            command += ["--conf", f"{key}={value}"]
        # HiveServer2 reads its own settings as --hiveconf too
        command += ["spark-internal", "--hiveconf", f"hive.server2.thrift.port={self.thrift_port}",
                    "--hiveconf", f"hive.server2.thrift.bind.host={HOST}"]
        return command

    def _answers(self) -> bool:
        try:
            rows = self.sql("select 1 as one")
        except Exception:  # noqa: BLE001 (not up yet: any error means "try again")
            return False
        return rows == [(1,)]

    def sql(self, statement: str) -> list[tuple[object, ...]]:
        """One statement on the Thrift server (PyHive); its rows."""
        from pyhive import hive

        connection = hive.connect(host=HOST, port=self.thrift_port,
                                  username=self.env()["LEAD_SCORING_SPARK_USER"])
        try:
            cursor = connection.cursor()
            cursor.execute(statement)
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            connection.close()

    # ------------------------------------------------------------- stop

    def stop(self) -> None:
        """Stop the Thrift server, the worker (and its executors), then the master."""
        for name in ("thriftserver", "worker", "master"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)

    def __enter__(self) -> SparkCluster:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start a Spark standalone cluster with a "
                                     "Thrift server on 127.0.0.1 until Ctrl-C.")
    parser.add_argument("--dir", type=Path, default=Path("warehouse/cluster"),
                        help="folder for logs, the metastore and the tables "
                             "(default warehouse/cluster; kept between starts)")
    parser.add_argument("--cores", type=int, default=2, help="the worker's cores")
    parser.add_argument("--worker-memory", default="2g")
    parser.add_argument("--thrift-port", type=int, default=0,
                        help="the Thrift server's port (default: a free one)")
    args = parser.parse_args(argv)
    cluster = SparkCluster(args.dir.resolve(), cores=args.cores,
                           worker_memory=args.worker_memory, thrift_port=args.thrift_port)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    started = time.monotonic()
    try:
        print(f"starting master, worker and Thrift server under {cluster.folder} ...",
              flush=True)
        cluster.start()
        print(f"ready in {time.monotonic() - started:.0f} s: master {cluster.master_url} "
              f"(UI http://{HOST}:{cluster.master_ui_port}), Thrift server "
              f"{HOST}:{cluster.thrift_port}, tables in {cluster.warehouse}", flush=True)
        print("In another shell, for the spark_cluster target:")
        for key, value in cluster.env().items():
            print(f"  export {key}={value}")
        print("Ctrl-C stops the cluster.", flush=True)
        while all(process.poll() is None for process in cluster.processes.values()):
            time.sleep(1)
        dead = [name for name, process in cluster.processes.items() if process.poll() is not None]
        print(f"error: the {', '.join(dead)} stopped; see {cluster.folder / 'logs'}",
              file=sys.stderr)
        return 2
    except ClusterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stopping the cluster ...", flush=True)
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
