with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ lead_scoring.optional_source('crm', 'sales_activities', [
        'activity_id', 'lead_id', 'activity_type', 'outcome', 'owner_id',
        'occurred_at',
    ]) }} as sales_activities
),

erased_leads as (
    {{ lead_scoring.erased_lead_ids() }}
),

cleaned as (
    select
        source.source_row_number,
        {{ lead_scoring.clean_text('source.activity_id') }} as activity_id,
        {{ lead_scoring.clean_text('source.lead_id') }} as lead_id,
        lower({{ lead_scoring.clean_text('source.activity_type') }}) as activity_type,
        lower({{ lead_scoring.clean_text('source.outcome') }}) as outcome,
        {{ lead_scoring.clean_text('source.owner_id') }} as owner_id,
        {{ lead_scoring.clean_text('source.occurred_at') }} as occurred_at_text
    from source
),

parsed as (
    select
        cleaned.*,
        {{ lead_scoring.parse_timestamp_utc('cleaned.occurred_at_text') }} as occurred_at,
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
            when activity_type is null then 'missing activity_type'
            when occurred_at_text is null then 'missing occurred_at'
            when occurred_at is null then 'unparseable occurred_at'
        end as row_problem
    from parsed
),

deduplicated as (
    -- the first usable row of a activity_id is kept, later ones are duplicates
    select
        *,
        {{ lead_scoring.quarantine_duplicates('activity_id') }} as quarantine_reason
    from row_checked
),

final as (
    -- an erased lead's touches keep their ids only: the outcome can be free text
    select
        source_row_number,
        activity_id,
        lead_id,
        case when not is_erased then activity_type end as activity_type,
        case when not is_erased then outcome end as outcome,
        case when not is_erased then owner_id end as owner_id,
        quarantine_reason,
        quarantine_reason is null as is_usable,
        case when not is_erased then cast(occurred_at as date) end as occurred_date,
        case when not is_erased then occurred_at end as occurred_at
    from deduplicated
)

select * from final
