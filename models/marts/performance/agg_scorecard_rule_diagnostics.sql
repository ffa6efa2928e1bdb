-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per scorecard and rule: which rules earn their points. Over the
-- scorecard's backtest leads (fct_scorecard_backtest_leads, `in backtest`),
-- how many the rule applied to on their decision date (point in time,
-- int_lead_decision_contributions), their conversion rate against the
-- other leads', the lift over the scorecard's overall rate, the information
-- value of the split (applied or not; weights of evidence smoothed by 0.5
-- as the fit does), and the points a fit of this rule alone would give it:
-- the log odds ratio of applied against not applied, in points that double
-- the odds every var fit_points_to_double_odds (default 10).
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set pdo = var('fit_points_to_double_odds', 10) %}
{#- one literal row per rule; with none, one row that no join matches -#}
{%- set rule_rows = [] %}
{%- if execute %}
    {%- for rule in scorecard['rules'] %}
        {%- do rule_rows.append([
            lead_scoring.string_literal(rule['scorecard_id']),
            lead_scoring.string_literal(rule['rule_id']),
            lead_scoring.string_literal(rule['dimension']),
            lead_scoring.string_literal(rule['description']),
            'cast(' ~ lead_scoring.sql_number(rule['points']) ~ ' as double)',
        ]) %}
    {%- endfor %}
{%- endif %}
{%- if rule_rows | length == 0 %}
    {%- set text_null = 'cast(null as ' ~ dbt.type_string() ~ ')' %}
    {%- do rule_rows.append([text_null, text_null, text_null, text_null, 'cast(null as double)']) %}
{%- endif %}
with

backtest as (
    select * from {{ ref('fct_scorecard_backtest_leads') }}
    where backtest_status = 'in backtest'
),

contributions as (
    select * from {{ ref('int_lead_decision_contributions') }}
),

rules as (
    {{ lead_scoring.literal_relation(
        ['scorecard_id', 'rule_id', 'dimension', 'description', 'rule_points'], rule_rows
    ) }}
),

overall as (
    select
        scorecard_id,
        count(*) as lead_count,
        sum(case when is_converted then 1 else 0 end) as converted_count
    from backtest
    group by scorecard_id
),

applied as (
    select
        contributions.scorecard_id,
        contributions.rule_id,
        count(*) as lead_count,
        sum(case when backtest.is_converted then 1 else 0 end) as converted_count
    from contributions
    inner join backtest
        on
            contributions.lead_id = backtest.lead_id
            and contributions.scorecard_id = backtest.scorecard_id
    group by contributions.scorecard_id, contributions.rule_id
),

counts as (
    select
        rules.scorecard_id,
        rules.rule_id,
        rules.dimension,
        rules.description,
        rules.rule_points,
        cast(coalesce(applied.lead_count, 0) as {{ dbt.type_bigint() }})
            as applied_lead_count,
        cast(coalesce(applied.converted_count, 0) as {{ dbt.type_bigint() }})
            as applied_converted_count,
        cast(
            overall.lead_count - coalesce(applied.lead_count, 0)
            as {{ dbt.type_bigint() }}
        ) as other_lead_count,
        cast(
            overall.converted_count - coalesce(applied.converted_count, 0)
            as {{ dbt.type_bigint() }}
        ) as other_converted_count,
        cast(overall.lead_count as double) as total_count,
        cast(overall.converted_count as double) as total_converted
    from rules
    inner join overall
        on rules.scorecard_id = overall.scorecard_id
    left join applied
        on
            rules.scorecard_id = applied.scorecard_id
            and rules.rule_id = applied.rule_id
),

evidence as (
    -- smoothed weights of evidence of the two sides of the split
    select
        *,
        ln(
            ((applied_converted_count + 0.5) / (total_converted + 0.5))
            / (
                (applied_lead_count - applied_converted_count + 0.5)
                / (total_count - total_converted + 0.5)
            )
        ) as applied_woe,
        ln(
            ((other_converted_count + 0.5) / (total_converted + 0.5))
            / (
                (other_lead_count - other_converted_count + 0.5)
                / (total_count - total_converted + 0.5)
            )
        ) as other_woe
    from counts
),

final as (
    select
        scorecard_id,
        rule_id,
        dimension,
        description,
        rule_points,
        applied_lead_count,
        applied_converted_count,
        case
            when applied_lead_count > 0
                then cast(applied_converted_count as double) / applied_lead_count
        end as applied_conversion_rate,
        other_lead_count,
        other_converted_count,
        case
            when other_lead_count > 0
                then cast(other_converted_count as double) / other_lead_count
        end as other_conversion_rate,
        case
            when applied_lead_count > 0 and total_converted > 0
                then
                    (cast(applied_converted_count as double) / applied_lead_count)
                    / (total_converted / total_count)
        end as lift,
        case
            when total_converted > 0 and total_converted < total_count
                then
                    (
                        applied_converted_count / total_converted
                        - (applied_lead_count - applied_converted_count)
                        / (total_count - total_converted)
                    ) * applied_woe
                    + (
                        other_converted_count / total_converted
                        - (other_lead_count - other_converted_count)
                        / (total_count - total_converted)
                    ) * other_woe
        end as information_value,
        case
            when total_converted > 0 and total_converted < total_count
                then round(
                    {{ pdo }} / ln(2) * (applied_woe - other_woe), 0
                )
        end as fitted_points
    from evidence
)

select * from final
