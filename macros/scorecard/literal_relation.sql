{% macro literal_relation(columns, rows) %}
    {#-
        A relation of literal rows: `select * from (values ...) as
        literal_rows (columns)`. `rows` is a list of rows, each a list of SQL
        literals in the order of `columns`; the first row should type every
        column (a typed null, e.g. `cast(null as double)`, rather than a bare
        null). At least one row: a caller with none passes one that its
        joins cannot match.

        Why `values` and not a `union all` of one-row selects: Spark plans a
        union of N selects as N partitions (N tasks for a relation of N
        literal rows), `values` as one local relation: 100 rules
        cross-joined with 1,000 leads and scored by CASE took 3.16 s as a
        union and 0.31 s as `values` (scripts/bench/spark_literals.py,
        docs/benchmarks.md).
    -#}
    {%- if rows | length == 0 -%}
        {{ exceptions.raise_compiler_error('literal_relation: no rows for ' ~ columns | join(', ')) }}
    {%- endif -%}
    select * from (values
        {%- for row in rows %}
        ({{ row | join(', ') }}){{ ',' if not loop.last }}
        {%- endfor -%}
    ) as literal_rows ({{ columns | join(', ') }})
{%- endmacro %}
