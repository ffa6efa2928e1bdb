-- One row per raw row that cannot be used, with the reason: nothing is
-- dropped silently. Raw rows = usable rows + these rows, per source table
-- (the raw tables of the register, through int_raw_rows_classified).
with

classified as (
    select * from {{ ref('int_raw_rows_classified') }}
),

final as (
    select
        source_table,
        source_row_number,
        lead_id,
        record_key,
        quarantine_reason
    from classified
    where not is_usable
)

select * from final
