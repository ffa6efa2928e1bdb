-- One row per month, channel and campaign market (`global` for campaigns
-- without one): what the channel cost and brought. Spend: campaigns that
-- started that month, in the reporting currency. Leads: created that month
-- whose first campaign touch (int_lead_first_touch_campaigns) is of this
-- channel and market. Customers and won revenue: deals won that month by
-- such leads. CAC = spend / customers; ROI = (won revenue - spend) /
-- spend. Both are null where their denominator is 0. Leads without any
-- campaign touch are channel `untracked`.
with

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

first_touches as (
    select * from {{ ref('int_lead_first_touch_campaigns') }}
),

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

won_revenue as (
    select * from {{ ref('int_lead_won_revenue') }}
),

attributed as (
    select
        funnel.lead_id,
        coalesce(
            campaigns.channel,
            case when first_touches.campaign_id is not null then 'unknown' else 'untracked' end
        ) as channel,
        coalesce(campaigns.market, 'global') as campaign_market,
        funnel.is_customer,
        won_revenue.won_amount_reporting,
        cast({{ dbt.date_trunc('month', 'funnel.lead_at') }} as date) as lead_month,
        cast({{ dbt.date_trunc('month', 'funnel.customer_at') }} as date) as customer_month
    from funnel
    left join first_touches
        on funnel.lead_id = first_touches.lead_id
    left join campaigns
        on first_touches.campaign_id = campaigns.campaign_id
    left join won_revenue
        on funnel.lead_id = won_revenue.lead_id
),

monthly as (
    select
        cast({{ dbt.date_trunc('month', 'started_at') }} as date) as activity_month,
        coalesce(channel, 'unknown') as channel,
        coalesce(market, 'global') as campaign_market,
        0 as lead_count,
        0 as customer_count,
        coalesce(spend_reporting, 0) as spend_reporting,
        0 as won_amount_reporting
    from campaigns
    union all
    select
        lead_month as activity_month,
        channel,
        campaign_market,
        1 as lead_count,
        0 as customer_count,
        0 as spend_reporting,
        0 as won_amount_reporting
    from attributed
    where lead_month is not null
    union all
    select
        customer_month as activity_month,
        channel,
        campaign_market,
        0 as lead_count,
        1 as customer_count,
        0 as spend_reporting,
        coalesce(won_amount_reporting, 0) as won_amount_reporting
    from attributed
    where is_customer
),

final as (
    select
        activity_month,
        channel,
        campaign_market,
        cast(sum(lead_count) as {{ dbt.type_bigint() }}) as lead_count,
        cast(sum(customer_count) as {{ dbt.type_bigint() }}) as customer_count,
        -- money to the cent: the last bits of a floating-point sum depend
        -- on the order a parallel aggregate adds the rows, and a rerun must
        -- publish the same values
        round(sum(spend_reporting), 2) as spend_reporting,
        round(sum(won_amount_reporting), 2) as won_amount_reporting,
        case
            when sum(customer_count) > 0
                then round(sum(spend_reporting), 2) / sum(customer_count)
        end as customer_acquisition_cost,
        case
            when round(sum(spend_reporting), 2) > 0
                then
                    (
                        round(sum(won_amount_reporting), 2)
                        - round(sum(spend_reporting), 2)
                    )
                    / round(sum(spend_reporting), 2)
        end as return_on_spend
    from monthly
    group by activity_month, channel, campaign_market
)

select * from final
