-- One row per raw opportunity row (a version of a deal): stage lower-cased,
-- currency upper-cased, amount, flags and timestamps parsed once when text
-- and used as they are when typed.
{%- set kinds = lead_scoring.raw_column_kinds(source('crm', 'opportunities'), [
    'opportunity_id', 'lead_id', 'stage', 'amount', 'currency',
    'created_at', 'closed_at', 'is_won', 'is_closed', 'updated_at',
]) %}
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
        {{ lead_scoring.raw_text('source.opportunity_id', kinds['opportunity_id']) }}
            as opportunity_id,
        {{ lead_scoring.raw_text('source.lead_id', kinds['lead_id']) }} as lead_id,
        lower({{ lead_scoring.raw_text('source.stage', kinds['stage']) }}) as stage,  -- noqa: RF04
        upper({{ lead_scoring.raw_text('source.currency', kinds['currency']) }}) as currency,
        {%- for column in [
            'amount', 'is_won', 'is_closed', 'created_at', 'closed_at', 'updated_at'
        ] %}
        {{ lead_scoring.raw_value('source.' ~ column, kinds[column]) }} as {{ column }}_raw
        {{- ',' if not loop.last }}
        {%- endfor %}
    from source
),

parsed as (
    select
        cleaned.*,
        {{ lead_scoring.parse_raw('cleaned.amount_raw', kinds['amount'], 'number') }}
            as amount,
        {{ lead_scoring.parse_raw('cleaned.is_won_raw', kinds['is_won'], 'boolean') }}
            as is_won_parsed,
        {{ lead_scoring.parse_raw('cleaned.is_closed_raw', kinds['is_closed'], 'boolean') }}
            as is_closed_parsed,
        {{ lead_scoring.parse_raw('cleaned.created_at_raw', kinds['created_at'], 'timestamp') }}
            as created_at,
        {{ lead_scoring.parse_raw('cleaned.closed_at_raw', kinds['closed_at'], 'timestamp') }}
            as closed_at,
        {{ lead_scoring.parse_raw('cleaned.updated_at_raw', kinds['updated_at'], 'timestamp') }}
            as updated_at_parsed,
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
            when created_at_raw is null then 'missing created_at'
            when created_at is null then 'unparseable created_at'
            when
                closed_at_raw is not null and closed_at is null
                then 'unparseable closed_at'
            when
                updated_at_raw is not null and updated_at_parsed is null
                then 'unparseable updated_at'
            when
                amount_raw is not null and amount is null
                then 'unparseable amount'
            when
                is_won_raw is not null and is_won_parsed is null
                then 'unparseable is_won'
            when
                is_closed_raw is not null and is_closed_parsed is null
                then 'unparseable is_closed'
        end as quarantine_reason,
        coalesce(updated_at_parsed, created_at) as updated_at
    from parsed
),

final as (
    -- an erased lead's deals keep their ids only (docs/privacy.md)
    select
        source_row_number,
        opportunity_id,
        lead_id,
        {{ lead_scoring.masked_unless_erased(['stage', 'currency']) }},  -- noqa: RF04
        quarantine_reason,
        {{ lead_scoring.masked_unless_erased(['amount']) }},
        coalesce(is_won_parsed, false) and not is_erased as is_won,
        -- a won deal is closed, whatever the export says
        (coalesce(is_closed_parsed, false) or coalesce(is_won_parsed, false))
        and not is_erased as is_closed,
        quarantine_reason is null as is_usable,
        {{ lead_scoring.masked_unless_erased(['created_at', 'closed_at', 'updated_at']) }}
    from checked
)

select * from final
