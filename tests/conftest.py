"""Suite-wide pytest settings."""

from __future__ import annotations

import pytest

# The longest modules start first, so that on two workers (`make test`,
# --dist loadfile) the short ones fill in around them instead of a long one
# starting last.
LONGEST_FIRST = (
    "tests/spark/test_spark_cluster.py",
    "tests/scripts/test_pipeline.py",
    "tests/e2e/test_write_audit_publish.py",
    "tests/e2e/test_bad_input.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within a module is kept
