with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ lead_scoring.optional_source('crm', 'opportunities', [
        'opportunity_id', 'lead_id', 'stage', 'amount', 'currency',
        'created_at', 'closed_at', 'is_won', 'is_closed', 'updated_at',
    ]) }} as opportunities
),

erased_leads as (
    {{ lead_scoring.erased_lead_ids() }}
),

cleaned as (
    select
        source.source_row_number,
        {{ lead_scoring.clean_text('source.opportunity_id') }} as opportunity_id,
        {{ lead_scoring.clean_text('source.lead_id') }} as lead_id,
        lower({{ lead_scoring.clean_text('source.stage') }}) as stage,  -- noqa: RF04
        upper({{ lead_scoring.clean_text('source.currency') }}) as currency,
        {{ lead_scoring.clean_text('source.amount') }} as amount_text,
        {{ lead_scoring.clean_text('source.is_won') }} as is_won_text,
        {{ lead_scoring.clean_text('source.is_closed') }} as is_closed_text,
        {{ lead_scoring.clean_text('source.created_at') }} as created_at_text,
        {{ lead_scoring.clean_text('source.closed_at') }} as closed_at_text,
        {{ lead_scoring.clean_text('source.updated_at') }} as updated_at_text
    from source
),

parsed as (
    select
        cleaned.*,
        {{ lead_scoring.to_number('cleaned.amount_text') }} as amount,
        {{ lead_scoring.to_boolean('cleaned.is_won_text') }} as is_won_parsed,
        {{ lead_scoring.to_boolean('cleaned.is_closed_text') }} as is_closed_parsed,
        {{ lead_scoring.parse_timestamp_utc('cleaned.created_at_text') }} as created_at,
        {{ lead_scoring.parse_timestamp_utc('cleaned.closed_at_text') }} as closed_at,
        {{ lead_scoring.parse_timestamp_utc('cleaned.updated_at_text') }} as updated_at_parsed,
        erased_leads.lead_id is not null as is_erased
    from cleaned
    left join erased_leads
        on cleaned.lead_id = erased_leads.lead_id
),

checked as (
    select
        *,
        case
            when opportunity_id is null then 'missing opportunity_id'
            when lead_id is null then 'missing lead_id'
            when is_erased then 'erasure requested'
            when created_at_text is null then 'missing created_at'
            when created_at is null then 'unparseable created_at'
            when
                closed_at_text is not null and closed_at is null
                then 'unparseable closed_at'
            when
                updated_at_text is not null and updated_at_parsed is null
                then 'unparseable updated_at'
            when
                amount_text is not null and amount is null
                then 'unparseable amount'
            when
                is_won_text is not null and is_won_parsed is null
                then 'unparseable is_won'
            when
                is_closed_text is not null and is_closed_parsed is null
                then 'unparseable is_closed'
        end as quarantine_reason
    from parsed
),

final as (
    -- an erased lead's deals keep their ids only (docs/privacy.md)
    select
        source_row_number,
        opportunity_id,
        lead_id,
        case when not is_erased then stage end as stage,  -- noqa: RF04
        case when not is_erased then currency end as currency,
        quarantine_reason,
        case when not is_erased then amount end as amount,
        coalesce(is_won_parsed, false) and not is_erased as is_won,
        -- a won deal is closed, whatever the export says
        (coalesce(is_closed_parsed, false) or coalesce(is_won_parsed, false))
        and not is_erased as is_closed,
        quarantine_reason is null as is_usable,
        case when not is_erased then created_at end as created_at,
        case when not is_erased then closed_at end as closed_at,
        case
            when not is_erased then coalesce(updated_at_parsed, created_at)
        end as updated_at
    from checked
)

select * from final
