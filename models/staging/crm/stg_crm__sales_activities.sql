-- One row per raw sales touch: ids trimmed, type and outcome lower-cased,
-- occurred_at in UTC (parsed once when text, used as it is when typed).
{%- set kinds = lead_scoring.raw_column_kinds(source('crm', 'sales_activities'), [
    'activity_id', 'lead_id', 'activity_type', 'outcome', 'owner_id',
    'occurred_at',
]) %}
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
        {{ lead_scoring.raw_text('source.activity_id', kinds['activity_id']) }} as activity_id,
        {{ lead_scoring.raw_text('source.lead_id', kinds['lead_id']) }} as lead_id,
        lower({{ lead_scoring.raw_text('source.activity_type', kinds['activity_type']) }})
            as activity_type,
        lower({{ lead_scoring.raw_text('source.outcome', kinds['outcome']) }}) as outcome,
        {{ lead_scoring.raw_text('source.owner_id', kinds['owner_id']) }} as owner_id,
        {{ lead_scoring.raw_value('source.occurred_at', kinds['occurred_at']) }}
            as occurred_at_raw
    from source
),

parsed as (
    select
        cleaned.*,
        {{ lead_scoring.parse_raw(
            'cleaned.occurred_at_raw', kinds['occurred_at'], 'timestamp'
        ) }} as occurred_at,
        erased_leads.lead_id is not null as is_erased
    from cleaned
    left join erased_leads
        on cleaned.lead_id = erased_leads.lead_id
),

row_checked as (
    select
        *,
        cast(occurred_at as date) as occurred_date,
        case
            when lead_id is null then 'missing lead_id'
            when is_erased then 'erasure requested'
            when activity_type is null then 'missing activity_type'
            when occurred_at_raw is null then 'missing occurred_at'
            when occurred_at is null then 'unparseable occurred_at'
        end as row_problem
    from parsed
),

repeated_activity_ids as (
    {{ lead_scoring.repeated_keys('row_checked', 'activity_id') }}
),

deduplicated as (
    -- the first usable row of an activity_id is kept, later ones are duplicates
    select
        row_checked.*,
        coalesce(
            row_checked.row_problem,
            case
                when row_checked.source_row_number > repeated_activity_ids.first_row_number
                    then 'duplicate activity_id'
            end
        ) as quarantine_reason
    from row_checked
    left join repeated_activity_ids
        on row_checked.activity_id = repeated_activity_ids.activity_id
),

final as (
    -- an erased lead's touches keep their ids only: the outcome can be free text
    select
        source_row_number,
        activity_id,
        lead_id,
        {{ lead_scoring.masked_unless_erased(['activity_type', 'outcome', 'owner_id']) }},
        quarantine_reason,
        quarantine_reason is null as is_usable,
        {{ lead_scoring.masked_unless_erased(['occurred_date', 'occurred_at']) }}
    from deduplicated
)

select * from final
