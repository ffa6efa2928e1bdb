-- One row per raw consent event: purpose and status lower-cased,
-- recorded_at in UTC (parsed once when text, used as it is when typed).
{%- set kinds = lead_scoring.raw_column_kinds(source('crm', 'consents'), [
    'lead_id', 'purpose', 'status', 'recorded_at',
]) %}
with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ lead_scoring.optional_source('crm', 'consents', [
        'lead_id', 'purpose', 'status', 'recorded_at',
    ]) }} as consents
),

erased_leads as (
    {{ lead_scoring.erased_lead_ids() }}
),

cleaned as (
    select
        source.source_row_number,
        {{ lead_scoring.raw_text('source.lead_id', kinds['lead_id']) }} as lead_id,
        lower({{ lead_scoring.raw_text('source.purpose', kinds['purpose']) }}) as purpose,
        lower({{ lead_scoring.raw_text('source.status', kinds['status']) }}) as status,
        {{ lead_scoring.raw_value('source.recorded_at', kinds['recorded_at']) }}
            as recorded_at_raw
    from source
),

parsed as (
    select
        cleaned.*,
        {{ lead_scoring.parse_raw(
            'cleaned.recorded_at_raw', kinds['recorded_at'], 'timestamp'
        ) }} as recorded_at,
        erased_leads.lead_id is not null as is_erased
    from cleaned
    left join erased_leads
        on cleaned.lead_id = erased_leads.lead_id
),

checked as (
    select
        *,
        case
            when lead_id is null then 'missing lead_id'
            when is_erased then 'erasure requested'
            when purpose is null then 'missing purpose'
            when status is null or status not in ('granted', 'withdrawn')
                then 'unknown consent status'
            when recorded_at_raw is null then 'missing recorded_at'
            when recorded_at is null then 'unparseable recorded_at'
        end as quarantine_reason
    from parsed
),

final as (
    -- an erased lead's consents keep their lead_id only (docs/privacy.md)
    select
        source_row_number,
        lead_id,
        {{ lead_scoring.masked_unless_erased(['purpose', 'status']) }},
        quarantine_reason,
        quarantine_reason is null as is_usable,
        {{ lead_scoring.masked_unless_erased(['recorded_at']) }}
    from checked
)

select * from final
