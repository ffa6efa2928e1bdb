{% macro score_bound_violations(scores) %}
    {#-
        The rows of `scores` (a relation with lead_id, scorecard_id,
        fit_score, engagement_score) whose fit or engagement score lies
        outside what the scorecard allows (int_scorecard_score_bounds), or
        whose scorecard has no bounds. Scores are rounded to 2 decimals, so
        a bound is missed only by more than half a cent.
    -#}
    select
        scores.lead_id,
        scores.scorecard_id,
        scores.fit_score,
        scores.engagement_score,
        bounds.min_fit_score,
        bounds.max_fit_score,
        bounds.min_engagement_score,
        bounds.max_engagement_score
    from {{ scores }} as scores
    left join {{ ref('int_scorecard_score_bounds') }} as bounds
        on scores.scorecard_id = bounds.scorecard_id
    where
        bounds.scorecard_id is null
        or scores.fit_score < bounds.min_fit_score - 0.005
        or scores.fit_score > bounds.max_fit_score + 0.005
        or scores.engagement_score < bounds.min_engagement_score - 0.005
        or scores.engagement_score > bounds.max_engagement_score + 0.005
{% endmacro %}
