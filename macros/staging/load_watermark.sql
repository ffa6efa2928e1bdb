{% macro load_watermark(raw_relation, hash_columns) %}
    {#-
        The load watermark of an incremental staging model (docs/incremental.md):
        the load position up to which the model holds every raw row, or
        none when a run must find its new rows by content (row_hash). It
        holds when the raw table only grows: the staged rows are exactly
        positions 1..W, the raw table has at least W rows, and the raw rows
        at positions 1, W/2 and W hash as they did when they were staged. A
        full reload of an export in another order, a shorter raw table, a
        first run or a full refresh, an engine whose load order is not a row
        position (Spark), or the var `stage_by_load_watermark: false` give
        none: the content-hash path. Read when the model compiles (before
        its pre-hook), with two small queries.

        Arguments:
            raw_relation: the raw table (source('crm', 'events')).
            hash_columns: the columns row_hash covers.

        Example:
            {%- set watermark = lead_scoring.load_watermark(
                source('crm', 'events'), ['event_id', 'lead_id']) %}
    -#}
    {%- if not execute or not is_incremental()
        or not lead_scoring.run_var('stage_by_load_watermark', true)
        or not lead_scoring.load_order_is_position() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set staged = run_query(
        'select count(*), coalesce(max(source_row_number), 0),'
        ~ ' count(distinct source_row_number) from ' ~ this
    ).rows[0] -%}
    {%- set watermark = staged[1] | int -%}
    {%- if staged[0] | int != watermark or staged[2] | int != watermark -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if watermark == 0 -%}
        {{ return(0) }}
    {%- endif -%}
    {%- set positions = [1, (watermark + 1) // 2, watermark] | unique | list -%}
    {%- set raw_rows = run_query(
        'select count(*) from ' ~ raw_relation
    ).rows[0][0] | int -%}
    {%- if raw_rows < watermark -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set sample -%}
        select source_row_number, {{ lead_scoring.row_hash(hash_columns) }} as row_hash
        from (
            select *, {{ lead_scoring.load_order() }} as source_row_number
            from {{ raw_relation }}
        ) as positioned
        where source_row_number in ({{ positions | join(', ') }})
        except
        select source_row_number, row_hash
        from {{ this }}
        where source_row_number in ({{ positions | join(', ') }})
    {%- endset -%}
    {%- if run_query(sample).rows | length > 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(watermark) }}
{% endmacro %}
