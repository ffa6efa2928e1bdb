-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per account (company domain) per scorecard, as of the as-of date:
-- its scored leads, their best score, summed and average engagement, and an
-- account score rolled up by the var account_score_method (max, average,
-- sum or top3_average of the leads' total scores), banded with the
-- scorecard's own bands.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set account_band = lead_scoring.scorecard_threshold_case(
    scorecard, 'bands', 'account_score'
) if execute else "'band'" %}
{%- set method = var('account_score_method', 'max') %}
{%- set methods = {
    'max': 'max(total_score)',
    'average': 'avg(total_score)',
    'sum': 'sum(total_score)',
    'top3_average': 'avg(case when lead_rank <= 3 then total_score end)',
} %}
{%- if method not in methods %}
    {{ exceptions.raise_compiler_error(
        "var account_score_method must be one of " ~ methods.keys() | list | join(', ')
        ~ ", got '" ~ method ~ "'"
    ) }}
{%- endif %}

with

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

leads as (
    select * from {{ ref('dim_leads') }}
),

account_leads as (
    select
        leads.company_domain,
        scores.scorecard_id,
        scores.lead_id,
        scores.total_score,
        scores.engagement_score,
        scores.score_as_of,
        row_number() over (
            partition by leads.company_domain, scores.scorecard_id
            order by scores.total_score desc, scores.lead_id asc
        ) as lead_rank
    from scores
    inner join leads
        on scores.lead_id = leads.lead_id
    where leads.company_domain is not null
),

rolled_up as (
    select
        company_domain,
        scorecard_id,
        count(*) as lead_count,
        max(total_score) as best_lead_score,
        cast(sum(engagement_score) as decimal(38, 2)) as total_engagement_score,
        cast(avg(engagement_score) as decimal(18, 2)) as average_engagement_score,
        cast(round({{ methods[method] }}, 2) as decimal(18, 2)) as account_score,
        max(score_as_of) as score_as_of
    from account_leads
    group by company_domain, scorecard_id
),

final as (
    select
        company_domain,
        scorecard_id,
        {{ account_band }} as account_band,
        {{ dbt.string_literal(method) }} as roll_up_method,
        lead_count,
        best_lead_score,
        total_engagement_score,
        average_engagement_score,
        account_score,
        score_as_of
    from rolled_up
)

select * from final
