{% macro purge_erased_leads() %}
    {#-
        Post-hook of the models that keep rows across runs (score history,
        trigger log, CRM sync log): delete the rows of leads with an erasure
        request, which a rebuild would not remove because these models are
        never rebuilt. The model must declare
        `-- depends_on: {{ ref('stg_crm__erasure_requests') }}`.
    -#}
    {{ return(adapter.dispatch('purge_erased_leads', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__purge_erased_leads() -%}
    delete from {{ this }}
    where lead_id in (
        select lead_id
        from {{ ref('stg_crm__erasure_requests') }}
        where is_usable
    )
{%- endmacro %}

{% macro spark__purge_erased_leads() -%}
    {#- parquet tables cannot delete rows: see docs/privacy.md -#}
    {%- do exceptions.warn(
        'Erased leads are not purged from ' ~ this
        ~ ' on Spark (parquet tables cannot delete rows); see docs/privacy.md.'
    ) -%}
    select 1
{%- endmacro %}
