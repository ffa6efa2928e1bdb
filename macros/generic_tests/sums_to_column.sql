{% test sums_to_column(model, column_name, group_by, to_model, to_column) %}
    {#-
        Fails with every group of `to_model` whose `to_column` is not exactly
        the sum of `column_name` over the same group of `model` (a group
        with no rows sums to 0): an explanation ledger that must add up to
        the published score.
    -#}
    with

    sums as (
        select
            {{ group_by | join(', ') }},
            sum({{ column_name }}) as summed
        from {{ model }}
        group by {{ group_by | join(', ') }}
    ),

    targets as (
        select
            {{ group_by | join(', ') }},
            {{ to_column }} as target
        from {{ to_model }}
    )

    select
        {%- for column in group_by %}
        targets.{{ column }},
        {%- endfor %}
        targets.target,
        sums.summed
    from targets
    left join sums
        on
        {%- for column in group_by %}
            {{ 'and ' if not loop.first }}targets.{{ column }} = sums.{{ column }}
        {%- endfor %}
    where coalesce(sums.summed, 0) <> targets.target
{% endtest %}
