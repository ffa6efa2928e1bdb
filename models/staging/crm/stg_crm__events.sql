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
-- (docs/incremental.md). A run stages only the raw rows it has not staged
-- yet: when the raw table only grows, the rows past the load watermark (the
-- last load position staged, load_watermark); otherwise (a full reload of
-- the export in another order) the rows whose content (row_hash, event_id
-- and row_occurrence among identical rows) is not staged yet, so a reload in
-- any order stages nothing twice. A new row whose usable event_id is staged
-- already is a duplicate. The pre-hook takes out the rows of a lead erased
-- since they were staged; this run stages them again, masked. Text columns
-- are parsed once; a typed occurred_at is used as it is. `staged_at` (when
-- the run started) tells the rows of each run apart, for the kept activity
-- counts (int_lead_activity_days).
{%- set hash_columns = [
    'event_id', 'lead_id', 'event_type', 'occurred_at', 'page_path',
    'content_type', 'campaign_id', 'email_id',
] %}
{%- set kinds = lead_scoring.raw_column_kinds(source('crm', 'events'), hash_columns) %}
{%- set watermark = lead_scoring.load_watermark(source('crm', 'events'), hash_columns) %}
{%- if execute and is_incremental() %}
    {%- do log(
        'stg_crm__events: new raw rows after load position ' ~ watermark ~ ' (load watermark)'
        if watermark is not none
        else 'stg_crm__events: new raw rows found by content (row_hash)',
        info=true
    ) %}
{%- endif %}
{#- the large CTEs are recomputed by each reader, not stored whole; the new
    rows of a watermark run are few and stored once -#}
{%- set inlined = lead_scoring.cte_storage(inline=true) %}
with

source as {{ inlined }} (
    select
        *,
        {{ lead_scoring.load_order() }} as source_row_number
    from {{ source('crm', 'events') }}
),

erased_leads as (
    {{ lead_scoring.erased_lead_ids() }}
),

{%- if watermark is not none %}

positioned as {{ lead_scoring.cte_storage(inline=false) }} (
    -- one pass over the raw table (a second reader would make DuckDB store
    -- every positioned raw row): the rows loaded after the watermark, and
    -- the rows of the few leads erased since their rows were staged
    select source.*
    from source
    left join erased_leads
        on {{ lead_scoring.raw_text('source.lead_id', kinds['lead_id']) }}
            = erased_leads.lead_id
    where
        source.source_row_number > {{ watermark }}
        or erased_leads.lead_id is not null
),
{%- endif %}

candidates as {{ lead_scoring.cte_storage(inline=watermark is none) }} (
    {%- if watermark is none %}
    select * from source
    {%- else %}
    -- the new rows, and the rows before the watermark of leads erased since
    -- they were staged (the pre-hook took them out)
    select * from positioned
    where source_row_number > {{ watermark }}
    union all
    select * from positioned
    where
        source_row_number <= {{ watermark }}
        and not exists (
            select 1
            from {{ this }} as staged
            where staged.source_row_number = positioned.source_row_number
        )
    {%- endif %}
),

cleaned as {{ inlined }} (
    select
        source_row_number,
        {{ lead_scoring.row_hash(hash_columns) }} as row_hash,
        {{ lead_scoring.raw_text('event_id', kinds['event_id']) }} as event_id,
        {{ lead_scoring.raw_text('lead_id', kinds['lead_id']) }} as lead_id,
        lower({{ lead_scoring.raw_text('event_type', kinds['event_type']) }}) as event_type,
        {{ lead_scoring.raw_text('page_path', kinds['page_path']) }} as page_path,
        lower({{ lead_scoring.raw_text('content_type', kinds['content_type']) }})
            as content_type,
        {{ lead_scoring.raw_text('campaign_id', kinds['campaign_id']) }} as campaign_id,
        {{ lead_scoring.raw_text('email_id', kinds['email_id']) }} as email_id,
        {{ lead_scoring.raw_value('occurred_at', kinds['occurred_at']) }} as occurred_at_raw
    from candidates
),

parsed as {{ inlined }} (
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

row_checked as {{ inlined }} (
    select
        *,
        cast(occurred_at as date) as occurred_date,
        case
            when lead_id is null then 'missing lead_id'
            when is_erased then 'erasure requested'
            when occurred_at_raw is null then 'missing occurred_at'
            when occurred_at is null then 'unparseable occurred_at'
        end as row_problem
    from parsed
),

repeated_event_ids as (
    {{ lead_scoring.repeated_keys('row_checked', 'event_id') }}
),

repeated_rows as (
    -- identical raw rows share their event_id (or its absence), so only the
    -- rows of a repeated event_id are numbered among equal (row_hash,
    -- event_id): no sort of the whole table, and two different rows whose
    -- hashes collide differ in event_id or in their number (a cleaned
    -- event_id is never '', so '' stands for a missing one)
    select
        row_checked.source_row_number,
        row_number() over (
            partition by row_checked.row_hash, row_checked.event_id
            order by row_checked.source_row_number
        ) as hash_rank
    from row_checked
    inner join repeated_event_ids
        on coalesce(row_checked.event_id, '') = coalesce(repeated_event_ids.event_id, '')
),

numbered as {{ inlined }} (
    select
        row_checked.*,
        coalesce(repeated_rows.hash_rank, 1) as hash_rank
    from row_checked
    left join repeated_rows
        on row_checked.source_row_number = repeated_rows.source_row_number
),

{%- if watermark is none %}

new_rows as {{ inlined }} (
    select
        *,
        hash_rank as row_occurrence
    from numbered
    {%- if is_incremental() %}
        where not exists (
            select 1
            from {{ this }} as staged
            where
                staged.row_hash = numbered.row_hash
                and coalesce(staged.event_id, '') = coalesce(numbered.event_id, '')
                and staged.row_occurrence = numbered.hash_rank
        )
    {%- endif %}
),
{%- else %}

staged_occurrences as (
    -- identical rows staged already: a new copy's occurrence follows theirs
    select
        staged.row_hash,
        staged.event_id,
        max(staged.row_occurrence) as staged_occurrences
    from {{ this }} as staged
    inner join (select distinct row_hash, event_id from numbered) as new_keys
        on
            staged.row_hash = new_keys.row_hash
            and coalesce(staged.event_id, '') = coalesce(new_keys.event_id, '')
    group by staged.row_hash, staged.event_id
),

new_rows as {{ inlined }} (
    select
        numbered.*,
        coalesce(staged_occurrences.staged_occurrences, 0) + numbered.hash_rank
            as row_occurrence
    from numbered
    left join staged_occurrences
        on
            numbered.row_hash = staged_occurrences.row_hash
            and coalesce(numbered.event_id, '') = coalesce(staged_occurrences.event_id, '')
),
{%- endif %}

{%- if is_incremental() %}

staged_event_ids as (
    -- event ids staged as usable by earlier runs: every new usable row of
    -- such an id is a duplicate (all rows of an id fall on the same side)
    select distinct staged.event_id
    from {{ this }} as staged
    inner join (
        select distinct event_id from new_rows where event_id is not null
    ) as new_event_ids
        on staged.event_id = new_event_ids.event_id
    where staged.is_usable
),
{%- endif %}

checked as (
    -- the first usable row of an event_id is kept, later ones are duplicates
    select
        new_rows.*,
        coalesce(
            new_rows.row_problem,
            case
                {%- if is_incremental() %}
                when staged_event_ids.event_id is not null then 'duplicate event_id'
                {%- endif %}
                when new_rows.source_row_number > repeated_event_ids.first_row_number
                    then 'duplicate event_id'
            end
        ) as quarantine_reason
    from new_rows
    left join repeated_event_ids
        on new_rows.event_id = repeated_event_ids.event_id
    {%- if is_incremental() %}
    left join staged_event_ids
        on new_rows.event_id = staged_event_ids.event_id
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
        {{ lead_scoring.masked_unless_erased([
            'event_type', 'page_path', 'content_type', 'campaign_id', 'email_id',
        ]) }},
        quarantine_reason,
        quarantine_reason is null as is_usable,
        {{ lead_scoring.masked_unless_erased(['occurred_date', 'occurred_at']) }},
        -- the run that staged the row: what int_lead_activity_days reads next
        {{ lead_scoring.run_started_timestamp(microseconds=true) }} as staged_at
    from checked
)

select * from final
