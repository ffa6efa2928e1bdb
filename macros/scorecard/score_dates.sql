{% macro score_dates() %}
    {#-
        The as-of dates this run scores, oldest first, as 'YYYY-MM-DD'
        strings: every day from the var `history_start` to the var
        `score_as_of` (both inclusive). Without `history_start`, only
        `score_as_of`: a daily run scores one day; a backfill or a full
        refresh of the history passes the first day of the range.
    -#}
    {%- set end_literal = lead_scoring.score_as_of_date() -%}
    {%- set end_text = end_literal[6:16] -%}
    {%- set start_text = (lead_scoring.run_var('history_start', '') or '') | string | trim -%}
    {%- if start_text == '' -%}
        {{ return([end_text]) }}
    {%- endif -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', start_text) -%}
        {{ exceptions.raise_compiler_error(
            "var history_start must be a date written YYYY-MM-DD, got '" ~ start_text ~ "'"
        ) }}
    {%- endif -%}
    {%- set start = modules.datetime.datetime.strptime(start_text, '%Y-%m-%d') -%}
    {%- set end = modules.datetime.datetime.strptime(end_text, '%Y-%m-%d') -%}
    {%- set days = (end - start).days -%}
    {%- if days < 0 or days > 3660 -%}
        {{ exceptions.raise_compiler_error(
            'var history_start (' ~ start_text ~ ') must be on or before score_as_of ('
            ~ end_text ~ ') and at most 10 years before it'
        ) }}
    {%- endif -%}
    {%- set dates = [] -%}
    {%- for offset in range(days + 1) -%}
        {%- do dates.append(
            (start + modules.datetime.timedelta(days=offset)).strftime('%Y-%m-%d')
        ) -%}
    {%- endfor -%}
    {{ return(dates) }}
{% endmacro %}
