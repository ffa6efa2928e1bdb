{{ config(
    meta={
        'audit': 'band shares near the last publication',
        'fix': 'a scorecard or a raw export moved many leads at once; if intended (a new'
            ~ ' scorecard), rerun with a larger --max-band-shift',
    },
    tags=['audit'],
    store_failures=true,
    store_failures_as='view',
) }}
-- Each band's share of a scorecard's leads (agg_lead_score_bands) within
-- var max_band_shift of the last publication's, which the orchestrator
-- passes as var previous_band_shares (with previous_publication_id). A bad
-- scorecard or bad data moves many leads at once; a daily run moves a few.
-- Without a previous publication (a plain `dbt build`), nothing to compare.
{{ lead_scoring.band_shift_violations(
    ref('agg_lead_score_bands'),
    lead_scoring.run_var('previous_band_shares', []),
    lead_scoring.run_var('max_band_shift', 0.15) | float,
    lead_scoring.run_var('previous_publication_id', 0),
) }}
