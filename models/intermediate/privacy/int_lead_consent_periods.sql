-- One row per consent row of a lead and purpose: the period in which it is
-- the lead's consent for that purpose, from recorded_at until the next row
-- of the same lead and purpose (ties: the row loaded last wins, so an
-- earlier row with the same recorded_at gets an empty period).
with

consents as (
    select * from {{ ref('int_consents_validated') }}
),

periods as (
    select
        lead_id,
        purpose,
        status,
        source_row_number,
        recorded_at as valid_from,
        lead(recorded_at) over (
            partition by lead_id, purpose
            order by recorded_at, source_row_number
        ) as valid_to,
        row_number() over (
            partition by lead_id, purpose
            order by recorded_at desc, source_row_number desc
        ) = 1 as is_current
    from consents
    where is_usable
),

final as (
    select
        lead_id,
        purpose,
        status,
        source_row_number,
        is_current,
        valid_from,
        valid_to
    from periods
)

select * from final
