{% macro raw_column_kinds(relation, columns) %}
    {#-
        What each raw column holds, read from the warehouse when the model
        compiles (adapter.get_columns_in_relation), so that staging parses
        only what arrives as text: a dict of column name to `text`,
        `timestamp`, `timestamp_tz`, `date`, `number` or `boolean`.
        A column that is missing, of another type, or read before execution
        (parsing, unit test fixtures) is `text`: the text path handles
        every value.

        Arguments:
            relation: the source relation (source('crm', 'events')).
            columns: the contract's column names.

        Example:
            {%- set kinds = lead_scoring.raw_column_kinds(
                source('crm', 'events'), ['event_id', 'occurred_at']) %}
            -> {'event_id': 'text', 'occurred_at': 'timestamp'}
    -#}
    {%- set kinds = {} -%}
    {%- for column in columns -%}
        {%- do kinds.update({column: 'text'}) -%}
    {%- endfor -%}
    {%- if not execute or relation.type == 'cte'
        or (relation.identifier or '').startswith('__dbt__cte__') -%}
        {{ return(kinds) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=relation.database,
        schema=relation.schema,
        identifier=relation.identifier
    ) -%}
    {%- if existing is none -%}
        {{ return(kinds) }}
    {%- endif -%}
    {%- for column in adapter.get_columns_in_relation(existing) -%}
        {%- set name = column.name | lower -%}
        {%- set dtype = (column.dtype or '') | lower | trim -%}
        {%- if name in kinds -%}
            {%- if dtype in ['timestamp with time zone', 'timestamptz'] -%}
                {%- do kinds.update({name: 'timestamp_tz'}) -%}
            {%- elif dtype.startswith('timestamp') or dtype == 'datetime' -%}
                {%- do kinds.update({name: 'timestamp'}) -%}
            {%- elif dtype == 'date' -%}
                {%- do kinds.update({name: 'date'}) -%}
            {%- elif dtype in ['boolean', 'bool'] -%}
                {%- do kinds.update({name: 'boolean'}) -%}
            {%- elif modules.re.fullmatch(
                '(u?(tiny|small|big|huge)?int(eger)?|u?int[0-9]*|long|short|byte'
                ~ '|double|float[0-9]*|real|(decimal|numeric)(\\(.*\\))?)', dtype
            ) -%}
                {%- do kinds.update({name: 'number'}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(kinds) }}
{% endmacro %}
