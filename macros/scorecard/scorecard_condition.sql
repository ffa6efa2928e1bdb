{% macro scorecard_condition(rule, attribute) %}
    {#-
        The SQL test of one scorecard rule's field (SCORING_SPEC 3.1) on
        `attribute`, a SQL expression of cleaned text (trimmed, null when
        missing). Text operators ignore case on both sides; numeric
        operators compare numbers and do not match text that is not a
        number; a missing attribute matches only is_null. Every value is
        rendered with string_literal (data, never SQL).
    -#}
    {%- set op = rule['operator'] -%}
    {%- set lowered = 'lower(' ~ attribute ~ ')' -%}
    {%- set literals = [] -%}
    {%- for value in rule['values'] if value is string -%}
        {%- do literals.append('lower(' ~ lead_scoring.string_literal(value) ~ ')') -%}
    {%- endfor -%}
    {%- set numeric = lead_scoring.to_number(attribute) -%}
    {%- if op == 'equals' -%}
        {{ return(lowered ~ ' = ' ~ literals[0]) }}
    {%- elif op == 'not_equals' -%}
        {{ return(lowered ~ ' <> ' ~ literals[0]) }}
    {%- elif op == 'in' -%}
        {{ return(lowered ~ ' in (' ~ literals | join(', ') ~ ')') }}
    {%- elif op == 'not_in' -%}
        {{ return(lowered ~ ' not in (' ~ literals | join(', ') ~ ')') }}
    {%- elif op == 'contains' -%}
        {{ return(dbt.position(literals[0], lowered) ~ ' > 0') }}
    {%- elif op == 'starts_with' -%}
        {{ return(dbt.position(literals[0], lowered) ~ ' = 1') }}
    {%- elif op in ['gt', 'gte', 'lt', 'lte'] -%}
        {%- if rule['numbers'] | length != 1 -%}
            {{ return('false') }}
        {%- endif -%}
        {%- set comparison = {'gt': '>', 'gte': '>=', 'lt': '<', 'lte': '<='}[op] -%}
        {{ return(numeric ~ ' ' ~ comparison ~ ' ' ~ lead_scoring.sql_number(rule['numbers'][0])) }}
    {%- elif op == 'between' -%}
        {%- if rule['numbers'] | length != 2 -%}
            {{ return('false') }}
        {%- endif -%}
        {{ return(numeric ~ ' between ' ~ lead_scoring.sql_number(rule['numbers'][0]) ~ ' and ' ~ lead_scoring.sql_number(rule['numbers'][1])) }}
    {%- elif op == 'range' -%}
        {#- half-open: low <= x < high, an empty side is an open end -#}
        {%- set tests = [] -%}
        {%- if rule['values'][0] is not none -%}
            {%- do tests.append(numeric ~ ' >= ' ~ lead_scoring.sql_number(rule['values'][0])) -%}
        {%- endif -%}
        {%- if rule['values'][1] is not none -%}
            {%- do tests.append(numeric ~ ' < ' ~ lead_scoring.sql_number(rule['values'][1])) -%}
        {%- endif -%}
        {{ return('(' ~ tests | join(' and ') ~ ')') }}
    {%- elif op == 'is_null' -%}
        {{ return(attribute ~ ' is null') }}
    {%- elif op == 'is_not_null' -%}
        {{ return(attribute ~ ' is not null') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error('scorecard_condition: unknown operator ' ~ op) }}
    {%- endif -%}
{% endmacro %}
