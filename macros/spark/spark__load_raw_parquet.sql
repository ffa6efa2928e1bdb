{% macro load_raw_parquet(files, drop=[]) %}
    {#-
        Loads raw tables on Spark from Parquet files (what
        scripts/generate_demo_data.py writes): `files` maps a table name to
        the absolute path of its file; each table of `drop` (optional CRM
        tables without a file) is dropped, so the raw schema holds what the
        folder holds. scripts/pipeline.py calls it through
        `dbt run-operation`; DuckDB loads with scripts/load_raw.py instead.
    -#}
    {%- if target.type != 'spark' -%}
        {{ exceptions.raise_compiler_error(
            'load_raw_parquet is the Spark loader; on ' ~ target.type
            ~ ' use scripts/load_raw.py'
        ) }}
    {%- endif -%}
    {%- set schema = var('raw_schema', 'raw') -%}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- for table, path in files.items() -%}
        {%- if not modules.re.fullmatch('[A-Za-z0-9_]+', table)
            or '`' in path or not path.startswith('/') -%}
            {{ exceptions.raise_compiler_error(
                'load_raw_parquet: bad table name or path: ' ~ table ~ ' -> ' ~ path
                ~ ' (the path must be absolute and free of backticks)'
            ) }}
        {%- endif -%}
        {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ table) -%}
        {%- do run_query(
            'create table ' ~ schema ~ '.' ~ table
            ~ ' using parquet as select * from parquet.`' ~ path ~ '`'
        ) -%}
        {%- do log('loaded ' ~ schema ~ '.' ~ table ~ ' from ' ~ path, info=true) -%}
    {%- endfor -%}
    {%- for table in drop -%}
        {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ table) -%}
    {%- endfor -%}
{% endmacro %}
