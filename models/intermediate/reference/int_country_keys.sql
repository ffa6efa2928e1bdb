-- One row per way a lead can write its country (the lower-cased ISO code
-- or English name of a country_markets row): the country it means and that
-- country's market, time zone, currency and consent basis. A text that is a
-- code of one country and the name of another means the code's country.
-- The seed needs only country_code, country_name and market (SCORING_SPEC
-- 5): a country_markets.csv without the other columns reads them as null.
{%- set optional_columns = ['time_zone', 'currency', 'consent_basis'] %}
{%- set present = lead_scoring.relation_column_names(
    ref('country_markets'), optional_columns
) or [] %}
{%- set optional_selects = [] %}
{%- for column in optional_columns %}
    {%- do optional_selects.append(
        (lead_scoring.clean_text(column) if column in present
         else 'cast(null as ' ~ dbt.type_string() ~ ')') ~ ' as ' ~ column
    ) %}
{%- endfor %}
with

country_markets as (
    select * from {{ ref('country_markets') }}
),

countries as (
    select
        upper({{ lead_scoring.clean_text('country_code') }}) as country_code,
        lower({{ lead_scoring.clean_text('country_code') }}) as code_key,
        lower({{ lead_scoring.clean_text('country_name') }}) as name_key,
        lower({{ lead_scoring.clean_text('market') }}) as market,
        {{ optional_selects | join(',\n        ') }}
    from country_markets
),

keys as (
    select
        code_key as country_key,
        1 as match_priority,
        country_code,
        market,
        time_zone,
        currency,
        consent_basis
    from countries
    where code_key is not null
    union all
    select
        name_key as country_key,
        2 as match_priority,
        country_code,
        market,
        time_zone,
        currency,
        consent_basis
    from countries
    where name_key is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by country_key
            order by match_priority, market, country_code
        ) as key_rank
    from keys
),

final as (
    select
        country_key,
        country_code,
        market,
        time_zone,
        upper(currency) as currency,
        lower(consent_basis) as consent_basis
    from ranked
    where key_rank = 1
)

select * from final
