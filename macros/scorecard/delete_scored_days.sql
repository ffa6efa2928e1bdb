{% macro delete_scored_days() %}
    {#-
        Pre-hook of fct_lead_score_history on engines that can delete rows:
        the days this run scores (score_dates) are deleted before the run
        appends them again, so a day is replaced whole and the other days
        are kept. (dbt's delete+insert on `score_date` joins every new row
        to every old row of its day, which is quadratic in the number of
        leads.) Spark replaces the days' partitions with insert_overwrite.
    -#}
    {%- if is_incremental() and target.type != 'spark' -%}
        {%- set dates = lead_scoring.score_dates() -%}
        delete from {{ this }}
        where score_date between cast('{{ dates[0] }}' as date) and cast('{{ dates[-1] }}' as date)
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}
