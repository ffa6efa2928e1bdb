with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ source('crm', 'events') }}
),

erased_leads as (
    {{ lead_scoring.erased_lead_ids() }}
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
        cleaned.*,
        {{ lead_scoring.parse_timestamp_utc('cleaned.occurred_at_text') }}
            as occurred_at,
        erased_leads.lead_id is not null as is_erased
    from cleaned
    left join erased_leads
        on cleaned.lead_id = erased_leads.lead_id
),

row_checked as (
    select
        *,
        case
            when lead_id is null then 'missing lead_id'
            when is_erased then 'erasure requested'
            when occurred_at_text is null then 'missing occurred_at'
            when occurred_at is null then 'unparseable occurred_at'
        end as row_problem
    from parsed
),

deduplicated as (
    -- the first usable row of a event_id is kept, later ones are duplicates
    select
        *,
        {{ lead_scoring.quarantine_duplicates('event_id') }} as quarantine_reason
    from row_checked
),

final as (
    -- an erased lead's events keep their ids only: a page path can hold
    -- personal data (a query string, a name in a URL)
    select
        source_row_number,
        event_id,
        lead_id,
        case when not is_erased then event_type end as event_type,
        case when not is_erased then page_path end as page_path,
        case when not is_erased then content_type end as content_type,
        case when not is_erased then campaign_id end as campaign_id,
        case when not is_erased then email_id end as email_id,
        quarantine_reason,
        quarantine_reason is null as is_usable,
        case when not is_erased then cast(occurred_at as date) end as occurred_date,
        case when not is_erased then occurred_at end as occurred_at
    from deduplicated
)

select * from final
