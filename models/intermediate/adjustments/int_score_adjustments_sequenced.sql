-- One row per manual score adjustment: typed, with its order of application
-- (effective date, then file order).
with

adjustments as (
    select
        *,
        {{ lead_scoring.load_order() }} as file_order
    from {{ ref('score_adjustments') }}
),

typed as (
    select
        {{ lead_scoring.clean_text('adjustment_id') }} as adjustment_id,
        {{ lead_scoring.clean_text('lead_id') }} as lead_id,
        {{ lead_scoring.clean_text('scorecard_id') }} as scorecard_id,
        lower({{ lead_scoring.clean_text('action') }}) as action,  -- noqa: RF04
        {{ lead_scoring.clean_text('reason') }} as reason,
        {{ lead_scoring.clean_text('author') }} as author,
        {{ lead_scoring.to_number(lead_scoring.clean_text('points')) }} as points,
        file_order,
        {{ lead_scoring.try_cast(lead_scoring.clean_text('effective_date'), 'date') }}
            as effective_date
    from adjustments
),

checked as (
    select
        *,
        case
            when adjustment_id is null then 'missing adjustment_id'
            when lead_id is null then 'missing lead_id'
            when action is null or action not in ('add', 'set', 'reset', 'exclude')
                then 'unknown action (add, set, reset or exclude)'
            when action in ('add', 'set') and points is null
                then 'points is not a number'
            when effective_date is null then 'effective_date is not a date (YYYY-MM-DD)'
        end as validation_error
    from typed
),

final as (
    select
        adjustment_id,
        lead_id,
        scorecard_id,
        action,
        reason,
        author,
        points,
        validation_error,
        row_number() over (order by effective_date, file_order) as sequence_number,
        effective_date
    from checked
)

select * from final
