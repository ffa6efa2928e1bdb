-- The shipped scorecards as ONE hand-written DuckDB query: the speed limit
-- that `make bench` compares the dbt project and the pandas peer against.
--
-- KEEP IN STEP WITH seeds/scorecards/scorecard_{rules,groups,bands,grades}.csv:
-- every rule, group cap, band and grade of the scorecards `default` and
-- `worked_example` is written out by hand below (not generated from the CSV
-- files). A change to those files must be made here too, and then
-- WRITTEN_FOR in single_query.py updated: tests/bench/test_peers.py fails
-- on a seed edit that the query has not followed, and on any score that
-- differs from the reference scorer's.
--
-- Input contract: clean raw tables (scripts/generate_demo_data.py --clean):
-- raw.leads, raw.lead_attributes and raw.events with VARCHAR columns,
-- timestamps as 'YYYY-MM-DD HH:MM:SS' UTC, unique event_ids, no rows without
-- lead_id and no two versions of a lead or attribute with the same
-- updated_at. Text tests still ignore case and surrounding spaces, and
-- numbers that do not parse make a rule not apply (SCORING_SPEC 3.1).
--
-- Parameters: $as_of (DATE, the as-of date) and $country_markets (path of
-- seeds/reference/country_markets.csv). Events are read once, in one
-- GROUP BY with a conditional aggregate per activity rule; the rules on CRM
-- activity types (default: sales_contacted, sales_meeting,
-- opportunity_opened, opportunity_lost) can never match raw.events and are
-- left out: their contribution is 0.
with

country_markets as (
    select
        lower(trim(country_code)) as country_code,
        lower(trim(country_name)) as country_name,
        lower(trim(market)) as market
    from read_csv($country_markets, header = true, all_varchar = true)
),

-- a country text matches a code first, then a name (SCORING_SPEC 5)
country_lookup as (
    select
        country_key,
        arg_min(market, priority) as market
    from (
        select country_code as country_key, market, 1 as priority
        from country_markets
        union all
        select country_name as country_key, market, 2 as priority
        from country_markets
    ) as keys
    where country_key <> ''
    group by country_key
),

lead_versions as (
    select
        trim(lead_id) as lead_id,
        cast(updated_at as timestamp) as updated_at,
        {
            'job_title': lower(trim(job_title)),
            'seniority': lower(trim(seniority)),
            'industry': lower(trim(industry)),
            'company_domain': lower(trim(company_domain)),
            'country': lower(trim(country)),
            'employee_count': try_cast(trim(employee_count) as double),
            'is_deleted': lower(trim(is_deleted))
        } as lead
    from raw.leads
    where trim(lead_id) <> ''
),

current_leads as (
    select
        lead_id,
        arg_max(lead, updated_at) as lead
    from lead_versions
    group by lead_id
),

budget_status as (
    select
        trim(lead_id) as lead_id,
        arg_max_null(
            lower(trim(attribute_value)), cast(updated_at as timestamp)
        ) as budget_status
    from raw.lead_attributes
    where lower(trim(attribute_name)) = 'budget_status'
    group by 1
),

activity_rows as (
    select
        trim(lead_id) as lead_id,
        lower(trim(event_type)) as event_type,
        lower(trim(page_path)) as page_path,
        lower(trim(content_type)) as content_type,
        lower(trim(email_id)) as email_id,
        $as_of::date - cast(occurred_at as date) as age_days
    from raw.events
),

