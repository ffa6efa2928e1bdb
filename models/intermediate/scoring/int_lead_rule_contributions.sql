-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead, as-of date, scorecard and entry that moves the score
-- (SCORING_SPEC 3.2 to 3.6 and 3.9): every rule that applies (its CASE
-- column, capped by its max_points), every group cap that trims points,
-- every manual adjustment in effect and, with contribution 0, an exclusion.
-- The contributions of a lead and scorecard sum to its unrounded total
-- score. fct_lead_score_history adds them up; fct_lead_score_contributions
-- is the as-of date's slice.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set rule_columns = lead_scoring.scorecard_rule_columns(scorecard)
    if execute else [] %}
{%- set fact_columns = ['leads.lead_id', 'leads.score_date', 'leads.market']
    + (lead_scoring.scorecard_lead_facts(scorecard) if execute else []) %}

with

leads as (
    select * from {{ ref('int_leads_as_of') }}
),

lead_attributes as (
    select * from {{ ref('int_lead_attributes_as_of') }}
),

activity_rules as (
    select * from {{ ref('int_lead_activity_rules_aggregated') }}
),

adjustments as (
    select * from {{ ref('int_score_adjustments_sequenced') }}
),

score_groups as (
    {%- if execute %}
        {{ lead_scoring.scorecard_groups_relation(scorecard) }}
    {%- else %}
    select
        'scorecard' as scorecard_id,
        'group' as score_group,
        'fit' as dimension,
        cast(null as double) as min_points,
        cast(null as double) as max_points
    {%- endif %}
),

custom_attributes as (
    select
        {{ (['lead_id', 'score_date']
            + (lead_scoring.scorecard_custom_attribute_pivots(scorecard)
               if execute else [])) | join(',\n        ') }}
    from lead_attributes
    group by lead_id, score_date
),

lead_facts as (
    -- one row per lead and date: what the CASE columns test, as cleaned text
    select
        {{ fact_columns | join(',\n        ') }}
    from leads
    left join custom_attributes
        on
            leads.lead_id = custom_attributes.lead_id
            and leads.score_date = custom_attributes.score_date
    left join activity_rules
        on
            leads.lead_id = activity_rules.lead_id
            and leads.score_date = activity_rules.score_date
),

rules_scored as (
    -- the CASE column of every rule (scorecard_rule_columns): its points
    -- before the cap when it applies to the lead, null when it does not
    select
        {{ (rule_columns + ['lead_id', 'score_date']) | join(',\n        ') }}
    from lead_facts
),

rule_entries as (
    -- one row per lead, date and rule that applies: its points, and its
    -- contribution after the rule's cap (SCORING_SPEC 3.4)
    {%- if execute %}
        {{ lead_scoring.scorecard_rule_entries(scorecard, 'rules_scored') }}
    {%- else %}
    select * from rules_scored
    {%- endif %}
),

group_sums as (
    select
        lead_id,
        score_date,
        scorecard_id,
        score_group,
        sum(contribution) as points_unclamped
    from rule_entries
    group by lead_id, score_date, scorecard_id, score_group
),

lead_groups as (
    -- every group of every lead: a group floor above 0 applies even when no
    -- rule of the group does (SCORING_SPEC 3.6)
    select
        leads.lead_id,
        leads.score_date,
        score_groups.scorecard_id,
        score_groups.score_group,
        score_groups.dimension,
        coalesce(group_sums.points_unclamped, 0) as points_unclamped,
        case
            when
                score_groups.min_points is not null
                and coalesce(group_sums.points_unclamped, 0)
                < score_groups.min_points
                then score_groups.min_points
            when
                score_groups.max_points is not null
                and coalesce(group_sums.points_unclamped, 0)
                > score_groups.max_points
                then score_groups.max_points
            else coalesce(group_sums.points_unclamped, 0)
        end as points
    from leads
    cross join score_groups
    left join group_sums
        on
            leads.lead_id = group_sums.lead_id
            and leads.score_date = group_sums.score_date
            and score_groups.scorecard_id = group_sums.scorecard_id
            and score_groups.score_group = group_sums.score_group
),

