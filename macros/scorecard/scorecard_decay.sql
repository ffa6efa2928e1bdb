{% macro scorecard_decay(rule, age_days) %}
    {#-
        decay(age) = 0.5 ^ (age_days / half_life_days) for a rule with a
        half-life, else 1 (SCORING_SPEC 3.3).
    -#}
    {%- if rule['half_life_days'] is none -%}
        {{ return('cast(1 as double)') }}
    {%- endif -%}
    {{ return(
        'power(cast(0.5 as double), cast(' ~ age_days ~ ' as double) / '
        ~ lead_scoring.sql_number(rule['half_life_days']) ~ ')'
    ) }}
{% endmacro %}
