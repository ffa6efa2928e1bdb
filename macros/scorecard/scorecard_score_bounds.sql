{% macro scorecard_score_bounds(scorecard) %}
    {#-
        The lowest and highest fit and engagement scores each scorecard can
        give, worked out from its rules and group caps (SCORING_SPEC 3), as
        literal rows (literal_relation): scorecard_id, min_fit_score,
        max_fit_score, min_engagement_score, max_engagement_score (null: no
        bound on that side, e.g. an `each` rule without max_count or
        max_points). Manual adjustments come on top and are not bounded.

        A rule contributes 0 or, on the side of the sign of its points, at
        most |points| (lead rules, `once`: decay is at most 1) or
        max_count * |points| (`each`), capped by max_points. A group is the
        sum of its rules clamped to [min_points, max_points].
    -#}
    {%- set selects = [] -%}
    {%- for card in scorecard['scorecards'] -%}
        {%- set dimensions = {'fit': {'low': 0.0, 'high': 0.0}, 'engagement': {'low': 0.0, 'high': 0.0}} -%}
        {%- for group in card['groups'] -%}
            {%- set sums = {'low': 0.0, 'high': 0.0} -%}
            {%- for rule in card['rules'] if rule['score_group'] == group['score_group'] -%}
                {%- set points = rule['points'] | float -%}
                {%- set limits = [] -%}
                {%- if rule['source'] == 'activity' and rule['frequency'] == 'each' -%}
                    {%- if rule['max_count'] is not none -%}
                        {%- do limits.append((points | abs) * rule['max_count']) -%}
                    {%- endif -%}
                {%- else -%}
                    {%- do limits.append(points | abs) -%}
                {%- endif -%}
                {%- if rule['max_points'] is not none -%}
                    {%- do limits.append(rule['max_points'] | float) -%}
                {%- endif -%}
                {%- set magnitude = (limits | min) if limits else none -%}
                {%- set side = 'high' if points > 0 else ('low' if points < 0 else none) -%}
                {%- if side is not none -%}
                    {%- if magnitude is none or sums[side] is none -%}
                        {%- do sums.update({side: none}) -%}
                    {%- else -%}
                        {%- do sums.update({side: sums[side] + (magnitude if side == 'high' else -magnitude)}) -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endfor -%}
            {#- clamp: none on the low side is -infinity, on the high side +infinity -#}
            {%- set low = sums['low'] -%}
            {%- set high = sums['high'] -%}
            {%- if group['min_points'] is not none -%}
                {%- set low = group['min_points'] if low is none else ([low, group['min_points']] | max) -%}
                {%- set high = none if high is none else ([high, group['min_points']] | max) -%}
            {%- endif -%}
            {%- if group['max_points'] is not none -%}
                {%- set high = group['max_points'] if high is none else ([high, group['max_points']] | min) -%}
                {%- set low = none if low is none else ([low, group['max_points']] | min) -%}
            {%- endif -%}
            {%- set total = dimensions[group['dimension']] -%}
            {%- do total.update({
                'low': none if (low is none or total['low'] is none) else total['low'] + low,
                'high': none if (high is none or total['high'] is none) else total['high'] + high
            }) -%}
        {%- endfor -%}
        {%- do selects.append([
            lead_scoring.string_literal(card['scorecard_id']),
            lead_scoring.sql_number(dimensions['fit']['low']),
            lead_scoring.sql_number(dimensions['fit']['high']),
            lead_scoring.sql_number(dimensions['engagement']['low']),
            lead_scoring.sql_number(dimensions['engagement']['high'])
        ]) -%}
    {%- endfor -%}
    {{ return(lead_scoring.literal_relation(
        ['scorecard_id', 'min_fit_score', 'max_fit_score', 'min_engagement_score',
         'max_engagement_score'], selects)) }}
{% endmacro %}
