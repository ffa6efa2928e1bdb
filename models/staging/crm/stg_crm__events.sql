{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=[
            "{{ lead_scoring.purge_erased_leads(
                erased=lead_scoring.erased_lead_ids(),
                unless=\"quarantine_reason = 'erasure requested'\"
            ) }}"
        ],
    )
}}
-- Events grow without bound, so this staging model is an incremental table
-- (docs/incremental.md): a run stages only the raw rows
-- it has not staged yet, found by their content (row_hash, and
-- row_occurrence among identical rows), so a reload of the whole export in
-- any order stages nothing twice. A new row whose usable event_id is staged
-- already is a duplicate. The pre-hook takes out the rows of a lead erased
-- since they were staged; this run stages them again, masked.
with

source as (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number,
        {{ lead_scoring.row_hash([
            'event_id', 'lead_id', 'event_type', 'occurred_at', 'page_path',
            'content_type', 'campaign_id', 'email_id'
        ]) }} as row_hash
    from {{ source('crm', 'events') }}
),

repeated_hashes as (
    -- identical raw rows (or, rarely, a hash shared by different rows):
    -- only these need numbering, which spares a sort of the whole table
    select row_hash
    from source
    group by row_hash
    having count(*) > 1
),

keyed as (
    select
        *,
        1 as row_occurrence
    from source
    where row_hash not in (select repeated_hashes.row_hash from repeated_hashes)
    union all
    select
        *,
        row_number() over (
            partition by row_hash order by source_row_number
        ) as row_occurrence
    from source
    where row_hash in (select repeated_hashes.row_hash from repeated_hashes)
),

new_rows as (
    select * from keyed
    {%- if is_incremental() %}
        where not exists (
            select 1
            from {{ this }} as staged
            where
                staged.row_hash = keyed.row_hash
                and staged.row_occurrence = keyed.row_occurrence
        )
    {%- endif %}
),

erased_leads as (
    {{ lead_scoring.erased_lead_ids() }}
),

cleaned as (
    select
        source_row_number,
        row_hash,
        row_occurrence,
        {{ lead_scoring.clean_text('event_id') }} as event_id,
        {{ lead_scoring.clean_text('lead_id') }} as lead_id,
        lower({{ lead_scoring.clean_text('event_type') }}) as event_type,
        {{ lead_scoring.clean_text('page_path') }} as page_path,
        lower({{ lead_scoring.clean_text('content_type') }}) as content_type,
        {{ lead_scoring.clean_text('campaign_id') }} as campaign_id,
        {{ lead_scoring.clean_text('email_id') }} as email_id,
        {{ lead_scoring.clean_text('occurred_at') }} as occurred_at_text
    from new_rows
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

{%- if is_incremental() %}

staged_usable as (
    -- event ids staged as usable by earlier runs: every new row of such an
    -- id is a duplicate (all rows of an id fall on the same side)
    select distinct event_id as staged_event_id from {{ this }} where is_usable
),
{%- endif %}

checked as (
    -- the first usable row of a event_id is kept, later ones are duplicates
    select
        row_checked.*,
        {%- if is_incremental() %}
            case
                when staged_usable.staged_event_id is not null
                    then coalesce(row_checked.row_problem, 'duplicate event_id')
                else {{ lead_scoring.quarantine_duplicates('event_id') }}
            end as quarantine_reason
        {%- else %}
            {{ lead_scoring.quarantine_duplicates('event_id') }} as quarantine_reason
        {%- endif %}
    from row_checked
    {%- if is_incremental() %}
        left join staged_usable
            on row_checked.event_id = staged_usable.staged_event_id
    {%- endif %}
),

final as (
    -- an erased lead's events keep their ids only: a page path can hold
    -- personal data (a query string, a name in a URL)
    select
        source_row_number,
        row_hash,
        row_occurrence,
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
    from checked
)

select * from final
