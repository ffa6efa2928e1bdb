-- One row per lead and as-of date: the lead as it was on that date
-- (SCORING_SPEC 1 read on the as-of date: its usable row with the latest
-- updated_at among the versions written by then, ties to the last loaded;
-- leads created after the date do not exist yet; a deleted lead is gone)
-- with the market of its country (country_markets: code or name, ignoring
-- case and spaces; `unknown` when neither matches). A build with a past
-- score_as_of gives what a build on that day would have given.
-- What-if mode (var score_current_lead_state: true): every date sees each
-- lead's current state instead (its latest version, whatever its date,
-- leads created later included), with the activities of the date.
{%- set current_state = lead_scoring.score_current_lead_state() %}
{%- set known_on_date = 'true' if current_state else (
    'usable_versions.version_at is null or cast(usable_versions.version_at as date)'
    ~ ' <= score_dates.score_date'
) %}
{%- set created_by_date = 'true' if current_state else (
    'created_at is null or cast(created_at as date) <= score_date'
) %}
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

country_keys as (
    select * from {{ ref('int_country_keys') }}
),

score_dates as (
    {{ lead_scoring.score_dates_relation() }}
),

usable_versions as (
    select
        *,
        coalesce(updated_at, created_at) as version_at
    from leads
    where is_usable
),

versions_known_on_date as (
    select
        score_dates.score_date,
        usable_versions.*,
        count(*) over (
            partition by usable_versions.lead_id, score_dates.score_date
        ) as version_count,
        row_number() over (
            partition by usable_versions.lead_id, score_dates.score_date
            order by
                usable_versions.updated_at desc nulls last,
                usable_versions.source_row_number desc
        ) as version_rank
    from usable_versions
    inner join score_dates
        on {{ known_on_date }}
),

current_versions as (
    select *
    from versions_known_on_date
    where
        version_rank = 1
        and not is_deleted
        and ({{ created_by_date }})
),

final as (
    select
        current_versions.lead_id,
        current_versions.score_date,
        current_versions.email,
        current_versions.first_name,
        current_versions.last_name,
        current_versions.job_title,
        current_versions.seniority,
        current_versions.department,
        current_versions.company_name,
        current_versions.company_domain,
        current_versions.industry,
        current_versions.country,
        coalesce(country_keys.market, 'unknown') as market,
        current_versions.city,
        current_versions.lead_source,
        current_versions.employee_count_text,
        current_versions.annual_revenue_text,
        current_versions.employee_count,
        current_versions.annual_revenue,
        current_versions.version_count,
        current_versions.is_deleted,
        current_versions.created_at,
        current_versions.updated_at
    from current_versions
    left join country_keys
        on lower(current_versions.country) = country_keys.country_key
)

select * from final
