{% macro generate_schema_name(custom_schema_name, node) -%}
    {#-
        Models land in the schema their folder names (staging, intermediate,
        marts, seeds) so that BI tools find `marts.fct_lead_scores`; without a
        custom schema, the target's schema.
    -#}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
