{{ config(
    meta={
        'audit': 'raw rows = usable + quarantined',
        'fix': 'a staging or validation model dropped or duplicated raw rows: compare the'
            ~ ' raw table with its validated model (register: _crm__sources.yml)',
    },
    tags=['audit'],
    store_failures=true,
    store_failures_as='view',
) }}
-- Every raw row is accounted for: per raw table of the register
-- (macros/sources/raw_table_register.sql), the rows read equal the usable
-- plus the quarantined rows (rpt_raw_table_reconciliation). The optional CRM
-- tables may be missing: a missing one reads as empty. Returns the tables
-- that do not add up.
{%- set register = lead_scoring.raw_table_register() %}
with

raw_counts as (
    {%- for table in register %}
    select
        '{{ table.name }}' as source_table,
        count(*) as raw_rows
    {%- if table.required %}
    from {{ source('crm', table.name) }}
    {%- else %}
    from {{ lead_scoring.optional_source('crm', table.name, ['lead_id']) }} as raw_table
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

reconciliation as (
    select * from {{ ref('rpt_raw_table_reconciliation') }}
),

final as (
    select
        raw_counts.source_table,
        raw_counts.raw_rows,
        coalesce(reconciliation.usable_rows, 0) as usable_rows,
        coalesce(reconciliation.quarantined_rows, 0) as quarantined_rows,
        raw_counts.source_table || ': '
        || cast(raw_counts.raw_rows as {{ dbt.type_string() }}) || ' raw rows, '
        || cast(coalesce(reconciliation.usable_rows, 0) as {{ dbt.type_string() }})
        || ' usable + '
        || cast(coalesce(reconciliation.quarantined_rows, 0) as {{ dbt.type_string() }})
        || ' quarantined' as detail
    from raw_counts
    left join reconciliation
        on raw_counts.source_table = reconciliation.source_table
    where
        raw_counts.raw_rows
        <> coalesce(reconciliation.usable_rows, 0)
        + coalesce(reconciliation.quarantined_rows, 0)
)

select * from final
