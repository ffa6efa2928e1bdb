{{ config(
    meta={
        'audit': 'every current lead scored by every scorecard',
        'fix': 'leads x scorecards - excluded leads should equal the rows of'
            ~ ' fct_lead_scores: a lead or a scorecard went missing between dim_leads and'
            ~ ' the scores',
    },
    tags=['audit'],
    store_failures=true,
    store_failures_as='view',
) }}
-- Every current lead (dim_leads) has a score from every scorecard
-- (scorecard_rules), except the leads a manual adjustment excludes
-- (their `exclusion` entry in int_lead_rule_contributions). Returns one row
-- when the counts differ.
with

leads as (
    select count(*) as lead_count from {{ ref('dim_leads') }}
),

scorecards as (
    select count(distinct trim(scorecard_id)) as scorecard_count
    from {{ ref('scorecard_rules') }}
),

scores as (
    select count(*) as score_count from {{ ref('fct_lead_scores') }}
),

excluded as (
    select count(*) as excluded_count
    from (
        select distinct
            lead_id,
            scorecard_id
        from {{ ref('int_lead_rule_contributions') }}
        where
            entry_type = 'exclusion'
            and score_date = {{ lead_scoring.score_as_of_date() }}
    ) as exclusions
),

final as (
    select
        leads.lead_count,
        scorecards.scorecard_count,
        excluded.excluded_count,
        scores.score_count,
        cast(leads.lead_count as {{ dbt.type_string() }}) || ' leads x '
        || cast(scorecards.scorecard_count as {{ dbt.type_string() }}) || ' scorecards - '
        || cast(excluded.excluded_count as {{ dbt.type_string() }}) || ' excluded <> '
        || cast(scores.score_count as {{ dbt.type_string() }}) || ' scores' as detail
    from leads
    cross join scorecards
    cross join scores
    cross join excluded
    where
        leads.lead_count * scorecards.scorecard_count - excluded.excluded_count
        <> scores.score_count
)

select * from final
