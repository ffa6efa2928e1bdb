-- One row per raw table and quarantine reason: how many raw rows were set
-- aside for it (fct_quarantined_rows). Rows of erased leads are set aside on
-- purpose (is_erasure); the others could not be used.
with

quarantined as (
    select * from {{ ref('fct_quarantined_rows') }}
),

final as (
    select
        source_table,
        quarantine_reason,
        cast(count(*) as bigint) as row_count,
        quarantine_reason = 'erasure requested' as is_erasure
    from quarantined
    group by source_table, quarantine_reason
)

select * from final
