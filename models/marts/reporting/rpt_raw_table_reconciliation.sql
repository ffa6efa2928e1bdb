-- One row per raw table that has rows (the register in _crm__sources.yml):
-- its rows, how many are usable and how many quarantined; of the
-- quarantined, the rows of erased leads (set aside on purpose) and the rows
-- that could not be used. The audit assert_raw_rows_reconcile checks that
-- the rows here are the raw table's rows; assert_quarantined_share_is_low
-- warns when the unusable share is high.
with

classified as (
    select * from {{ ref('int_raw_rows_classified') }}
),

counted as (
    select
        source_table,
        count(*) as row_count,
        sum(case when is_usable then 1 else 0 end) as usable_rows,
        sum(case when is_usable then 0 else 1 end) as quarantined_rows,
        sum(
            case
                when not is_usable and quarantine_reason = 'erasure requested' then 1
                else 0
            end
        ) as erased_rows
    from classified
    group by source_table
),

final as (
    select
        source_table,
        cast(row_count as bigint) as row_count,
        cast(usable_rows as bigint) as usable_rows,
        cast(quarantined_rows as bigint) as quarantined_rows,
        cast(erased_rows as bigint) as erased_rows,
        cast(quarantined_rows - erased_rows as bigint) as unusable_rows,
        cast((quarantined_rows - erased_rows) * 1.0 / row_count as double)
            as unusable_share
    from counted
)

select * from final
