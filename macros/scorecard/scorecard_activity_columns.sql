{% macro scorecard_activity_columns(renamed={}, absent=[]) %}
    {#-
        The select list of an activity as an activity rule reads it: one
        column per activity property a rule may test (scorecard_fields,
        `activity_fields`), so that the list is written once and a property
        added to the contract reaches every model that scores activities.
        A property is the relation's column of the same name, unless it is
        `renamed` (property: expression) or `absent` (the relation does not
        have it: null); `occurred_at` is compared as text.

        Arguments:
            renamed: property -> SQL expression, for a column named otherwise.
            absent: the properties the relation does not have.

        Example:
            select lead_id, {{ lead_scoring.scorecard_activity_columns(
                renamed={'event_id': 'activity_id'}) }}
            from activities
    -#}
    {%- set fields = lead_scoring.scorecard_fields()['activity_fields'] -%}
    {%- for field in (renamed.keys() | list) + absent if field not in fields -%}
        {{ exceptions.raise_compiler_error(
            'scorecard_activity_columns: `' ~ field ~ '` is not an activity property'
        ) }}
    {%- endfor -%}
    {%- set columns = [] -%}
    {%- for field in fields -%}
        {%- if field in renamed -%}
            {%- do columns.append(renamed[field] ~ ' as ' ~ field) -%}
        {%- elif field in absent -%}
            {%- do columns.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ field) -%}
        {%- elif field == 'occurred_at' -%}
            {%- do columns.append('cast(occurred_at as ' ~ dbt.type_string() ~ ') as occurred_at') -%}
        {%- else -%}
            {%- do columns.append(field) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns | join(',\n        ')) }}
{% endmacro %}
