{% macro parse_raw(expression, kind, data_type) %}
    {#-
        A raw value (raw_value) as a `timestamp` (UTC, without time zone),
        a `number` (double) or a `boolean`. Text is parsed (and gives null
        when it does not parse: the caller quarantines it); a column that
        arrives typed is used without any text parsing: a timestamp is cast,
        a timestamp with time zone converted to UTC, a number cast to double.

        Arguments:
            expression: the value, as raw_value gave it.
            kind: what the raw column holds (raw_column_kinds).
            data_type: timestamp, number or boolean.

        Example:
            {{ lead_scoring.parse_raw('occurred_at_raw', kinds['occurred_at'], 'timestamp') }}
    -#}
    {%- set text = 'cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    {%- if data_type == 'timestamp' -%}
        {%- if kind == 'text' -%}
            {{ return(lead_scoring.parse_timestamp_utc(expression)) }}
        {%- elif kind in ['timestamp', 'date'] -%}
            {{ return('cast(' ~ expression ~ ' as timestamp)') }}
        {%- elif kind == 'timestamp_tz' -%}
            {{ return(lead_scoring.utc_timestamp(expression)) }}
        {%- endif -%}
        {{ return(lead_scoring.parse_timestamp_utc(text)) }}
    {%- elif data_type == 'number' -%}
        {%- if kind == 'text' -%}
            {{ return(lead_scoring.to_number(expression)) }}
        {%- elif kind == 'number' -%}
            {{ return('cast(' ~ expression ~ ' as double)') }}
        {%- endif -%}
        {{ return(lead_scoring.to_number(text)) }}
    {%- elif data_type == 'boolean' -%}
        {%- if kind == 'text' -%}
            {{ return(lead_scoring.to_boolean(expression)) }}
        {%- elif kind == 'boolean' -%}
            {{ return(expression) }}
        {%- endif -%}
        {{ return(lead_scoring.to_boolean(text)) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        'parse_raw: data_type must be timestamp, number or boolean, got ' ~ data_type
    ) }}
{% endmacro %}
