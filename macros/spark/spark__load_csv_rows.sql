{% macro spark__load_csv_rows(model, agate_table) %}
    {#-
        Overrides dbt-spark's seed loader. Its session method formats the
        bound values into the SQL text with Python's `%`, so an empty CSV
        cell arrives as the text 'None' instead of null (and a scorecard's
        empty `max_points` would read as a broken value). Here every value
        is written as a literal: null for an empty cell, else an escaped
        string literal cast to the column's type.
    -#}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(
            column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))
        ) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- if value is none -%}
                        cast(null as {{ types[loop.index0] }})
                    {%- else -%}
                        cast({{ lead_scoring.string_literal(value) }} as {{ types[loop.index0] }})
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
