{% test unique_combination_of_columns(model, combination_of_columns) %}
    {#-
        Fails with every combination of the given columns that appears more
        than once in the model (a composite primary key).
    -#}
    {%- set columns = combination_of_columns | join(', ') -%}
    select
        {{ columns }},
        count(*) as row_count
    from {{ model }}
    group by {{ columns }}
    having count(*) > 1
{% endtest %}
