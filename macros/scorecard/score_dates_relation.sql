{% macro score_dates_relation() %}
    {#-
        The dates of score_dates() as a relation with one column,
        `score_date`: a `union all` of date literals that every engine runs.
    -#}
    {%- set selects = [] -%}
    {%- for day in lead_scoring.score_dates() -%}
        {%- do selects.append("select cast('" ~ day ~ "' as date) as score_date") -%}
    {%- endfor -%}
    {{ return(selects | join('\n    union all\n    ')) }}
{% endmacro %}
