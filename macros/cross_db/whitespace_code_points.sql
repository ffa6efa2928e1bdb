{% macro whitespace_code_points() %}
    {#-
        The code points Python's str.isspace() calls white space: what
        clean_text strips from both ends of a value.
    -#}
    {{ return([
        9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760, 8192, 8193, 8194,
        8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287,
        12288
    ]) }}
{% endmacro %}
