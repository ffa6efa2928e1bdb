-- One row per lead, as-of date, scorecard and manual adjustment in effect on
-- that date, with the exact change it makes to the score (`score_delta`):
-- applied in sequence to the rule score, `add` adds N, `set` makes the score
-- N, `reset` makes it 0, `exclude` changes nothing but takes the lead out.
with

scores as (
    select * from {{ ref('int_lead_scores_totalled') }}
),

adjustments as (
    select * from {{ ref('int_score_adjustments_sequenced') }}
),

in_effect as (
    select
        scores.lead_id,
        scores.score_date,
        scores.scorecard_id,
        scores.total_score_unrounded as rule_score,
        adjustments.adjustment_id,
        adjustments.action,
        adjustments.reason,
        adjustments.author,
        adjustments.sequence_number,
        case
            when adjustments.action = 'set' then adjustments.points
            when adjustments.action = 'reset' then cast(0 as double)
        end as set_value,
        case
            when adjustments.action = 'add' then adjustments.points
            else cast(0 as double)
        end as added_points,
        adjustments.effective_date
    from scores
    inner join adjustments
        on
            scores.lead_id = adjustments.lead_id
            and (
                adjustments.scorecard_id is null
                or scores.scorecard_id = adjustments.scorecard_id
            )
            and scores.score_date >= adjustments.effective_date
),

segmented as (
    -- a segment starts at each set or reset: the score is known there
    select
        *,
        sum(case when set_value is not null then 1 else 0 end) over (
            partition by lead_id, score_date, scorecard_id
            order by sequence_number
            rows between unbounded preceding and current row
        ) as segment_number
    from in_effect
),

segments as (
    select
        lead_id,
        score_date,
        scorecard_id,
        segment_number,
        max(rule_score) as rule_score,
        max(set_value) as set_value,
        sum(added_points) as added_points
    from segmented
    group by lead_id, score_date, scorecard_id, segment_number
),

segment_ends as (
    -- the score at the end of each segment
    select
        lead_id,
        score_date,
        scorecard_id,
        segment_number,
        case when segment_number = 0 then rule_score else set_value end
        + added_points as score_at_end
    from segments
),

final as (
    select
        segmented.lead_id,
        segmented.score_date,
        segmented.scorecard_id,
        segmented.adjustment_id,
        segmented.action,
        segmented.reason,
        segmented.author,
        segmented.sequence_number,
        case
            when segmented.set_value is not null
                then
                    segmented.set_value
                    - coalesce(previous_segment.score_at_end, segmented.rule_score)
            else segmented.added_points
        end as score_delta,
        segmented.effective_date
    from segmented
    left join segment_ends as previous_segment
        on
            segmented.set_value is not null
            and segmented.lead_id = previous_segment.lead_id
            and segmented.score_date = previous_segment.score_date
            and segmented.scorecard_id = previous_segment.scorecard_id
            and segmented.segment_number - 1 = previous_segment.segment_number
)

select * from final
