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

final as (
    select
        adjustment_id,
        lead_id,
        scorecard_id,
        action,
        reason,
        author,
        points,
        row_number() over (order by effective_date, file_order) as sequence_number,
        effective_date
    from typed
)

select * from final
