{% macro relation_column_names(relation, expected) %}
    {#-
        The lower-cased column names of `relation` among `expected`, read
        from the warehouse; none when the relation does not exist. In a
        unit test the relation is a fixture CTE, which has every expected
        column (a fixture fills the ones its rows leave out with null).
    -#}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if relation.type == 'cte' or (relation.identifier or '').startswith('__dbt__cte__') -%}
        {{ return(expected) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=relation.database,
        schema=relation.schema,
        identifier=relation.identifier
    ) -%}
    {%- if existing is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set present = [] -%}
    {%- for column in adapter.get_columns_in_relation(existing) -%}
        {%- if column.name | lower in expected -%}
            {%- do present.append(column.name | lower) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(present) }}
{% endmacro %}