-- the one pass over events: per lead, what each activity rule needs
activity as (
    select
        lead_id,
        -- default
        count(*) filter (
            where event_type = 'page_view' and age_days <= 90
            and starts_with(page_path, '/pricing')
        ) as pricing_page_n,
        count(*) filter (
            where event_type = 'form_submit' and age_days <= 90
        ) as form_submit_n,
        sum(power(0.5, age_days / 90.0)) filter (
            where event_type = 'content_download'
            and content_type = 'case_study'
        ) as case_study_decayed,
        count(*) filter (
            where event_type = 'webinar_attended' and age_days <= 180
        ) as webinar_n,
        count(*) filter (
            where event_type = 'webinar_registered' and age_days <= 180
        ) as webinar_registered_n,
        count(*) filter (
            where event_type = 'email_click' and age_days <= 90
            and starts_with(page_path, '/product-demo')
        ) as product_demo_link_n,
        count(*) filter (
            where event_type = 'email_open' and email_id = 'em_product_launch'
        ) as launch_email_n,
        count(*) filter (
            where event_type = 'demo_request' and age_days <= 120
        ) as demo_request_n,
        count(*) filter (where event_type = 'unsubscribe') as unsubscribed_n,
        count(*) filter (
            where event_type = 'page_view' and age_days <= 180
            and starts_with(page_path, '/careers')
        ) as careers_page_n,
        count(*) filter (
            where event_type = 'support_ticket' and age_days <= 365
            and content_type <> '' and content_type <> 'sales_inquiry'
        ) as support_ticket_non_sales_n,
        count(*) filter (
            where event_type = 'page_view' and age_days <= 90
        ) as page_view_90_n,
        -- worked_example
        count(*) filter (where event_type = 'email_open') as email_open_n,
        count(*) filter (where event_type = 'page_view') as page_view_n,
        count(*) filter (
            where event_type = 'content_download' and content_type = 'ebook'
        ) as ebook_n,
        count(*) filter (
            where event_type = 'content_download' and content_type = 'whitepaper'
        ) as whitepaper_n
    from activity_rows
    where age_days >= 0
    group by lead_id
),

leads_with_activity as (
    select
        current_leads.lead_id,
        current_leads.lead.job_title,
        current_leads.lead.seniority,
        current_leads.lead.industry,
        current_leads.lead.company_domain,
        current_leads.lead.country,
        current_leads.lead.employee_count,
        coalesce(country_lookup.market, 'unknown') as market,
        budget_status.budget_status,
        coalesce(activity.pricing_page_n, 0) as pricing_page_n,
        coalesce(activity.form_submit_n, 0) as form_submit_n,
        coalesce(activity.case_study_decayed, 0) as case_study_decayed,
        coalesce(activity.webinar_n, 0) as webinar_n,
        coalesce(activity.webinar_registered_n, 0) as webinar_registered_n,
        coalesce(activity.product_demo_link_n, 0) as product_demo_link_n,
        coalesce(activity.launch_email_n, 0) as launch_email_n,
        coalesce(activity.demo_request_n, 0) as demo_request_n,
        coalesce(activity.unsubscribed_n, 0) as unsubscribed_n,
        coalesce(activity.careers_page_n, 0) as careers_page_n,
        coalesce(activity.support_ticket_non_sales_n, 0)
            as support_ticket_non_sales_n,
        coalesce(activity.page_view_90_n, 0) as page_view_90_n,
        coalesce(activity.email_open_n, 0) as email_open_n,
        coalesce(activity.page_view_n, 0) as page_view_n,
        coalesce(activity.ebook_n, 0) as ebook_n,
        coalesce(activity.whitepaper_n, 0) as whitepaper_n
    from current_leads
    left join country_lookup
        on current_leads.lead.country = country_lookup.country_key
    left join budget_status
        on current_leads.lead_id = budget_status.lead_id
    left join activity
        on current_leads.lead_id = activity.lead_id
    where
        coalesce(current_leads.lead.is_deleted, '')
        not in ('true', 't', '1', 'yes', 'y')
),

