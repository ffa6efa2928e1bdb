{% macro scorecard_rule_entries(scorecard, relation) %}
    {#-
        One row per lead, date and rule that applies to the lead, from
        `relation` (a relation or CTE with one row per lead and date holding
        lead_id, score_date and the CASE columns of scorecard_rule_columns:
        <key>__points, and for activity rules <key>__n and <key>__decay).
        Columns: lead_id, score_date, scorecard_id, rule_id, entry_type
        ('rule', the ledger's kind of entry), the rule's explanation
        (dimension, score_group, rule_source, description, rule_points),
        activity_count, decay_factor, points_before_cap, and the
        contribution after the rule's max_points cap (SCORING_SPEC 3.4: the
        absolute value capped, the sign kept).

        The wide row becomes one row per rule by a cross join with the rule
        list (literal rows; rule_index is the CASE column's number) and a
        CASE on rule_index: one scan of `relation` whatever the number of
        rules, where a union of one select per rule would scan it once per
        rule. The daily ledger (int_lead_rule_contributions) and the
        decision-date one (int_lead_decision_contributions) both read it.
    -#}
    {%- set rules = scorecard['rules'] -%}
    {%- set rows = [] -%}
    {%- for rule in rules -%}
        {%- do rows.append([
            loop.index,
            lead_scoring.string_literal(rule['scorecard_id']),
            lead_scoring.string_literal(rule['rule_id']),
            lead_scoring.string_literal(rule['dimension']),
            lead_scoring.string_literal(rule['score_group']),
            lead_scoring.string_literal(rule['source']),
            lead_scoring.string_literal(rule['description']),
            lead_scoring.sql_number(rule['points']),
            lead_scoring.sql_number(rule['max_points'])
        ]) -%}
    {%- endfor -%}
    {%- set activity_rules = rules | selectattr('source', 'equalto', 'activity') | list -%}
    select
        lead_id,
        score_date,
        scorecard_id,
        rule_id,
        'rule' as entry_type,
        dimension,
        score_group,
        rule_source,
        description,
        rule_points,
        activity_count,
        decay_factor,
        points_before_cap,
        case
            when max_points is not null and abs(points_before_cap) > max_points
                then sign(points_before_cap) * max_points
            else points_before_cap
        end as contribution
    from (
        select
            scored.lead_id,
            scored.score_date,
            rule_list.scorecard_id,
            rule_list.rule_id,
            rule_list.dimension,
            rule_list.score_group,
            rule_list.rule_source,
            rule_list.description,
            rule_list.rule_points,
            rule_list.max_points,
            case rule_list.rule_index
                {%- for rule in rules %}
                when {{ loop.index }} then scored.{{ rule['key'] }}__points
                {%- endfor %}
            end as points_before_cap,
            {%- if activity_rules | length > 0 %}
            case rule_list.rule_index
                {%- for rule in activity_rules %}
                when {{ rules.index(rule) + 1 }} then scored.{{ rule['key'] }}__n
                {%- endfor %}
            end as activity_count,
            case rule_list.rule_index
                {%- for rule in activity_rules %}
                when {{ rules.index(rule) + 1 }} then scored.{{ rule['key'] }}__decay
                {%- endfor %}
                else cast(1 as double)
            end as decay_factor
            {%- else %}
            cast(null as bigint) as activity_count,
            cast(1 as double) as decay_factor
            {%- endif %}
        from {{ relation }} as scored
        cross join (
            {{ lead_scoring.literal_relation(
                ['rule_index', 'scorecard_id', 'rule_id', 'dimension', 'score_group',
                 'rule_source', 'description', 'rule_points', 'max_points'], rows) }}
        ) as rule_list
    ) as unpivoted
    where points_before_cap is not null
{%- endmacro %}
