{% macro erased_lead_ids() %}
    {#-
        The lead ids with an erasure request (docs/privacy.md), as a query
        over base_crm__erasure_requests, the one model that reads the
        erasure source (its lead_id cleaned like every lead_id). Every
        staging model of a table that holds a lead's data joins it, so an
        erased lead's personal data never gets past staging, whatever date
        is scored.

        Example:
            erased_leads as (
                {{ lead_scoring.erased_lead_ids() }}
            ),
    -#}
    select distinct lead_id
    from {{ ref('base_crm__erasure_requests') }}
    where lead_id is not null
{% endmacro %}
