{% macro optional_source(source_name, table_name, columns) %}
    {#-
        A source table that a warehouse may not have (the CRM tables of
        docs/crm_contract.md), as a subquery with exactly `columns`: the
        table's own columns when it exists (a documented column it lacks
        reads as null), and an empty result of those columns when it does
        not, so that a warehouse with only the lead tables builds as before.
        source() is always called, so the lineage stays in the DAG.
    -#}
    {%- set relation = source(source_name, table_name) -%}
    {%- set present = lead_scoring.relation_column_names(relation, columns) -%}
    {%- set selected = [] -%}
    {%- for column in columns -%}
        {%- if present is not none and column in present -%}
            {%- do selected.append(adapter.quote(column) ~ ' as ' ~ column) -%}
        {%- else -%}
            {%- do selected.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if execute and present is none -%}
        (select {{ selected | join(', ') }} from (select 1 as no_rows) as nothing where 1 = 0)
    {%- else -%}
        (select {{ selected | join(', ') }} from {{ relation }})
    {%- endif -%}
{% endmacro %}
