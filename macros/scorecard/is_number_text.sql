{% macro is_number_text(text) %}
    {#-
        True when a scorecard cell holds a plain decimal number
        (`12`, `-3.5`, `.5`, `1e3`) of finite size, false for anything else,
        none included.
    -#}
    {{ return(
        text is not none
        and modules.re.fullmatch(
            '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?',
            text | trim
        ) is not none
        and (text | trim | float) | abs < 1e300
    ) }}
{% endmacro %}
