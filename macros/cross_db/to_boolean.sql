{% macro to_boolean(expression) %}
    {#-
        Cleaned text as a boolean: true for true, t, yes, y, 1 and false for
        false, f, no, n, 0 in any case; null for anything else (so staging
        can tell a missing value from an unparseable one).
    -#}
    case
        when lower({{ expression }}) in ('true', 't', 'yes', 'y', '1') then true
        when lower({{ expression }}) in ('false', 'f', 'no', 'n', '0') then false
    end
{% endmacro %}
