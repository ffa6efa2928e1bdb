{{ config(
    severity='warn',
    meta={
        'audit': 'every usable event type scored by a rule',
        'fix': 'a CRM type new to the scorecard, or a typo in an export or a rule: add a'
            ~ ' rule for it (seeds/scorecards/scorecard_rules.csv) or fix the export',
    },
    tags=['audit'],
    store_failures=true,
    store_failures_as='view',
) }}
-- A warning per event type that is kept and usable (a CRM's new type is not
-- bad data) but that no activity rule of any scorecard scores.
with

events as (
    select * from {{ ref('int_events_validated') }}
),

rules as (
    select * from {{ ref('scorecard_rules') }}
),

scored_types as (
    select distinct lower(trim(activity_type)) as event_type
    from rules
    where lower(trim(source)) = 'activity' and activity_type is not null
),

unscored as (
    select
        events.event_type,
        count(*) as event_count
    from events
    left join scored_types
        on coalesce(events.event_type, '') = scored_types.event_type
    where events.is_usable and scored_types.event_type is null
    group by events.event_type
),

final as (
    select
        event_type,
        event_count,
        coalesce(event_type, '(none)') || ' (' || cast(event_count as {{ dbt.type_string() }})
        || ' events)' as detail
    from unscored
)

select * from final
