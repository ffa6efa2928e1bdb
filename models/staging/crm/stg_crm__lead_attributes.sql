-- One row per raw custom attribute row (a version of a value): name
-- lower-cased, value trimmed, updated_at in UTC (parsed once when text,
-- used as it is when typed).
{%- set kinds = lead_scoring.raw_column_kinds(source('crm', 'lead_attributes'), [
    'lead_id', 'attribute_name', 'attribute_value', 'updated_at',
]) %}
with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ source('crm', 'lead_attributes') }}
),

erased_leads as (
    {{ lead_scoring.erased_lead_ids() }}
),

cleaned as (
    select
        source_row_number,
        {{ lead_scoring.raw_text('lead_id', kinds['lead_id']) }} as lead_id,
        lower({{ lead_scoring.raw_text('attribute_name', kinds['attribute_name']) }})
            as attribute_name,
        {{ lead_scoring.raw_text('attribute_value', kinds['attribute_value']) }}
            as attribute_value,
        {{ lead_scoring.raw_value('updated_at', kinds['updated_at']) }} as updated_at_raw
    from source
),

parsed as (
    select
        cleaned.*,
        {{ lead_scoring.parse_raw(
            'cleaned.updated_at_raw', kinds['updated_at'], 'timestamp'
        ) }} as updated_at,
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
            when attribute_name is null then 'missing attribute_name'
            when
                updated_at_raw is not null and updated_at is null
                then 'unparseable updated_at'
        end as quarantine_reason
    from parsed
),

final as (
    -- an erased lead's values are gone: a custom property can be free text
    select
        source_row_number,
        lead_id,
        attribute_name,
        {{ lead_scoring.masked_unless_erased(['attribute_value']) }},
        quarantine_reason,
        quarantine_reason is null as is_usable,
        updated_at
    from checked
)

select * from final
