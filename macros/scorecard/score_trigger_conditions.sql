{% macro score_trigger_conditions(scorecard) %}
    {#-
        The triggers of the var `score_triggers` as a list of
        {name, scorecard_id, condition}: `condition` is SQL true when a
        history row (total_score, band_rank) is at or above the trigger's
        threshold: `min_score` N, or `band` B (that band or a higher one).
        A trigger whose scorecard or band is not in the scorecard files is
        skipped with a warning (the scorecards may have been replaced); a
        trigger without a name or a threshold stops the build.
    -#}
    {%- set triggers = [] -%}
    {%- for trigger in var('score_triggers', []) or [] -%}
        {%- set name = trigger.get('name') -%}
        {%- set card_id = trigger.get('scorecard_id') -%}
        {%- set cards = [] -%}
        {%- for card in scorecard['scorecards'] if card['scorecard_id'] == card_id -%}
            {%- do cards.append(card) -%}
        {%- endfor -%}
        {%- if not name -%}
            {{ exceptions.raise_compiler_error('var score_triggers: every trigger needs a name') }}
        {%- endif -%}
        {%- set names = [] -%}
        {%- for band in (cards[0]['bands'] if cards else []) -%}
            {%- do names.append(band['name'] | lower) -%}
        {%- endfor -%}
        {%- if cards | length == 0 -%}
            {%- do exceptions.warn(
                'var score_triggers: trigger ' ~ name ~ ' skipped: no scorecard ' ~ card_id
            ) -%}
        {%- elif trigger.get('band') is not none and (trigger['band'] | lower) not in names -%}
            {%- do exceptions.warn(
                'var score_triggers: trigger ' ~ name ~ ' skipped: scorecard ' ~ card_id
                ~ ' has no band ' ~ trigger['band'] ~ ' (bands: ' ~ names | join(', ') ~ ')'
            ) -%}
        {%- elif trigger.get('band') is not none -%}
            {%- set condition = 'band_rank >= ' ~ (names.index(trigger['band'] | lower) + 1) -%}
            {%- do triggers.append({'name': name, 'scorecard_id': card_id, 'condition': condition}) -%}
        {%- elif lead_scoring.is_number_text(trigger.get('min_score') | string) -%}
            {%- set condition = 'total_score >= ' ~ lead_scoring.sql_number(trigger['min_score'] | float) -%}
            {%- do triggers.append({'name': name, 'scorecard_id': card_id, 'condition': condition}) -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                'var score_triggers: trigger ' ~ name ~ ' needs min_score (a number) or band'
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(triggers) }}
{% endmacro %}
