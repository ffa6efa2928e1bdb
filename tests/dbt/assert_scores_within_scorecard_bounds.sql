-- No published score lies outside what its scorecard allows: fit and
-- engagement between the lowest and highest sums its rules and group caps
-- can give (int_scorecard_score_bounds). Returns the scores outside.
{{ lead_scoring.score_bound_violations(ref('fct_lead_scores')) }}
