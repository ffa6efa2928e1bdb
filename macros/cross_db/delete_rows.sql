{% macro delete_rows(condition) %}
    {#-
        Hook SQL that deletes the rows of the model's own table ({{ this }})
        matching `condition` (a SQL boolean on its columns), on every
        engine: `delete` where the table can delete rows; on Spark, whose
        parquet tables cannot, a rewrite of the rows to keep. Used by the
        hooks of the tables kept across runs (purge_erased_leads,
        activity_days_cleanup).
    -#}
    {{ return(adapter.dispatch('delete_rows', 'lead_scoring')(condition)) }}
{% endmacro %}

{% macro default__delete_rows(condition) -%}
    delete from {{ this }} where {{ condition }}
{%- endmacro %}

{% macro spark__delete_rows(condition) -%}
    {#-
        Parquet tables cannot delete rows: when the table holds matching
        rows, the rows to keep are copied aside and written back with a
        static `insert overwrite` (the whole table, every partition). A
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
