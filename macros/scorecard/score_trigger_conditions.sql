{% macro score_trigger_conditions(scorecard) %}
    {#-
        The triggers of the var `score_triggers` as a list of
        {name, scorecard_id, condition}: `condition` is SQL true when a
        history row (total_score, band_rank) is at or above the trigger's
        threshold: `min_score` N, or `band` B (that band or a higher one).
        A trigger naming an unknown scorecard or band stops the build.
    -#}
    {%- set triggers = [] -%}
    {%- for trigger in var('score_triggers', []) or [] -%}
        {%- set name = trigger.get('name') -%}
        {%- set card_id = trigger.get('scorecard_id') -%}
        {%- set cards = [] -%}
        {%- for card in scorecard['scorecards'] if card['scorecard_id'] == card_id -%}
            {%- do cards.append(card) -%}
        {%- endfor -%}
        {%- if not name or cards | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                'var score_triggers: trigger ' ~ (name or '(no name)')
                ~ ' needs a name and an existing scorecard_id (got ' ~ card_id ~ ')'
            ) }}
        {%- endif -%}
        {%- if trigger.get('band') is not none -%}
            {%- set names = [] -%}
            {%- for band in cards[0]['bands'] -%}
                {%- do names.append(band['name'] | lower) -%}
            {%- endfor -%}
            {%- if (trigger['band'] | lower) not in names -%}
                {{ exceptions.raise_compiler_error(
                    'var score_triggers: trigger ' ~ name ~ ': scorecard ' ~ card_id
                    ~ ' has no band ' ~ trigger['band'] ~ ' (bands: ' ~ names | join(', ') ~ ')'
                ) }}
            {%- endif -%}
            {%- set condition = 'band_rank >= ' ~ (names.index(trigger['band'] | lower) + 1) -%}
        {%- elif lead_scoring.is_number_text(trigger.get('min_score') | string) -%}
            {%- set condition = 'total_score >= ' ~ lead_scoring.sql_number(trigger['min_score'] | float) -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                'var score_triggers: trigger ' ~ name ~ ' needs min_score (a number) or band'
            ) }}
        {%- endif -%}
        {%- do triggers.append({'name': name, 'scorecard_id': card_id, 'condition': condition}) -%}
    {%- endfor -%}
    {{ return(triggers) }}
{% endmacro %}
