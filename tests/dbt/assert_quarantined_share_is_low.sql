{{ config(
    severity='warn',
    meta={
        'audit': 'unusable share of each raw table under quarantine_warn_share',
        'fix': 'look at the reasons in fct_quarantined_rows (rpt_quarantined_rows_by_reason)'
            ~ ' and fix the export; rows of erased leads do not count',
    },
    tags=['audit'],
    store_failures=true,
    store_failures_as='view',
) }}
-- A warning when more than var quarantine_warn_share (the orchestrator's
-- --quarantine-warn-share, default 0.05) of a raw table's rows could not be
-- used. Rows of erased leads are set aside on purpose and do not count.
{%- set share = lead_scoring.run_var('quarantine_warn_share', 0.05) | float %}
with

reconciliation as (
    select * from {{ ref('rpt_raw_table_reconciliation') }}
),

final as (
    select
        source_table,
        unusable_rows,
        quarantined_rows,
        erased_rows,
        row_count,
        -- the words and figures of the summary's line (rpt_raw_table_reconciliation):
        -- unusable = quarantined - erased leads' rows
        source_table || ': ' || cast(unusable_rows as {{ dbt.type_string() }}) || ' of '
        || cast(row_count as {{ dbt.type_string() }})
        || ' rows unusable (over {{ share * 100 }} %; '
        || cast(quarantined_rows as {{ dbt.type_string() }}) || ' quarantined, of which '
        || cast(erased_rows as {{ dbt.type_string() }})
        || ' of erased leads, set aside on purpose)' as detail
    from reconciliation
    where unusable_share > {{ share }}
)

select * from final
