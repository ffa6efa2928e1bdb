-- One row per raw campaign: channel and market lower-cased, currency
-- upper-cased, spend and dates parsed once when text and used as they are
-- when typed; the first usable row of a campaign_id is kept.
{%- set kinds = lead_scoring.raw_column_kinds(source('crm', 'campaigns'), [
    'campaign_id', 'channel', 'market', 'spend', 'currency',
    'started_at', 'ended_at',
]) %}
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
        {{ lead_scoring.raw_text('campaign_id', kinds['campaign_id']) }} as campaign_id,
        lower({{ lead_scoring.raw_text('channel', kinds['channel']) }}) as channel,
        lower({{ lead_scoring.raw_text('market', kinds['market']) }}) as market,
        upper({{ lead_scoring.raw_text('currency', kinds['currency']) }}) as currency,
        {{ lead_scoring.raw_value('spend', kinds['spend']) }} as spend_raw,
        {{ lead_scoring.raw_value('started_at', kinds['started_at']) }} as started_at_raw,
        {{ lead_scoring.raw_value('ended_at', kinds['ended_at']) }} as ended_at_raw
    from source
),

parsed as (
    select
        *,
        {{ lead_scoring.parse_raw('spend_raw', kinds['spend'], 'number') }} as spend,
        {{ lead_scoring.parse_raw('started_at_raw', kinds['started_at'], 'timestamp') }}
            as started_at,
        {{ lead_scoring.parse_raw('ended_at_raw', kinds['ended_at'], 'timestamp') }}
            as ended_at
    from cleaned
),

row_checked as (
    select
        *,
        case
            when campaign_id is null then 'missing campaign_id'
            when started_at_raw is null then 'missing started_at'
            when started_at is null then 'unparseable started_at'
            when ended_at_raw is not null and ended_at is null then 'unparseable ended_at'
            when spend_raw is not null and spend is null then 'unparseable spend'
        end as row_problem
    from parsed
),

repeated_campaign_ids as (
    {{ lead_scoring.repeated_keys('row_checked', 'campaign_id') }}
),

deduplicated as (
    -- the first usable row of a campaign_id is kept, later ones are duplicates
    select
        row_checked.*,
        coalesce(
            row_checked.row_problem,
            case
                when row_checked.source_row_number > repeated_campaign_ids.first_row_number
                    then 'duplicate campaign_id'
            end
        ) as quarantine_reason
    from row_checked
    left join repeated_campaign_ids
        on row_checked.campaign_id = repeated_campaign_ids.campaign_id
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
