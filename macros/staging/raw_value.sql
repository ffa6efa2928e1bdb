{% macro raw_value(column, kind) %}
    {#-
        A raw column ready to check and parse: text cleaned once
        (clean_text: trimmed, empty as null), a typed value as it is. Null
        means missing, whatever the kind.

        Arguments:
            column: the raw column.
            kind: what it holds (raw_column_kinds).

        Example:
            {{ lead_scoring.raw_value('occurred_at', kinds['occurred_at']) }} as occurred_at_raw
    -#}
    {%- if kind == 'text' -%}
        {{ return(lead_scoring.clean_text(column)) }}
    {%- endif -%}
    {{ return(column) }}
{% endmacro %}
