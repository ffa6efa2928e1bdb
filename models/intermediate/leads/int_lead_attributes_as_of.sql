-- One row per lead, custom attribute and as-of date: the attribute's current
-- value (its usable row with the latest updated_at, ties to the last loaded;
-- rows without updated_at count as oldest). With the var point_in_time, the
-- value as it was on each date: only rows written on or before it.
{%- set point_in_time = var('point_in_time', false) %}
{%- set known_on_date = (
    'lead_attributes.updated_at is null or cast(lead_attributes.updated_at as date)'
    ~ ' <= score_dates.score_date'
) if point_in_time else 'true' %}
with

lead_attributes as (
    select * from {{ ref('int_lead_attributes_validated') }}
),

score_dates as (
    {{ lead_scoring.score_dates_relation() }}
),

known_on_date as (
    select
        score_dates.score_date,
        lead_attributes.*,
        row_number() over (
            partition by
                lead_attributes.lead_id,
                lead_attributes.attribute_name,
                score_dates.score_date
            order by
                lead_attributes.updated_at desc nulls last,
                lead_attributes.source_row_number desc
        ) as version_rank
    from lead_attributes
    inner join score_dates
        on {{ known_on_date }}
    where lead_attributes.is_usable
),

final as (
    select
        lead_id,
        attribute_name,
        score_date,
        attribute_value,
        updated_at
    from known_on_date
    where version_rank = 1
)

select * from final
