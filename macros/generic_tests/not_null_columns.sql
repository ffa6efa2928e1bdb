{% test not_null_columns(model, column_names) %}
    {#-
        Fails with one row per column of `column_names` that holds nulls:
        the column's name (column_name) and how many rows are null in it
        (null_rows). One query, one dbt node, for all the columns of a model
        that must not be null, where dbt's not_null takes one per column.

        Arguments:
            column_names: the columns, a list.

        Example:
            data_tests:
              - lead_scoring.not_null_columns:
                  arguments:
                    column_names: [scorecard_id, band]
    -#}
    {%- if column_names is string or column_names is mapping
            or column_names is not iterable or column_names | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            'not_null_columns: column_names must be a non-empty list of'
            ~ ' columns, got ' ~ column_names) }}
    {%- endif %}
    with

    null_counts as (
        select
            {%- for column in column_names %}
            count(*) - count({{ column }}) as null_rows_{{ loop.index }}
            {{- ',' if not loop.last }}
            {%- endfor %}
        from {{ model }}
    ),

    per_column as (
        {%- for column in column_names %}
        {{ 'union all' if not loop.first }}
        select
            '{{ dbt.escape_single_quotes(column) }}' as column_name,
            null_rows_{{ loop.index }} as null_rows
        from null_counts
        {%- endfor %}
    )

    select
        column_name,
        null_rows
    from per_column
    where null_rows > 0
{% endtest %}
