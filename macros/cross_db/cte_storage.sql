{% macro cte_storage(inline) %}
    {#-
        What follows `name as` in a CTE that several later CTEs read, to say
        whether it is computed once and stored or recomputed by each reader.
        DuckDB stores (materialises) such a CTE whole by default, every
        column of every row: at tens of millions of rows that is most of a
        staging model's time and spills past the memory limit
        (docs/benchmarks.md), while inlined each reader computes only the
        columns it needs. A small CTE that is costly to compute (the new
        rows of an incremental run) is better stored. Spark decides itself
        and has no such keyword.

        Arguments:
            inline: true to recompute in each reader, false to store once.

        Example:
            with row_checked as {{ lead_scoring.cte_storage(inline=true) }} (
                select ...
            )
    -#}
    {{ return(adapter.dispatch('cte_storage', 'lead_scoring')(inline)) }}
{% endmacro %}

{% macro default__cte_storage(inline) -%}
    {{ return('') }}
{%- endmacro %}

{% macro duckdb__cte_storage(inline) -%}
    {{ return('not materialized' if inline else 'materialized') }}
{%- endmacro %}
