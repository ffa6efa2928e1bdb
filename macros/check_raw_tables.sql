{% macro check_raw_tables() %}
    {#-
        on-run-start, before a build or run:
        - on DuckDB, warn in plain words when the raw tables of the scoring
          contract are missing, instead of leaving the user with a catalog
          error from the first staging model;
        - on any engine, stop when a raw table lacks a column of the
          contract (SCORING_SPEC section 1), naming the table and the
          columns, instead of a binder error deep in staging. More columns
          are fine; the contract's may be empty.
    -#}
    {#- the contract: the required raw tables of the register and the
        columns the sources YAML documents for them -#}
    {%- set contract = {} -%}
    {%- for table in lead_scoring.raw_table_register(required_only=true) -%}
        {%- do contract.update({table.name: table.columns}) -%}
    {%- endfor -%}
    {%- if execute and flags.WHICH in ['build', 'run'] -%}
        {%- set missing = [] -%}
        {%- set problems = [] -%}
        {%- for table, columns in contract.items() -%}
            {%- set relation = adapter.get_relation(
                database=var('raw_database', target.database),
                schema=var('raw_schema', 'raw'),
                identifier=table
            ) -%}
            {%- if relation is none -%}
                {%- do missing.append(table) -%}
            {%- else -%}
                {%- set present = adapter.get_columns_in_relation(relation)
                    | map(attribute='name') | map('lower') | list -%}
                {%- set absent = [] -%}
                {%- for column in columns if column not in present -%}
                    {%- do absent.append(column) -%}
                {%- endfor -%}
                {%- if absent -%}
                    {%- do problems.append(
                        var('raw_schema', 'raw') ~ '.' ~ table ~ ' has no column '
                        ~ absent | join(', ')
                    ) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error(
                'The raw tables break the raw contract (SCORING_SPEC section 1): '
                ~ problems | join('; ')
                ~ '. Add the columns (they may be empty); more columns are fine.'
            ) }}
        {%- endif -%}
        {%- if missing | length > 0 and target.type == 'duckdb' -%}
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
