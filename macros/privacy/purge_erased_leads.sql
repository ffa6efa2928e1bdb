{% macro purge_erased_leads(erased=none, unless=none) %}
    {#-
        Hook of the models that keep rows across runs (score history,
        trigger log, CRM sync log, the incremental event staging): delete
        the rows of leads with an erasure request, which a rebuild would not
        remove because these models are not rebuilt. `erased`: the query of
        the erased lead ids (default: the usable rows of
        stg_crm__erasure_requests); `unless`: a condition that keeps a row
        (e.g. one masked already). The model must declare
        `-- depends_on: {{ ref('stg_crm__erasure_requests') }}`.
    -#}
    {%- if erased is none -%}
        {%- set erased -%}
            select lead_id from {{ ref('stg_crm__erasure_requests') }} where is_usable
        {%- endset -%}
    {%- endif -%}
    {%- set condition = 'lead_id in (' ~ erased ~ ')'
        ~ ('' if unless is none else ' and not coalesce(' ~ unless ~ ', false)') -%}
    {%- if not is_incremental() -%}
        {#- a first build or a full refresh: built without erased leads -#}
        {{ return('select 1') }}
    {%- endif -%}
    {{ return(lead_scoring.delete_rows(condition)) }}
{% endmacro %}
