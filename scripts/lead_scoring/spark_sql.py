"""The orchestrator's own connection to a Spark target, for what dbt does not do:
reading a build (a ``dbt_client.BuildReader`` over it), the publication log,
the switch of the serving views.

The connection follows the target's profile, rendered by dbt itself
(``credentials``), so there is no second Spark configuration:

- method ``session`` (target ``spark``): the SparkSession of this process,
  which dbt-spark's session method shares (one process, one embedded
  metastore);
- method ``thrift`` (target ``spark_cluster``): a PyHive connection to the
  Thrift server (HiveServer2 protocol), beside dbt's own.

Errors become the orchestrator's: ``MissingRelation`` for a table or view
that is not there, ``PipelineError`` with Spark's first line otherwise.
"""

from __future__ import annotations

import os
from typing import Any

from scripts.lead_scoring import ROOT
from scripts.lead_scoring.errors import MissingRelation, PipelineError

NOT_FOUND = ("TABLE_OR_VIEW_NOT_FOUND", "SCHEMA_NOT_FOUND", "Table or view not found")


def credentials(target: str) -> Any:
    """The target's credentials as dbt renders them from profiles.yml (env vars
    filled in, defaults applied: what dbt connects with)."""
    from argparse import Namespace

    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context

    set_from_args(Namespace(), None)
    set_invocation_context(dict(os.environ))
    profile = Profile.from_raw_profiles(read_profile(str(ROOT)), "lead_scoring",
                                        ProfileRenderer({}), target_override=target)
    if profile.credentials.type != "spark":
        raise PipelineError(f"target {target} is not a Spark target")
    return profile.credentials


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "desc", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class SparkSql:
    """Statements and queries on a Spark target (``placeholder`` marks parameters)."""

    def __init__(self, target: str) -> None:
        creds = credentials(target)
        self.target = target
        self.method = str(getattr(creds.method, "value", creds.method))
        self._session: Any = None
        self._connection: Any = None
        if self.method == "session":
            from pyspark.sql import SparkSession

            # the same builder as dbt-spark's session method: whoever comes
            # first, both share one session (and its one-process metastore)
            builder = SparkSession.builder.enableHiveSupport()
            for key, value in creds.server_side_parameters.items():
                builder = builder.config(key, value)
            self._session = builder.getOrCreate()
            # dbt-spark asks for the session once per statement, and Spark warns
            # each time that it exists already: keep the run's output readable
            self._session.sparkContext.setLogLevel("ERROR")
            self.placeholder = "?"
        elif self.method == "thrift":
            from pyhive import hive

            try:
                self._connection = hive.connect(
                    host=creds.host, port=creds.port, username=creds.user or None,
                    auth=creds.auth, kerberos_service_name=creds.kerberos_service_name,
                    password=creds.password, configuration=creds.server_side_parameters)
            except Exception as error:  # noqa: BLE001 (socket, thrift, sasl errors alike)
                raise PipelineError(
                    f"target {target}: cannot reach the Thrift server at "
                    f"{creds.host}:{creds.port}: {_first_line(error)} (is it running? "
                    "LEAD_SCORING_SPARK_HOST and _PORT, docs/spark.md)") from error
            self.placeholder = "%s"
        else:
            raise PipelineError(
                f"target {target}: the orchestrator speaks to Spark through the session "
                f"or the thrift method, not {self.method} (docs/spark.md)")

    def fetch(self, sql: str, parameters: list[Any] | None = None) -> list[dict[str, Any]]:
        """The rows of a query, as dicts."""
        try:
            if self._session is not None:
                return [row.asDict() for row in
                        self._session.sql(sql, args=parameters or None).collect()]
            cursor = self._connection.cursor()
            try:
                cursor.execute(sql, parameters or None)
                if not cursor.description:
                    return []
                names = [column[0] for column in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            finally:
                cursor.close()
        except Exception as error:  # noqa: BLE001 (pyspark and PyHive raise their own)
            message = _first_line(error)
            if any(marker in str(error) for marker in NOT_FOUND):
                raise MissingRelation(f"target {self.target}: {message}") from error
            raise PipelineError(f"target {self.target}: {message} in: {sql[:200]}") from error

    def execute(self, sql: str) -> None:
        self.fetch(sql)

    def schemas(self) -> list[str]:
        return [next(iter(row.values())) for row in self.fetch("show databases")]

    def tables(self, schema: str) -> set[str]:
        """The tables and views of a schema (none when it does not exist)."""
        if schema not in self.schemas():
            return set()
        return {row["tableName"] for row in self.fetch(f"show tables in {schema}")
                if not row.get("isTemporary")}

    def views(self, schema: str) -> set[str]:
        if schema not in self.schemas():
            return set()
        return {row["viewName"] for row in self.fetch(f"show views in {schema}")
                if not row.get("isTemporary")}

    def columns(self, relation: str) -> list[str]:
        """A table's columns in order (partition columns once)."""
        names = [row["col_name"] for row in self.fetch(f"describe {relation}")]
        return [name for name in dict.fromkeys(names) if name and not name.startswith("#")]

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # noqa: BLE001, S110 (the server went away: nothing to close)
                pass
            self._connection = None
