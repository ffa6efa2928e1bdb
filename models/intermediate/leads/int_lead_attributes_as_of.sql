-- One row per lead, custom attribute and as-of date: the value as it was on
-- that date (its usable row with the latest updated_at among those written
-- on or before it, ties to the last loaded; rows without updated_at count as
-- oldest and are always known). What-if mode (var score_current_lead_state:
-- true): the current value (latest row, whatever its date) on every date.
{%- set current_state = lead_scoring.score_current_lead_state() %}
{%- set known_on_date = 'true' if current_state else (
    'lead_attributes.updated_at is null or cast(lead_attributes.updated_at as date)'
    ~ ' <= score_dates.score_date'
) %}
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
