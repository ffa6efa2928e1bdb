{% macro band_shift_violations(current_bands, previous_shares, tolerance, publication_id) %}
    {#-
        The bands whose share of a scorecard's leads moved by more than
        `tolerance` since the last publication, one row each with a detail a
        user can act on. A band missing on one side counts as 0; scorecards
        new since the last publication are not compared. With no previous
        shares (nothing published yet), no rows.

        Arguments:
            current_bands: a relation with scorecard_id, band, lead_share
                (agg_lead_score_bands of this build).
            previous_shares: a list of {scorecard_id, band, lead_share} of the
                last publication (the orchestrator passes it as a var).
            tolerance: the largest allowed move, a share (0.15 = 15 points).
            publication_id: the last publication's number, for the message.

        Example:
            {{ lead_scoring.band_shift_violations(ref('agg_lead_score_bands'),
               lead_scoring.run_var('previous_band_shares', []), 0.15, 7) }}
    -#}
{%- if previous_shares | length == 0 %}
    select
        cast(null as {{ dbt.type_string() }}) as scorecard_id,
        cast(null as {{ dbt.type_string() }}) as band,
        cast(null as {{ dbt.type_string() }}) as detail
    where 1 = 0
{%- else %}
    {%- set rows = [] %}
    {%- for share in previous_shares %}
        {%- do rows.append([
            lead_scoring.string_literal(share['scorecard_id']),
            lead_scoring.string_literal(share['band']),
            'cast(' ~ (share['lead_share'] | float) ~ ' as double)'
        ]) %}
    {%- endfor %}
    with

    previous as (
        {{ lead_scoring.literal_relation(['scorecard_id', 'band', 'lead_share'], rows) }}
    ),

    current_bands as (
        select scorecard_id, band, cast(lead_share as double) as lead_share
        from {{ current_bands }}
    ),

    compared_scorecards as (
        select distinct previous.scorecard_id
        from previous
        inner join current_bands
            on previous.scorecard_id = current_bands.scorecard_id
    ),

    bands as (
        select scorecard_id, band from previous
        union
        select scorecard_id, band from current_bands
    ),

    shifts as (
        select
            bands.scorecard_id,
            bands.band,
            coalesce(previous.lead_share, 0) as previous_share,
            coalesce(current_bands.lead_share, 0) as current_share
        from bands
        inner join compared_scorecards
            on bands.scorecard_id = compared_scorecards.scorecard_id
        left join previous
            on bands.scorecard_id = previous.scorecard_id
            and bands.band = previous.band
        left join current_bands
            on bands.scorecard_id = current_bands.scorecard_id
            and bands.band = current_bands.band
    )

    select
        scorecard_id,
        band,
        'scorecard ' || scorecard_id || ', band ' || band || ': '
        || cast(round(previous_share * 100, 1) as {{ dbt.type_string() }})
        || '% of leads in publication {{ publication_id }}, '
        || cast(round(current_share * 100, 1) as {{ dbt.type_string() }})
        || '% now (tolerance {{ (tolerance * 100) | round(1) }} points; intended? rerun'
        || ' with a larger --max-band-shift)' as detail
    from shifts
    where abs(current_share - previous_share) > {{ tolerance }} + 1e-12
{%- endif %}
{% endmacro %}
