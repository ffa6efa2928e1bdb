{% macro get_scorecard() %}
    {#-
        The validated scorecard: reads the seeds and checks them (a broken
        scorecard stops the build here, naming file, scorecard and rule).
        Returns none at parse time, so callers guard with `if execute`.
    -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(lead_scoring.validate_scorecard(lead_scoring.read_scorecard_seeds())) }}
{% endmacro %}
