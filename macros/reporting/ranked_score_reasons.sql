{% macro ranked_score_reasons(contributions) %}
    {#-
        The reasons behind each score, ranked: the rule entries of a ledger
        (fct_lead_score_contributions or a slice of it) that moved the score,
        numbered per lead and scorecard by the size of their contribution
        (ties by rule_id). The one definition of "top reasons" that the CRM
        sync and the reports share.

        Arguments:
            contributions: a relation or CTE name with lead_id, scorecard_id,
                rule_id, entry_type, description and contribution.

        Example:
            select * from ({{ lead_scoring.ranked_score_reasons('ledger') }}) as r
            where reason_rank <= 3
    -#}
    select
        lead_id,
        scorecard_id,
        rule_id,
        description,
        contribution,
        row_number() over (
            partition by lead_id, scorecard_id
            order by abs(contribution) desc, rule_id
        ) as reason_rank
    from {{ contributions }}
    where entry_type = 'rule' and contribution <> 0
{% endmacro %}
