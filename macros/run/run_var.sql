{% macro run_var(name, default=none) %}
    {#-
        A var that changes from run to run (the as-of date, the history
        range, the audits' last publication): the value in the environment
        variable LEAD_SCORING_RUN_VARS (a JSON object) when it holds `name`,
        else var(name, default).

        Why a second channel: dbt re-parses the whole project (about 4 s on
        2 cores) whenever the --vars of an invocation differ from the last
        one, and a scheduled run's as-of date differs every day. A value read
        from the environment at execution time leaves the parse valid, so
        the orchestrator (scripts/lead_scoring/dbt_client.py) and the test
        harness pass these vars here. At parse time (execute false) the
        var() default is returned: no ref, source or config depends on these
        values. A unit test reads only var() (its `overrides: vars:`), never
        the environment. A user's `dbt build --vars '{score_as_of: ...}'`
        works as always (with LEAD_SCORING_RUN_VARS unset).

        Example:
            {%- set start = lead_scoring.run_var('history_start', '') %}
    -#}
    {%- set in_unit_test = model is defined and model is not none
        and model.resource_type == 'unit_test' -%}
    {%- if execute and not in_unit_test -%}
        {%- set run_vars = fromjson(env_var('LEAD_SCORING_RUN_VARS', '{}')) -%}
        {%- if run_vars is not mapping -%}
            {{ exceptions.raise_compiler_error(
                'LEAD_SCORING_RUN_VARS must be a JSON object of dbt vars, got: '
                ~ env_var('LEAD_SCORING_RUN_VARS', '{}')
            ) }}
        {%- endif -%}
        {%- if name in run_vars -%}
            {{ return(run_vars[name]) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(var(name, default)) }}
{% endmacro %}
