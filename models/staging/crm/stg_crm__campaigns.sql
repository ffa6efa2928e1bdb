with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ lead_scoring.optional_source('crm', 'campaigns', [
        'campaign_id', 'channel', 'market', 'spend', 'currency',
        'started_at', 'ended_at',
    ]) }} as campaigns
),

cleaned as (
    select
        source_row_number,
        {{ lead_scoring.clean_text('campaign_id') }} as campaign_id,
        lower({{ lead_scoring.clean_text('channel') }}) as channel,
        lower({{ lead_scoring.clean_text('market') }}) as market,
        upper({{ lead_scoring.clean_text('currency') }}) as currency,
        {{ lead_scoring.clean_text('spend') }} as spend_text,
        {{ lead_scoring.clean_text('started_at') }} as started_at_text,
        {{ lead_scoring.clean_text('ended_at') }} as ended_at_text
    from source
),

parsed as (
    select
        *,
        {{ lead_scoring.to_number('spend_text') }} as spend,
        {{ lead_scoring.parse_timestamp_utc('started_at_text') }} as started_at,
        {{ lead_scoring.parse_timestamp_utc('ended_at_text') }} as ended_at
    from cleaned
),

row_checked as (
    select
        *,
        case
            when campaign_id is null then 'missing campaign_id'
            when started_at_text is null then 'missing started_at'
            when started_at is null then 'unparseable started_at'
            when ended_at_text is not null and ended_at is null then 'unparseable ended_at'
            when spend_text is not null and spend is null then 'unparseable spend'
        end as row_problem
    from parsed
),

deduplicated as (
    -- the first usable row of a campaign_id is kept, later ones are duplicates
    select
        *,
        {{ lead_scoring.quarantine_duplicates('campaign_id') }} as quarantine_reason
    from row_checked
),

final as (
    select
        source_row_number,
        campaign_id,
        channel,
        market,
        currency,
        quarantine_reason,
        spend,
        quarantine_reason is null as is_usable,
        started_at,
        ended_at
    from deduplicated
)

select * from final
