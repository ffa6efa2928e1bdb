-- One row per scorecard per top lead (var report_top_leads, the
-- orchestrator's --top): its score, band and who it is, with its top three
-- reasons (macros/reporting/ranked_score_reasons.sql).
{%- set top = lead_scoring.run_var('report_top_leads', 5) | int %}
with

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

contributions as (
    select * from {{ ref('fct_lead_score_contributions') }}
),

leads as (
    select * from {{ ref('dim_leads') }}
),

ranked_leads as (
    select
        scores.*,
        row_number() over (
            partition by scores.scorecard_id
            order by scores.total_score desc, scores.lead_id
        ) as lead_rank
    from scores
),

reasons as (
    {{ lead_scoring.ranked_score_reasons('contributions') }}
),

top_reasons as (
    select
        lead_id,
        scorecard_id,
        {%- for rank in [1, 2, 3] %}
        max(case when reason_rank = {{ rank }} then description end)
            as reason_{{ rank }}_description,
        max(case when reason_rank = {{ rank }} then contribution end)
            as reason_{{ rank }}_points{{ ',' if not loop.last }}
        {%- endfor %}
    from reasons
    where reason_rank <= 3
    group by lead_id, scorecard_id
),

final as (
    select
        ranked_leads.scorecard_id,
        ranked_leads.lead_id,
        ranked_leads.band,
        ranked_leads.grade,
        leads.job_title,
        leads.company_name,
        leads.market,
        top_reasons.reason_1_description,
        top_reasons.reason_2_description,
        top_reasons.reason_3_description,
        cast(ranked_leads.lead_rank as int) as lead_rank,
        ranked_leads.total_score,
        ranked_leads.fit_score,
        ranked_leads.engagement_score,
        top_reasons.reason_1_points,
        top_reasons.reason_2_points,
        top_reasons.reason_3_points
    from ranked_leads
    inner join leads
        on ranked_leads.lead_id = leads.lead_id
    left join top_reasons
        on
            ranked_leads.lead_id = top_reasons.lead_id
            and ranked_leads.scorecard_id = top_reasons.scorecard_id
    where ranked_leads.lead_rank <= {{ top }}
)

select * from final
