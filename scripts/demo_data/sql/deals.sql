-- The table deals: one row per deal (opportunity) with its true dates; the
-- versions are drawn in opportunities.sql. d = 0: the lead's main deal, won for
-- every converted lead (created between the lead's creation and its
-- conversion, closed at converted_at), else lost or open for some leads, more
-- often with high intent and fit; d = 1: an earlier lost deal of some leads
-- with a main deal; d = 2: a junk deal (junk_kind 1-4: a broken lead_id, 5: no
-- opportunity_id).
CREATE TABLE deals AS
WITH leads AS (
    SELECT lead_num, lead_id, intent, fit, loc, created_us AS c, converted,
           converted_us, emp_last, co0 >= {{ n_companies }} AS competitor,
           crm_forced(lead_num) AS crm_kind,
           crm_kind IN ('opp_lost', 'opp_created_bad', 'opp_updated_bad', 'opp_closed_bad',
                        'opp_closed_before_created') AS needs_lost,
           crm_kind = 'opp_open' AS needs_open,
           -- any kind of deal mess but a junk deal
           crm_kind IN ('opp_lost', 'opp_created_bad', 'opp_updated_bad', 'opp_closed_bad',
                        'opp_closed_before_created', 'opp_open', 'opp_stage_mess',
                        'opp_amount_na', 'opp_currency_mess', 'opp_bool_spelling',
                        'opp_offset', 'opp_zulu', 'opp_updated_empty') AS forced_deal,
           CASE WHEN crm_kind = 'opp_id_missing' THEN 5
                ELSE junk_kind(crm_kind, 'opp', rnd(lead_num, 'opp.junk'),
                               rnd(lead_num, 'opp.junk.kind'), 0.003) END AS junk_kind
    FROM lead_plan
), decided AS (
    SELECT *,
        converted OR forced_deal
            OR rnd(lead_num, 'opp') < 0.005 + 0.25 * intent + 0.08 * fit AS has_deal,
        CASE WHEN converted THEN 'won'
             WHEN needs_lost THEN 'lost'
             WHEN needs_open THEN 'open'
             WHEN rnd(lead_num, 'opp.state') < 0.6 THEN 'lost'
             ELSE 'open' END AS state0,
        rnd(lead_num, 'opp.created') AS u_created,
        rnd(lead_num, 'opp.closed') AS u_closed
    FROM leads
), timed AS (
    SELECT *,
        c + CAST(floor(CASE state0
            WHEN 'won' THEN (converted_us - c) * (0.15 + 0.7 * u_created)
            WHEN 'lost' THEN ({{ last_us }} - c) * (0.05 + 0.6 * u_created)
            ELSE ({{ last_us }} - c) * (0.55 + 0.4 * u_created) END / {{ second_us }}) AS BIGINT)
          * {{ second_us }} AS created0
    FROM decided
), all_deals AS (
    SELECT lead_num, lead_id, intent, loc, c, emp_last, needs_lost, converted,
           0 AS d, 0 AS junk_kind, state0 AS state, created0 AS created_us,
           CASE state0
               WHEN 'won' THEN converted_us
               WHEN 'lost' THEN created0 + CAST(floor(({{ last_us }} - created0)
                                                      * (0.1 + 0.5 * u_closed)
                                                      / {{ second_us }}) AS BIGINT)
                               * {{ second_us }}
           END AS closed_us
    FROM timed WHERE has_deal
    UNION ALL
    SELECT lead_num, lead_id, intent, loc, c, emp_last, needs_lost, converted,
           1 AS d, 0 AS junk_kind, 'lost' AS state,
           c + CAST(floor((created0 - c) * (0.05 + 0.3 * rnd(lead_num, 'opp.prev.c'))
                          / {{ second_us }}) AS BIGINT) * {{ second_us }} AS created_us,
           c + CAST(floor((created0 - c) * (0.4 + 0.55 * rnd(lead_num, 'opp.prev.x'))
                          / {{ second_us }}) AS BIGINT) * {{ second_us }} AS closed_us
    FROM timed
    WHERE has_deal AND (rnd(lead_num, 'opp.prev') < 0.08 OR (converted AND needs_lost))
    UNION ALL
    SELECT lead_num, lead_id, intent, loc, c, emp_last, FALSE, converted,
           2 AS d, junk_kind,
           CASE WHEN junk_kind < 5 AND rnd(lead_num, 'opp.junk.state') < 0.3 THEN 'won'
                WHEN rnd(lead_num, 'opp.junk.state') < 0.7 THEN 'lost'
                ELSE 'open' END AS state,
           c + CAST(floor(({{ last_us }} - c) * (0.1 + 0.6 * u_created) / {{ second_us }})
                    AS BIGINT)
             * {{ second_us }} AS created_us,
           NULL AS closed_us
    FROM timed WHERE junk_kind > 0
)
SELECT *,
    lead_num * 4 + d AS dk,
    row_number() OVER (ORDER BY lead_num, d) AS deal_no,
    CASE WHEN state <> 'open' THEN pick([1, 2, 2, 3, 3], rnd(lead_num * 4 + d, 'opp.nv'))
         ELSE pick([1, 1, 2, 3], rnd(lead_num * 4 + d, 'opp.nv')) END AS nv,
    -- deal size in USD: log-normal, larger for larger companies, 5k..150k
    least({{ deal_usd_max }}, greatest({{ deal_usd_min }},
          22000 * exp(0.75 * normal(lead_num * 4 + d, 'opp.amount'))
          * CASE WHEN emp_last > 500 THEN 1.6 WHEN emp_last < 50 THEN 0.6 ELSE 1 END))
        AS usd,
    -- the lost deal of a forced lead is d = 1 when its main deal was won
    needs_lost AND d = CASE WHEN converted THEN 1 ELSE 0 END AS forced_lost_deal
FROM (
    SELECT * REPLACE (
        CASE WHEN d = 2 AND state <> 'open'
             THEN created_us + CAST(floor(({{ last_us }} - created_us)
                                          * (0.1 + 0.5 * rnd(lead_num, 'opp.junk.x'))
                                          / {{ second_us }}) AS BIGINT) * {{ second_us }}
             ELSE closed_us END AS closed_us)
    FROM all_deals
)
ORDER BY lead_num, d;
