{% macro var_literal(name, default) %}
    {#-
        A text var as a SQL string literal: the var's value, trimmed, escaped
        by string_literal. A var is data, never SQL: a value holding a quote
        (`O'Brien`, `Europe/Paris'`) is matched literally instead of breaking
        the build or changing the query.

        Arguments:
            name: the var's name.
            default: its value when the project does not set it.

        Example:
            where scorecard_id = {{ lead_scoring.var_literal('champion_scorecard', 'default') }}
    -#}
    {{ return(lead_scoring.string_literal((var(name, default) | string) | trim)) }}
{% endmacro %}
