{% macro check_raw_tables() %}
    {#-
        on-run-start: before a build or run on DuckDB, warn in plain words
        when the raw tables of the scoring contract are missing, instead of
        leaving the user with a catalog error from the first staging model.
    -#}
    {%- if execute and flags.WHICH in ['build', 'run'] and target.type == 'duckdb' -%}
        {%- set missing = [] -%}
        {%- for table in ['leads', 'lead_attributes', 'events'] -%}
            {%- set relation = adapter.get_relation(
                database=var('raw_database', target.database),
                schema=var('raw_schema', 'raw'),
                identifier=table
            ) -%}
            {%- if relation is none -%}
                {%- do missing.append(table) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing | length > 0 -%}
            {%- do exceptions.warn(
                'No raw table ' ~ missing | join(', ') ~ ' in schema '
                ~ var('raw_schema', 'raw') ~ ' of ' ~ target.database
                ~ ': run `make run` once (it loads demo data) or load your own with '
                ~ '`python scripts/load_raw.py --from DIR`.'
            ) -%}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}
