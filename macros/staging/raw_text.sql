{% macro raw_text(column, kind) %}
    {#-
        A raw column as staged text: text cleaned (clean_text), a typed
        value cast to a string (its text has nothing to trim).

        Arguments:
            column: the raw column.
            kind: what it holds (raw_column_kinds).

        Example:
            {{ lead_scoring.raw_text('event_id', kinds['event_id']) }} as event_id
    -#}
    {%- if kind == 'text' -%}
        {{ return(lead_scoring.clean_text(column)) }}
    {%- endif -%}
    {{ return('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') }}
{% endmacro %}
