{% macro masked_unless_erased(columns, erased='is_erased') %}
    {#-
        The columns of a staged row, each kept only when the row's lead has
        no erasure request (docs/privacy.md): `case when not is_erased then
        <column> end as <column>` for every column, comma-separated. One
        place says how an erased lead's data is removed; a staging model
        lists what it removes.

        Arguments:
            columns: the column names to mask.
            erased: the boolean column that says the lead is erased.

        Example:
            {{ lead_scoring.masked_unless_erased(['email', 'city']) }},
    -#}
    {%- set masked = [] -%}
    {%- for column in columns -%}
        {%- do masked.append(
            'case when not ' ~ erased ~ ' then ' ~ column ~ ' end as ' ~ column
        ) -%}
    {%- endfor -%}
    {{ return(masked | join(',\n        ')) }}
{% endmacro %}
