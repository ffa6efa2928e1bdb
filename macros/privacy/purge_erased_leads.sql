{% macro purge_erased_leads(erased=none, unless=none) %}
    {#-
        Hook of the models that keep rows across runs (score history,
        trigger log, CRM sync log, the incremental event staging): delete
        the rows of leads with an erasure request, which a rebuild would not
        remove because these models are not rebuilt. `erased`: the query of
        the erased lead ids (default: the usable rows of
        stg_crm__erasure_requests); `unless`: a condition that keeps a row
        (e.g. one masked already). The model must declare
        `-- depends_on: {{ ref('stg_crm__erasure_requests') }}`.
    -#}
    {%- if erased is none -%}
        {%- set erased -%}
            select lead_id from {{ ref('stg_crm__erasure_requests') }} where is_usable
        {%- endset -%}
    {%- endif -%}
    {%- set condition = 'lead_id in (' ~ erased ~ ')'
        ~ ('' if unless is none else ' and not coalesce(' ~ unless ~ ', false)') -%}
    {%- if not is_incremental() -%}
        {#- a first build or a full refresh: built without erased leads -#}
        {{ return('select 1') }}
    {%- endif -%}
    {{ return(adapter.dispatch('purge_erased_leads', 'lead_scoring')(condition)) }}
{% endmacro %}

{% macro default__purge_erased_leads(condition) -%}
    delete from {{ this }} where {{ condition }}
{%- endmacro %}

{% macro spark__purge_erased_leads(condition) -%}
    {#-
        Parquet tables cannot delete rows: when the table holds rows of an
        erased lead, the rows to keep are copied aside and written back with
        a static `insert overwrite` (the whole table, every partition). A
        table without such rows is left as it is, so the usual run costs
        one count.
    -#}
    {%- if execute -%}
        {%- set hits = run_query('select count(*) from ' ~ this ~ ' where ' ~ condition) -%}
        {%- if hits.columns[0].values()[0] > 0 -%}
            {%- set keep = this.incorporate(path={'identifier': this.identifier ~ '__purge'}) -%}
            {%- do run_query('drop table if exists ' ~ keep) -%}
            {%- do run_query(
                'create table ' ~ keep ~ ' using parquet as select * from '
                ~ this ~ ' where not coalesce(' ~ condition ~ ', false)'
            ) -%}
            {%- do run_query('set spark.sql.sources.partitionOverwriteMode = STATIC') -%}
            {%- do run_query('insert overwrite table ' ~ this ~ ' select * from ' ~ keep) -%}
            {%- do run_query('drop table ' ~ keep) -%}
        {%- endif -%}
    {%- endif -%}
    select 1
{%- endmacro %}
