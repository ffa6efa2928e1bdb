-- One row per usable opportunity: its current state, the version with the
-- latest updated_at (ties: the row loaded last), as for leads.
with

opportunities as (
    select * from {{ ref('int_opportunities_validated') }}
),

ranked as (
    select
        *,
        count(*) over (partition by opportunity_id) as version_count,
        min(created_at) over (partition by opportunity_id) as first_created_at,
        row_number() over (
            partition by opportunity_id
            order by updated_at desc, source_row_number desc
        ) as version_rank
    from opportunities
    where is_usable
),

final as (
    select
        opportunity_id,
        lead_id,
        stage,
        currency,
        amount,
        version_count,
        is_won,
        is_closed,
        first_created_at as created_at,
        closed_at,
        updated_at
    from ranked
    where version_rank = 1
)

select * from final
