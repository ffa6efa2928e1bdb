{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail',
        post_hook=["{{ lead_scoring.purge_erased_leads() }}"],
    )
}}
-- depends_on: {{ ref('stg_crm__erasure_requests') }}
-- One row per lead and sync in which the values the CRM shows for it
-- changed: the champion scorecard's (var champion_scorecard) score, band,
-- grade and top three reasons, for contactable leads only. Append-only and
-- never rebuilt by --full-refresh: it is what the CRM was told. A run adds a
-- row only where the values differ from the lead's last logged row, so a
-- rerun on the same data adds nothing (idempotent). Backfills (var
-- fire_triggers false) sync nothing.
{%- set champion = lead_scoring.var_literal('champion_scorecard', 'default') %}
with

scores as (
    select * from {{ ref('fct_lead_scores') }}
    where scorecard_id = {{ champion }}
),

contributions as (
    select * from {{ ref('fct_lead_score_contributions') }}
    where
        scorecard_id = {{ champion }}
        and entry_type = 'rule'
        and contribution <> 0
),

contactability as (
    select * from {{ ref('int_lead_contactability') }}
),

ranked_reasons as (
    {{ lead_scoring.ranked_score_reasons('contributions') }}
),

reasons as (
    select
        lead_id,
        {{ dbt.listagg(
            "description || ' (' || case when contribution > 0 then '+' else '' end"
            ~ " || cast(contribution as " ~ dbt.type_string() ~ ") || ')'",
            "'; '",
            "order by reason_rank",
        ) }} as top_reasons
    from ranked_reasons
    where reason_rank <= 3
    group by lead_id
),

published as (
    select
        scores.lead_id,
        scores.scorecard_id,
        scores.band,
        scores.grade,
        coalesce(reasons.top_reasons, '') as top_reasons,
        scores.total_score,
        scores.score_as_of
    from scores
    inner join contactability
        on scores.lead_id = contactability.lead_id
    left join reasons
        on scores.lead_id = reasons.lead_id
    where contactability.is_contactable
),

hashed as (
    select
        *,
        {{ dbt.hash(
            "cast(total_score as " ~ dbt.type_string() ~ ") || '|' || band || '|'"
            ~ " || coalesce(grade, '') || '|' || top_reasons"
        ) }} as values_hash
    from published
),

{%- if is_incremental() %}

last_synced as (
    select
        lead_id,
        scorecard_id,
        values_hash,
        row_number() over (
            partition by lead_id, scorecard_id
            order by synced_at desc
        ) as sync_rank
    from {{ this }}
),
{%- endif %}

changed as (
    select hashed.*
    from hashed
    {%- if is_incremental() %}
    left join last_synced
        on
            hashed.lead_id = last_synced.lead_id
            and hashed.scorecard_id = last_synced.scorecard_id
            and last_synced.sync_rank = 1
    where
        last_synced.values_hash is null
        or last_synced.values_hash <> hashed.values_hash
    {%- endif %}
),

final as (
    select
        lead_id,
        scorecard_id,
        band,
        grade,
        top_reasons,
        values_hash,
        total_score,
        score_as_of,
        {{ lead_scoring.run_started_timestamp() }} as synced_at
    from changed
    where {{ 'true' if lead_scoring.run_var('fire_triggers', true) else 'false' }}
)

select * from final
