{% macro repeated_keys(relation, key_column, problem_column='row_problem') %}
    {#-
        The keys that more than one row holds (event_id, activity_id,
        campaign_id; a missing key is one group too), each with the load
        position of its first usable row (null when none is usable), as a
        query: found by one aggregation (group by, having count > 1, min
        over the load order), not by numbering every row. A staged row
        joins it: a usable row after its key's first usable one is a
        duplicate; a first row that is itself unusable does not make the
        next one a duplicate, and a missing key never repeats. Identical raw
        rows share their key, so the same list says which rows may need an
        occurrence number (stg_crm__events). Needs the columns
        `source_row_number` and `problem_column`.

        Arguments:
            relation: the CTE (or relation) of checked rows.
            key_column: the key that must not repeat.
            problem_column: the row's own problem (null when usable).

        Example:
            repeated_event_ids as (
                {{ lead_scoring.repeated_keys('row_checked', 'event_id') }}
            ),
    -#}
    select
        {{ key_column }},
        min(
            case when {{ problem_column }} is null then source_row_number end
        ) as first_row_number
    from {{ relation }}
    group by {{ key_column }}
    having count(*) > 1
{% endmacro %}
