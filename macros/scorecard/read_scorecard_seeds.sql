{% macro read_scorecard_seeds() %}
    {#-
        Reads the four scorecard seed tables and returns their rows as text,
        exactly as written in the CSV files:
        {'scorecard_rules': [{column: text or none, ...}, ...], ...}.
        Every value is read through a one-character prefix so that the
        agate type inference of run_query cannot turn '007' into 7 or 'yes'
        into True. Column names are lower-cased and trimmed. Returns none at
        parse time. Unit tests override this macro with rows written in YAML.
        Read once per dbt invocation (scorecard_cache): the seeds are built
        before any model that reads them.
    -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set cache = lead_scoring.scorecard_cache() -%}
    {%- if 'seeds' in cache -%}
        {{ return(cache['seeds']) }}
    {%- endif -%}
    {%- set seeds = {} -%}
    {%- for seed_name in [
        'scorecard_rules', 'scorecard_groups', 'scorecard_bands',
        'scorecard_grades'
    ] -%}
        {%- set relation = load_relation(ref(seed_name)) -%}
        {%- if relation is none -%}
            {{ exceptions.raise_compiler_error(
                seed_name ~ '.csv: the seed is not loaded in the warehouse; run `dbt seed` (or `dbt build`, which seeds first)'
            ) }}
        {%- endif -%}
        {%- set columns = adapter.get_columns_in_relation(relation) -%}
        {%- set select_list = [] -%}
        {%- for column in columns -%}
            {%- do select_list.append(
                "'~' || cast(" ~ adapter.quote(column.name) ~ ' as '
                ~ dbt.type_string() ~ ') as c' ~ loop.index
            ) -%}
        {%- endfor -%}
        {%- set result = run_query(
            'select ' ~ select_list | join(', ') ~ ' from ' ~ relation
        ) -%}
        {%- set rows = [] -%}
        {%- for result_row in result.rows -%}
            {%- set row = {} -%}
            {%- for column in columns -%}
                {%- set value = result_row[loop.index0] -%}
                {%- do row.update({
                    (column.name | lower | trim):
                        (none if value is none else (value | string)[1:])
                }) -%}
            {%- endfor -%}
            {%- do rows.append(row) -%}
        {%- endfor -%}
        {%- do seeds.update({seed_name: rows}) -%}
    {%- endfor -%}
    {%- do cache.update({'seeds': seeds}) -%}
    {{ return(seeds) }}
{% endmacro %}
