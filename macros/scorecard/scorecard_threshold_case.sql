{% macro scorecard_threshold_case(scorecard, kind, score, output='name', market=none) %}
    {#-
        The band (kind='bands', on the total score) or grade (kind='grades',
        on the fit score) of each row as a CASE over scorecard_id: the entry
        with the highest threshold not above `score` (SCORING_SPEC 3.8).
        output='rank' gives the entry's rank instead (1 = the lowest), for
        ordering bands. A scorecard without grades gives null. With `market`
        (the SQL expression of the row's market), a market that has its own
        thresholds (a `market` column in the seed) uses them; the names and
        ranks are the same in every market.
    -#}
    {%- set branches = [] -%}
    {%- for card in scorecard['scorecards'] if card[kind] | length > 0 -%}
        {%- set value = lead_scoring.scorecard_threshold_steps(card[kind], score, output) -%}
        {%- set market_sets = card.get('market_' ~ kind) or {} -%}
        {%- if market is not none and market_sets | length > 0 -%}
            {%- set market_branches = [] -%}
            {%- for market_name in market_sets | list | sort -%}
                {%- do market_branches.append(
                    'when ' ~ market ~ ' = ' ~ lead_scoring.string_literal(market_name)
                    ~ ' then ' ~ lead_scoring.scorecard_threshold_steps(market_sets[market_name], score, output)
                ) -%}
            {%- endfor -%}
            {%- set value = 'case ' ~ market_branches | join(' ') ~ ' else ' ~ value ~ ' end' -%}
        {%- endif -%}
        {%- do branches.append(
            'when scorecard_id = ' ~ lead_scoring.string_literal(card['scorecard_id'])
            ~ ' then ' ~ value
        ) -%}
    {%- endfor -%}
    {%- if branches | length == 0 -%}
        {{ return('cast(null as ' ~ (dbt.type_string() if output == 'name' else dbt.type_int()) ~ ')') }}
    {%- endif -%}
    {{ return('case ' ~ branches | join(' ') ~ ' end') }}
{% endmacro %}
