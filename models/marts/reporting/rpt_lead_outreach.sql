-- One row per as-of date (the build's): how many current leads may be
-- contacted and how many may not, and the CRM sync rows of this run.
with

contact_profiles as (
    select * from {{ ref('dim_lead_contact_profiles') }}
),

crm_sync as (
    select * from {{ ref('fct_crm_lead_sync') }}
),

contactability as (
    select
        sum(case when is_contactable then 1 else 0 end) as contactable_count,
        sum(case when is_contactable then 0 else 1 end) as not_contactable_count
    from contact_profiles
),

synced as (
    select count(*) as synced_count from crm_sync
),

final as (
    select
        cast(coalesce(contactability.contactable_count, 0) as bigint) as contactable_count,
        cast(coalesce(contactability.not_contactable_count, 0) as bigint)
            as not_contactable_count,
        cast(synced.synced_count as bigint) as synced_count,
        {{ lead_scoring.score_as_of_date() }} as score_as_of
    from contactability
    cross join synced
)

select * from final
