{% macro generate_schema_name(custom_schema_name, node) -%}
    {#-
        Models land in the schema their folder names (staging, intermediate,
        marts, seeds) so that BI tools find `marts.fct_lead_scores`; without a
        custom schema, the target's schema.

        Env LEAD_SCORING_SCHEMA_PREFIX (default empty) goes in front of every
        schema: on Spark the orchestrator builds each run into schemas of its
        own (`lead_scoring_b7_marts`, ...) and publishes them as the views of
        schema `marts` (scripts/lead_scoring/spark_publication.py).
    -#}
    {%- set prefix = env_var('LEAD_SCORING_SCHEMA_PREFIX', '') | trim -%}
    {%- if custom_schema_name is none -%}
        {{ prefix ~ target.schema }}
    {%- else -%}
        {{ prefix ~ (custom_schema_name | trim) }}
    {%- endif -%}
{%- endmacro %}
