{% macro quarantine_duplicates(key_column, problem_column='row_problem') %}
    {#-
        The quarantine reason of a staged row whose table has a key that may
        repeat (event_id, activity_id, campaign_id): the row's own problem if
        it has one; else `duplicate <key_column>` for every usable row of a
        key after the first one loaded (a first row that is itself unusable
        does not make the next one a duplicate); else null. Needs the
        columns `source_row_number` and `problem_column`.
    -#}
    coalesce(
        {{ problem_column }},
        case
            when
                {{ key_column }} is not null
                and row_number() over (
                    partition by {{ key_column }}, {{ problem_column }} is null
                    order by source_row_number
                ) > 1
                then 'duplicate {{ key_column }}'
        end
    )
{% endmacro %}
