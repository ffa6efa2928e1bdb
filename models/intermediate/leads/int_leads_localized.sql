-- One row per current lead (as of the as-of date): where the lead is and
-- what follows from it: its country's market, IANA time zone, currency and
-- consent basis (int_country_keys). A lead whose country is missing or not
-- in the seed gets the vars default_time_zone (UTC) and
-- unknown_country_consent_basis (opt_in) and the reporting currency.
with

leads as (
    select * from {{ ref('int_leads_as_of') }}
    where score_date = {{ lead_scoring.score_as_of_date() }}
),

country_keys as (
    select * from {{ ref('int_country_keys') }}
),

final as (
    select
        leads.lead_id,
        country_keys.country_code,
        leads.market,
        coalesce(
            country_keys.time_zone,
            {{ lead_scoring.var_literal('default_time_zone', 'UTC') }}
        ) as time_zone,
        case
            when country_keys.time_zone is not null then 'country'
            else 'default'
        end as time_zone_source,
        coalesce(
            country_keys.currency,
            upper({{ lead_scoring.var_literal('reporting_currency', 'USD') }})
        ) as currency,
        coalesce(
            country_keys.consent_basis,
            lower({{ lead_scoring.var_literal('unknown_country_consent_basis', 'opt_in') }})
        ) as consent_basis
    from leads
    left join country_keys
        on lower(leads.country) = country_keys.country_key
)

select * from final
