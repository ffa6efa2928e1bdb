{% macro score_dates_relation() %}
    {#-
        The dates of score_dates() as a relation with one column,
        `score_date`: literal rows (literal_relation) that every engine runs.
    -#}
    {%- set rows = [] -%}
    {%- for day in lead_scoring.score_dates() -%}
        {%- do rows.append(["cast('" ~ day ~ "' as date)"]) -%}
    {%- endfor -%}
    {{ return(lead_scoring.literal_relation(['score_date'], rows)) }}
{% endmacro %}
