with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ source('crm', 'events') }}
),

cleaned as (
    select
        source_row_number,
        {{ lead_scoring.clean_text('event_id') }} as event_id,
        {{ lead_scoring.clean_text('lead_id') }} as lead_id,
        lower({{ lead_scoring.clean_text('event_type') }}) as event_type,
        {{ lead_scoring.clean_text('page_path') }} as page_path,
        lower({{ lead_scoring.clean_text('content_type') }}) as content_type,
        {{ lead_scoring.clean_text('campaign_id') }} as campaign_id,
        {{ lead_scoring.clean_text('email_id') }} as email_id,
        {{ lead_scoring.clean_text('occurred_at') }} as occurred_at_text
    from source
),

parsed as (
    select
        *,
        {{ lead_scoring.parse_timestamp_utc('occurred_at_text') }}
            as occurred_at
    from cleaned
),

row_checked as (
    select
        *,
        case
            when lead_id is null then 'missing lead_id'
            when occurred_at_text is null then 'missing occurred_at'
            when occurred_at is null then 'unparseable occurred_at'
        end as row_problem
    from parsed
),

deduplicated as (
    -- the first usable row of an event_id is kept, later ones are duplicates
    select
        *,
        coalesce(
            row_problem,
            case
                when
                    event_id is not null
                    and row_number() over (
                        partition by event_id, row_problem is null
                        order by source_row_number
                    ) > 1
                    then 'duplicate event_id'
            end
        ) as quarantine_reason
    from row_checked
),

final as (
    select
        source_row_number,
        event_id,
        lead_id,
        event_type,
        page_path,
        content_type,
        campaign_id,
        email_id,
        quarantine_reason,
        quarantine_reason is null as is_usable,
        cast(occurred_at as date) as occurred_date,
        occurred_at
    from deduplicated
)

select * from final
