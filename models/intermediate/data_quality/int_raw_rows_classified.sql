{{ config(materialized='view') }}
-- One row per raw row of every raw table in the register
-- (macros/sources/raw_table_register.sql): usable or quarantined, with the
-- reason. A view: the quarantine mart filters it, the reconciliation counts it.
-- The validated models the register names (dbt stops if one is missing):
-- depends_on: {{ ref('stg_crm__leads') }}
-- depends_on: {{ ref('int_lead_attributes_validated') }}
-- depends_on: {{ ref('int_events_validated') }}
-- depends_on: {{ ref('int_opportunities_validated') }}
-- depends_on: {{ ref('int_sales_activities_validated') }}
-- depends_on: {{ ref('stg_crm__campaigns') }}
-- depends_on: {{ ref('int_consents_validated') }}
-- depends_on: {{ ref('stg_crm__erasure_requests') }}
{%- set register = lead_scoring.raw_table_register() %}
with

{% for table in register %}
{{ table.name }} as (
    select * from {{ ref(table.validated_model) }}
),

{% endfor %}
classified as (
    {%- for table in register %}
    select
        '{{ table.name }}' as source_table,
        source_row_number,
        {{ 'lead_id' if table.has_lead_id else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
            as lead_id,
        {{ table.record_key if table.record_key else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
            as record_key,
        quarantine_reason,
        is_usable
    from {{ table.name }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from classified
