-- One row per current lead and scorecard that has a score history (first
-- MQL dates before the history's first day are not known): when the lead
-- first became sales-ready (MQL or a higher band; var mql_bands), how many
-- days after its creation, how many times it qualified again after
-- dropping out, and where it stands on the last scored day.
with

band_changes as (
    select * from {{ ref('fct_lead_band_changes') }}
),

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

current_scores as (
    select * from {{ ref('fct_lead_scores') }}
),

leads as (
    select * from {{ ref('int_leads_as_of') }}
),

qualifications as (
    -- a change that moves the lead from below MQL (or from nothing) to MQL or above
    select
        lead_id,
        scorecard_id,
        changed_on
    from band_changes
    where
        to_band_rank >= mql_band_rank
        and (from_band_rank is null or from_band_rank < mql_band_rank)
),

qualification_summary as (
    select
        lead_id,
        scorecard_id,
        min(changed_on) as first_mql_date,
        count(*) - 1 as times_requalified,
        max(changed_on) as last_mql_date
    from qualifications
    group by lead_id, scorecard_id
),

latest as (
    select
        lead_id,
        scorecard_id,
        band,
        total_score,
        score_date,
        row_number() over (
            partition by lead_id, scorecard_id order by score_date desc
        ) as recency
    from history
    where exists (
        select 1
        from current_scores
        where
            current_scores.lead_id = history.lead_id
            and current_scores.scorecard_id = history.scorecard_id
    )
),

created as (
    select
        lead_id,
        min(created_at) as created_at
    from leads
    group by lead_id
),

final as (
    select
        latest.lead_id,
        latest.scorecard_id,
        latest.band as last_band,
        latest.total_score as last_total_score,
        qualification_summary.first_mql_date is not null as has_been_mql,
        cast({{ dbt.datediff(
            'cast(created.created_at as date)',
            'qualification_summary.first_mql_date',
            'day'
        ) }} as {{ dbt.type_bigint() }}) as days_to_mql,
        coalesce(qualification_summary.times_requalified, 0) as times_requalified,
        qualification_summary.first_mql_date,
        qualification_summary.last_mql_date,
        latest.score_date as last_score_date
    from latest
    left join qualification_summary
        on
            latest.lead_id = qualification_summary.lead_id
            and latest.scorecard_id = qualification_summary.scorecard_id
    left join created
        on latest.lead_id = created.lead_id
    where latest.recency = 1
)

select * from final
