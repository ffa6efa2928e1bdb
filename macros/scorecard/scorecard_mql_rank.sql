{% macro scorecard_mql_rank(scorecard, scorecard_column='scorecard_id') %}
    {#-
        The band rank from which a lead counts as sales-ready (MQL) in each
        scorecard, as a CASE over `scorecard_column`: the band named in the
        var `mql_bands` for the scorecard ({scorecard_id: band}), else the
        band called `mql`, else the highest band (a configured band that the
        scorecard does not have falls back to it, with a warning).
    -#}
    {%- set configured = var('mql_bands', {}) or {} -%}
    {%- set branches = [] -%}
    {%- for card in scorecard['scorecards'] -%}
        {%- set names = [] -%}
        {%- for band in card['bands'] -%}
            {%- do names.append(band['name'] | lower) -%}
        {%- endfor -%}
        {%- set wanted = (configured.get(card['scorecard_id']) or 'mql') | lower -%}
        {%- if card['scorecard_id'] in configured and wanted not in names -%}
            {%- do exceptions.warn(
                "var mql_bands: scorecard " ~ card['scorecard_id'] ~ " has no band `"
                ~ wanted ~ "` (bands: " ~ names | join(', ') ~ "); its highest band counts as MQL"
            ) -%}
        {%- endif -%}
        {%- set rank = (names.index(wanted) + 1) if wanted in names else names | length -%}
        {%- do branches.append(
            'when ' ~ scorecard_column ~ ' = '
            ~ lead_scoring.string_literal(card['scorecard_id']) ~ ' then ' ~ rank
        ) -%}
    {%- endfor -%}
    {{ return('case ' ~ branches | join(' ') ~ ' end') }}
{% endmacro %}
