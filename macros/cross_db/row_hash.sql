{% macro row_hash(columns) %}
    {#-
        A 64-bit hash of a raw row's values (as text; null distinct from
        empty), used to recognise a row an incremental model has staged
        already. Equal rows hash equal; two different rows that collide are
        told apart by their occurrence number, so a collision never loses a
        row. The value differs between engines and never leaves staging.
    -#}
    {{ return(adapter.dispatch('row_hash', 'lead_scoring')(columns)) }}
{% endmacro %}

{% macro default__row_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(
            "coalesce('~' || cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')"
        ) -%}
    {%- endfor -%}
    hash(concat_ws('|', {{ parts | join(', ') }}))
{%- endmacro %}

{% macro spark__row_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("cast(" ~ column ~ " as string)") -%}
    {%- endfor -%}
    {#- xxhash64 hashes each argument in turn and treats null apart -#}
    xxhash64({{ parts | join(', ') }})
{%- endmacro %}
