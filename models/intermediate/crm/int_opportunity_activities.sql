-- One row per opportunity event, derived from the versions of each deal
-- (docs/crm_contract.md): created (once), stage changed (a version whose
-- stage differs from the previous one), won and lost (a version that closes
-- the deal, or changes how it closed). These join the activity stream.
with

opportunities as (
    select * from {{ ref('int_opportunities_validated') }}
),

versions as (
    select
        *,
        row_number() over (
            partition by opportunity_id
            order by updated_at, source_row_number
        ) as version_number,
        lag(stage) over (
            partition by opportunity_id
            order by updated_at, source_row_number
        ) as previous_stage,
        lag(is_closed) over (
            partition by opportunity_id
            order by updated_at, source_row_number
        ) as was_closed,
        lag(is_won) over (
            partition by opportunity_id
            order by updated_at, source_row_number
        ) as was_won,
        min(created_at) over (partition by opportunity_id) as first_created_at
    from opportunities
    where is_usable
),

created as (
    select
        opportunity_id,
        lead_id,
        'opportunity_created' as activity_type,
        stage,
        amount,
        currency,
        source_row_number,
        first_created_at as occurred_at
    from versions
    where version_number = 1
),

stage_changed as (
    select
        opportunity_id,
        lead_id,
        'opportunity_stage_changed' as activity_type,
        stage,
        amount,
        currency,
        source_row_number,
        updated_at as occurred_at
    from versions
    where
        version_number > 1
        and coalesce(stage, '') <> coalesce(previous_stage, '')
),

closed as (
    select
        opportunity_id,
        lead_id,
        case
            when is_won then 'opportunity_won' else 'opportunity_lost'
        end as activity_type,
        stage,
        amount,
        currency,
        source_row_number,
        coalesce(closed_at, updated_at) as occurred_at
    from versions
    where
        is_closed
        and (
            version_number = 1
            or not was_closed
            or was_won <> is_won
        )
),

unioned as (
    select * from created
    union all
    select * from stage_changed
    union all
    select * from closed
),

final as (
    select
        opportunity_id || ':' || activity_type || ':'
        || cast(source_row_number as {{ dbt.type_string() }}) as activity_id,
        opportunity_id,
        lead_id,
        activity_type,
        stage,
        currency,
        amount,
        cast(occurred_at as date) as occurred_date,
        occurred_at
    from unioned
)

select * from final
