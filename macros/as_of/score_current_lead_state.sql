{% macro score_current_lead_state() %}
    {#-
        Whether this run scores in what-if mode: true when the var
        `score_current_lead_state` is true, false by default. By default a
        past as-of date is point in time (each lead, and each custom
        attribute, as it was on the date; no lead created after it); the
        what-if mode scores today's lead state with the activities of the
        date. int_leads_as_of and int_lead_attributes_as_of read it.

        Example:
            dbt build --vars '{score_as_of: "2026-03-31", score_current_lead_state: true}'
    -#}
    {%- set value = lead_scoring.run_var('score_current_lead_state', false) -%}
    {%- set text = (value | string | trim | lower) -%}
    {%- if text in ['true', '1', 'yes'] -%}
        {{ return(true) }}
    {%- elif text in ['false', '0', 'no', '', 'none'] -%}
        {{ return(false) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "var score_current_lead_state must be true or false, got '" ~ value ~ "'"
    ) }}
{% endmacro %}