group_cap_entries as (
    select
        lead_id,
        score_date,
        scorecard_id,
        '__group_cap__' || score_group as rule_id,
        'group_cap' as entry_type,
        dimension,
        score_group,
        cast(null as {{ dbt.type_string() }}) as rule_source,
        'Group ' || score_group || ' capped at its '
        || case
            when points_unclamped > points then 'maximum of '
            else 'minimum of '
        end
        || cast(cast(points as decimal(18, 2)) as {{ dbt.type_string() }})
        || ' points' as description,
        cast(null as double) as rule_points,
        cast(null as bigint) as activity_count,
        cast(null as double) as decay_factor,
        points_unclamped as points_before_cap,
        points - points_unclamped as contribution
    from lead_groups
    where points <> points_unclamped
),

rule_scores as (
    -- the score of the rules and group caps, before manual adjustments
    select
        lead_id,
        score_date,
        scorecard_id,
        sum(points) as rule_score
    from lead_groups
    group by lead_id, score_date, scorecard_id
),

adjustments_in_effect as (
    -- applied in sequence to the rule score: `add` adds N, `set` makes the
    -- score N, `reset` makes it 0, `exclude` takes the lead out
    select
        rule_scores.lead_id,
        rule_scores.score_date,
        rule_scores.scorecard_id,
        rule_scores.rule_score,
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
        end as added_points
    from rule_scores
    inner join adjustments
        on
            rule_scores.lead_id = adjustments.lead_id
            and (
                adjustments.scorecard_id is null
                or rule_scores.scorecard_id = adjustments.scorecard_id
            )
            and rule_scores.score_date >= adjustments.effective_date
),

adjustment_segments as (
    -- a segment starts at each set or reset: the score is known there
    select
        *,
        sum(case when set_value is not null then 1 else 0 end) over (
            partition by lead_id, score_date, scorecard_id
            order by sequence_number
            rows between unbounded preceding and current row
        ) as segment_number
    from adjustments_in_effect
),

segment_ends as (
    -- the score at the end of each segment
    select
        lead_id,
        score_date,
        scorecard_id,
        segment_number,
        case when segment_number = 0 then max(rule_score) else max(set_value) end
        + sum(added_points) as score_at_end
    from adjustment_segments
    group by lead_id, score_date, scorecard_id, segment_number
),

adjustment_entries as (
    select
        adjustment_segments.lead_id,
        adjustment_segments.score_date,
        adjustment_segments.scorecard_id,
        '__adjustment__' || adjustment_segments.adjustment_id as rule_id,
        case
            when adjustment_segments.action = 'exclude' then 'exclusion'
            else 'manual_adjustment'
        end as entry_type,
        cast(null as {{ dbt.type_string() }}) as dimension,
        cast(null as {{ dbt.type_string() }}) as score_group,
        cast(null as {{ dbt.type_string() }}) as rule_source,
        'Manual ' || adjustment_segments.action || ' by '
        || coalesce(adjustment_segments.author, 'unknown') || ': '
        || coalesce(adjustment_segments.reason, '') as description,
        cast(null as double) as rule_points,
        cast(null as bigint) as activity_count,
        cast(null as double) as decay_factor,
        cast(null as double) as points_before_cap,
        case
            when adjustment_segments.set_value is not null
                then
                    adjustment_segments.set_value
                    - coalesce(
                        previous_segment.score_at_end,
                        adjustment_segments.rule_score
                    )
            else adjustment_segments.added_points
        end as contribution
    from adjustment_segments
    left join segment_ends as previous_segment
        on
            adjustment_segments.set_value is not null
            and adjustment_segments.lead_id = previous_segment.lead_id
            and adjustment_segments.score_date = previous_segment.score_date
            and adjustment_segments.scorecard_id = previous_segment.scorecard_id
            and adjustment_segments.segment_number - 1
            = previous_segment.segment_number
),

final as (
    select * from rule_entries
    union all
    select * from group_cap_entries
    union all
    select * from adjustment_entries
)

select * from final
