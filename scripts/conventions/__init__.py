"""The project's conventions as dbt-score rules (``make lint`` runs them).

The rules and their parameters are configured in ``pyproject.toml``
(``[tool.dbt-score]``), with the reason for every departure.
"""
