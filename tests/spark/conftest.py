"""One Spark standalone cluster for the whole test session (master, worker and
Thrift server on 127.0.0.1, scripts/lead_scoring/spark_cluster.py).

Session-scoped: every test that asks for ``spark_cluster`` in this pytest
process shares it (with ``-n 2 --dist loadfile`` the Spark tests live in one
module, so one worker starts one cluster). It stops when the session ends,
however the tests end; if pytest itself is killed, the JVMs get a
parent-death signal and stop too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scripts.lead_scoring.spark_cluster import SparkCluster


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkCluster]:
    with SparkCluster(tmp_path_factory.mktemp("spark_cluster")) as cluster:
        yield cluster
