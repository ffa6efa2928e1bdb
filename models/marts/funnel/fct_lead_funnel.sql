-- One row per current lead: how far down the funnel it has come and when it
-- reached each stage. lead: it exists (created_at); mql: the champion
-- scorecard (var champion_scorecard) first put it in its MQL band or above
-- (fct_lead_mql_milestones: known from the first scored day of the score
-- history on); sql: sales accepted it, its first opportunity was created;
-- customer: it has a won opportunity (since it was first won). The stage is
-- the furthest one reached, even when an earlier one was skipped (a deal
-- without an MQL).
-- Dates out of funnel order (a deal won before the lead was created) are
-- kept as they are and flagged, never moved.
with

leads as (
    select * from {{ ref('int_leads_as_of') }}
    where score_date = {{ lead_scoring.score_as_of_date() }}
),

mql_milestones as (
    select * from {{ ref('fct_lead_mql_milestones') }}
    where scorecard_id = {{ lead_scoring.var_literal('champion_scorecard', 'default') }}
),

opportunity_milestones as (
    select * from {{ ref('int_lead_deal_milestones') }}
),

stages as (
    select
        leads.lead_id,
        leads.market,
        coalesce(opportunity_milestones.opportunity_count, 0) as opportunity_count,
        coalesce(mql_milestones.has_been_mql, false) as has_been_mql,
        leads.created_at as lead_at,
        mql_milestones.first_mql_date as mql_date,
        opportunity_milestones.sql_at,
        opportunity_milestones.customer_at
    from leads
    left join mql_milestones
        on leads.lead_id = mql_milestones.lead_id
    left join opportunity_milestones
        on leads.lead_id = opportunity_milestones.lead_id
),

final as (
    select
        lead_id,
        case
            when customer_at is not null then 'customer'
            when sql_at is not null then 'sql'
            when has_been_mql then 'mql'
            else 'lead'
        end as funnel_stage,
        market,
        case
            when customer_at is not null then 4
            when sql_at is not null then 3
            when has_been_mql then 2
            else 1
        end as funnel_stage_rank,
        opportunity_count,
        cast(
            {{ dbt.datediff('lead_at', 'sql_at', 'day') }}  -- noqa: LT05
            as {{ dbt.type_bigint() }}
        ) as days_lead_to_sql,
        cast(
            {{ dbt.datediff('sql_at', 'customer_at', 'day') }}  -- noqa: LT05
            as {{ dbt.type_bigint() }}
        ) as days_sql_to_customer,
        has_been_mql,
        sql_at is not null as is_sales_accepted,
        customer_at is not null as is_customer,
        coalesce(
            sql_at < lead_at
            or customer_at < lead_at
            or customer_at < sql_at
            or mql_date < cast(lead_at as date),
            false
        ) as has_out_of_order_stages,
        mql_date,
        lead_at,
        sql_at,
        customer_at
    from stages
)

select * from final
