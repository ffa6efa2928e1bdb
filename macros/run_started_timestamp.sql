{% macro run_started_timestamp(microseconds=false) %}
    {#-
        When the dbt invocation started (UTC), as a SQL timestamp literal:
        one value for every model of a run (scored_at, detected_at). With
        `microseconds`, to the microsecond (stg_crm__events' staged_at,
        which tells the rows of two runs apart).
    -#}
    {{ return(
        'cast(' ~ dbt.string_literal(run_started_at.strftime(
            '%Y-%m-%d %H:%M:%S.%f' if microseconds else '%Y-%m-%d %H:%M:%S'
        )) ~ ' as timestamp)'
    ) }}
{% endmacro %}
