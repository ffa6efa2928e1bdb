with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ source('crm', 'lead_attributes') }}
),

cleaned as (
    select
        source_row_number,
        {{ lead_scoring.clean_text('lead_id') }} as lead_id,
        lower({{ lead_scoring.clean_text('attribute_name') }}) as attribute_name,
        {{ lead_scoring.clean_text('attribute_value') }} as attribute_value,
        {{ lead_scoring.clean_text('updated_at') }} as updated_at_text
    from source
),

checked as (
    select
        *,
        case
            when lead_id is null then 'missing lead_id'
            when attribute_name is null then 'missing attribute_name'
            when
                updated_at_text is not null and updated_at is null
                then 'unparseable updated_at'
        end as quarantine_reason
    from (
        select
            *,
            {{ lead_scoring.parse_timestamp_utc('updated_at_text') }}
                as updated_at
        from cleaned
    ) as parsed
),

versioned as (
    select
        *,
        quarantine_reason is null
        and row_number() over (
            partition by lead_id, attribute_name, quarantine_reason is null
            order by updated_at desc nulls last, source_row_number desc
        ) = 1 as is_latest_version
    from checked
),

final as (
    select
        source_row_number,
        lead_id,
        attribute_name,
        attribute_value,
        quarantine_reason,
        quarantine_reason is null as is_usable,
        is_latest_version,
        updated_at
    from versioned
)

select * from final
