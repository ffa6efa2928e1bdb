-- One row per current lead, scorecard and ledger entry: the as-of date's
-- slice of int_lead_rule_contributions (every rule that applies to the
-- lead, every group cap that trimmed points, every manual adjustment in
-- effect) and, where rounding to 2 decimals needs it, one rounding entry,
-- so that for each lead and scorecard `contribution` sums exactly to
-- `total_score`.
with

contributions as (
    select * from {{ ref('int_lead_rule_contributions') }}
    where
        score_date = {{ lead_scoring.score_as_of_date() }}
        and entry_type <> 'exclusion'
),

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

entries as (
    select
        lead_id,
        scorecard_id,
        rule_id,
        entry_type,
        dimension,
        score_group,
        rule_source,
        description,
        rule_points,
        activity_count,
        decay_factor,
        points_before_cap,
        contribution as contribution_unrounded
    from contributions
),

scored_entries as (
    -- leads excluded by an adjustment have no score and so no ledger
    select entries.*
    from entries
    inner join scores
        on
            entries.lead_id = scores.lead_id
            and entries.scorecard_id = scores.scorecard_id
),

entries_rounded as (
    select
        *,
        cast(round(contribution_unrounded, 2) as decimal(18, 2))
            as contribution
    from scored_entries
),

entry_sums as (
    select
        lead_id,
        scorecard_id,
        sum(contribution) as contribution_sum
    from entries_rounded
    group by lead_id, scorecard_id
),

rounding_entries as (
    select
        scores.lead_id,
        scores.scorecard_id,
        '__rounding__' as rule_id,
        'rounding' as entry_type,
        cast(null as {{ dbt.type_string() }}) as dimension,
        cast(null as {{ dbt.type_string() }}) as score_group,
        cast(null as {{ dbt.type_string() }}) as rule_source,
        'Rounding of the published score to 2 decimals' as description,
        cast(null as double) as rule_points,
        cast(null as bigint) as activity_count,
        cast(null as double) as decay_factor,
        cast(null as double) as points_before_cap,
        cast(0 as double) as contribution_unrounded,
        cast(
            scores.total_score - coalesce(entry_sums.contribution_sum, 0)
            as decimal(18, 2)
        ) as contribution
    from scores
    left join entry_sums
        on
            scores.lead_id = entry_sums.lead_id
            and scores.scorecard_id = entry_sums.scorecard_id
    where scores.total_score <> coalesce(entry_sums.contribution_sum, 0)
),

ledger as (
    select * from entries_rounded
    union all
    select * from rounding_entries
),

final as (
    select
        lead_id,
        scorecard_id,
        rule_id,
        entry_type,
        dimension,
        score_group,
        rule_source,
        description,
        rule_points,
        activity_count,
        -- 9 decimals: the last bits of a parallel sum depend on the order it
        -- adds the activities, and a rerun must publish the same values
        round(decay_factor, 9) as decay_factor,
        round(points_before_cap, 9) as points_before_cap,
        round(contribution_unrounded, 9) as contribution_unrounded,
        contribution,
        {{ lead_scoring.score_as_of_date() }} as score_as_of
    from ledger
)

select * from final
