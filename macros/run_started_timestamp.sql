{% macro run_started_timestamp() %}
    {#-
        When the dbt invocation started (UTC), as a SQL timestamp literal:
        one value for every model of a run (scored_at, detected_at).
    -#}
    {{ return(
        'cast(' ~ dbt.string_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S'))
        ~ ' as timestamp)'
    ) }}
{% endmacro %}
