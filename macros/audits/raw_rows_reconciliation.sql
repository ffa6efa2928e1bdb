{% macro raw_rows_reconciliation(mismatches_only=false) %}
    {#-
        Every raw row is accounted for: one row per raw table with the rows
        read (raw_rows), the usable rows and the quarantined rows; they add
        up when raw_rows = usable_rows + quarantined_rows. The CRM tables are
        optional: a missing one reads as empty. Used by the data test
        assert_raw_rows_reconcile and by the orchestrator's audits; with
        mismatches_only, only the tables that do not add up.
    -#}
{%- set crm_tables = [
    ('opportunities', 'int_opportunities_validated'),
    ('sales_activities', 'int_sales_activities_validated'),
    ('campaigns', 'stg_crm__campaigns'),
    ('consents', 'int_consents_validated'),
    ('erasure_requests', 'stg_crm__erasure_requests'),
] %}
{%- set raw_selects = [] %}
{%- set usable_selects = [] %}
{%- for table, model in crm_tables %}
    {%- do raw_selects.append(
        "select '" ~ table ~ "' as source_table, count(*) as raw_rows from "
        ~ lead_scoring.optional_source('crm', table, ['lead_id']) ~ ' as raw_' ~ table
    ) %}
    {%- do usable_selects.append(
        "select '" ~ table ~ "' as source_table, count(*) as usable_rows from "
        ~ ref(model) ~ ' where is_usable'
    ) %}
{%- endfor %}
with

raw_counts as (
    select
        'leads' as source_table,
        count(*) as raw_rows
    from {{ source('crm', 'leads') }}
    union all
    select
        'lead_attributes' as source_table,
        count(*) as raw_rows
    from {{ source('crm', 'lead_attributes') }}
    union all
    select
        'events' as source_table,
        count(*) as raw_rows
    from {{ source('crm', 'events') }}
    union all
    {{ raw_selects | join('\n    union all\n    ') }}
),

usable_counts as (
    select
        'leads' as source_table,
        count(*) as usable_rows
    from {{ ref('stg_crm__leads') }}
    where is_usable
    union all
    select
        'lead_attributes' as source_table,
        count(*) as usable_rows
    from {{ ref('int_lead_attributes_validated') }}
    where is_usable
    union all
    select
        'events' as source_table,
        count(*) as usable_rows
    from {{ ref('int_events_validated') }}
    where is_usable
    union all
    {{ usable_selects | join('\n    union all\n    ') }}
),

quarantined_counts as (
    select
        source_table,
        count(*) as quarantined_rows
    from {{ ref('fct_quarantined_rows') }}
    group by source_table
),

final as (
    select
        raw_counts.source_table,
        raw_counts.raw_rows,
        usable_counts.usable_rows,
        coalesce(quarantined_counts.quarantined_rows, 0) as quarantined_rows
    from raw_counts
    inner join usable_counts
        on raw_counts.source_table = usable_counts.source_table
    left join quarantined_counts
        on raw_counts.source_table = quarantined_counts.source_table
)

select * from final
{%- if mismatches_only %}
where raw_rows <> usable_rows + quarantined_rows
{%- endif %}
{% endmacro %}