-- group points, each clamped by its group's caps (scorecard_groups.csv)
groups as (
    select
        lead_id,
        -- default, fit
        least(
            case when seniority in ('c_level', 'vp') then 20 else 0 end
            + case when seniority = 'manager' then 10 else 0 end,
            20
        ) as default_title,
        greatest(least(
            case when industry = 'technology' then 15 else 0 end
            + case
                when employee_count between 50 and 500 then 10 else 0
            end
            + case
                when country in (
                    'us', 'gb', 'ca', 'united states', 'united kingdom',
                    'canada', 'usa', 'uk'
                ) then 5
                else 0
            end
            + case
                when industry = 'government' and market = 'emea' then -5
                else 0
            end
            + case when budget_status = 'approved' then 10 else 0 end,
            35
        ), -10) as default_firmographics,
        greatest(
            case
                when company_domain in ('rivalsoft.com', 'competeware.io')
                    then -50
                else 0
            end,
            -50
        ) as default_disqualifiers,
        -- default, engagement
        least(
            case when pricing_page_n > 0 then 15 else 0 end
            + case when form_submit_n > 0 then 5 else 0 end,
            15
        ) as default_web,
        least(least(10 * case_study_decayed, 30), 30) as default_content,
        least(
            case when webinar_n > 0 then 20 else 0 end
            + case when webinar_registered_n > 0 then 10 else 0 end,
            20
        ) as default_events,
        least(
            case when product_demo_link_n > 0 then 25 else 0 end
            + case when launch_email_n > 0 then 5 else 0 end,
            30
        ) as default_email,
        least(
            case when demo_request_n > 0 then 30 else 0 end, 30
        ) as default_intent,
        greatest(
            case when unsubscribed_n > 0 then -10 else 0 end
            + case when careers_page_n > 0 then -5 else 0 end
            + greatest(-3 * support_ticket_non_sales_n, -9)
            + case when page_view_90_n = 0 then -10 else 0 end,
            -25
        ) as default_negative,
        -- worked_example (no group caps)
        case when contains(job_title, 'director') then 10 else 0 end
        + case when contains(job_title, 'manager') then 5 else 0 end
            as worked_example_title,
        case when industry = 'technology' then 10 else 0 end
        + case when industry = 'education' then 5 else 0 end
            as worked_example_industry,
        case when email_open_n > 0 then 5 else 0 end
        + case when email_open_n = 0 then -10 else 0 end
            as worked_example_email,
        case when page_view_n >= 4 then 10 else 0 end as worked_example_web,
        case when ebook_n > 0 then 15 else 0 end
        + case when whitepaper_n > 0 then 20 else 0 end
            as worked_example_content
    from leads_with_activity
),

scores as (
    select
        lead_id,
        unnest([
            {
                'scorecard_id': 'default',
                'fit': default_title + default_firmographics
                + default_disqualifiers,
                'engagement': default_web + default_content + default_events
                + default_email + default_intent + default_negative
            },
            {
                'scorecard_id': 'worked_example',
                'fit': worked_example_title + worked_example_industry,
                'engagement': worked_example_email + worked_example_web
                + worked_example_content
            }
        ], recursive := true)
    from groups
),

rounded as (
    select
        lead_id,
        scorecard_id,
        -- ties of the exact binary value to even, as the reference scorer
        -- (Python's round) does: 65.625 -> 65.62 (plain round gives 65.63)
        round_even(cast(fit as double), 2) as fit_score,
        round_even(cast(engagement as double), 2) as engagement_score,
        round_even(cast(fit + engagement as double), 2) as total_score
    from scores
)

select
    lead_id,
    scorecard_id,
    fit_score,
    engagement_score,
    total_score,
    case scorecard_id
        when 'default' then case
            when total_score >= 75 then 'hot'
            when total_score >= 50 then 'mql'
            when total_score >= 25 then 'warm'
            else 'cold'
        end
        when 'worked_example' then case
            when total_score >= 30.01 then 'qualified'
            else 'not_qualified'
        end
    end as band,
    case scorecard_id
        when 'default' then case
            when fit_score >= 40 then 'A'
            when fit_score >= 25 then 'B'
            when fit_score >= 10 then 'C'
            else 'D'
        end
        when 'worked_example' then case
            when fit_score >= 20 then 'A'
            when fit_score >= 10 then 'B'
            else 'C'
        end
    end as grade
from rounded
order by scorecard_id, lead_id
