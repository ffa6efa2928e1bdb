{% macro erased_lead_ids() %}
    {#-
        The lead ids with an erasure request (docs/privacy.md), cleaned like
        every lead_id, as a query. Every staging model of a table that holds
        a lead's data selects from it, so an erased lead's personal data
        never gets past staging, whatever date is scored.
    -#}
    select distinct {{ lead_scoring.clean_text('lead_id') }} as lead_id
    from {{ lead_scoring.optional_source('crm', 'erasure_requests', ['lead_id', 'requested_at']) }}
        as erasure_requests
    where {{ lead_scoring.clean_text('lead_id') }} is not null
{% endmacro %}
