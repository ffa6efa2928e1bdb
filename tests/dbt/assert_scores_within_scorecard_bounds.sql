{{ config(
    meta={
        'audit': 'scores inside what the scorecard allows',
        'fix': 'a score outside the sums its rules and group caps can give: check the'
            ~ ' scorecard (caps, points) and the ledger of the leads named',
    },
    tags=['audit'],
    store_failures=true,
    store_failures_as='view',
) }}
-- No published score lies outside what its scorecard allows: fit and
-- engagement between the lowest and highest sums its rules and group caps
-- can give (int_scorecard_score_bounds). Returns the scores outside.
with

violations as (
    {{ lead_scoring.score_bound_violations(ref('fct_lead_scores')) }}
),

final as (
    select
        *,
        'lead ' || lead_id || ', scorecard ' || scorecard_id || ': fit '
        || cast(fit_score as {{ dbt.type_string() }}) || ', engagement '
        || cast(engagement_score as {{ dbt.type_string() }})
        || ' (int_scorecard_score_bounds has the bounds)' as detail
    from violations
)

select * from final
