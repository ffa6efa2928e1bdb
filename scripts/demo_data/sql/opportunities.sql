-- opportunities.parquet: one row per version of every deal (a change feed),
-- ordered by lead and deal: the stage advances through the open stages and
-- ends closed_won / closed_lost; the amount drifts and is often empty at
-- first. crm_kind is the CRM mess forced on the lead; row mess goes on the
-- first version of its main deal (d = 0), or on its forced lost deal.
WITH versions AS (
    SELECT *, crm_forced(lead_num) AS crm_kind, unnest(range(nv)) AS v
    FROM deals
), rows AS (
    SELECT *,
        dk * 4 + v AS rk,
        v = nv - 1 AS is_final,
        state <> 'open' AS closed,
        CAST(floor(rnd(dk, 'opp.stage') * CASE WHEN state <> 'open' THEN 5 - nv
                                               ELSE 4 - nv END) AS INT) AS stage_start
    FROM versions
), dated AS (
    SELECT *,
        CASE WHEN is_final AND closed
             THEN least({{ last_us }}, greatest(closed_us, created_us)
                        + CAST(floor(600 * rnd(rk, 'opp.upd')) AS BIGINT) * {{ second_us }})
             WHEN v = 0 THEN created_us
             ELSE created_us + CAST(floor((coalesce(closed_us, {{ last_us }}) - created_us)
                                          * (v + 0.9 * rnd(rk, 'opp.upd'))
                                          / CASE WHEN closed THEN nv - 1 ELSE nv END
                                          / {{ second_us }}) AS BIGINT) * {{ second_us }}
        END AS updated_us,
        CASE WHEN is_final AND state = 'won' THEN 'closed_won'
             WHEN is_final AND state = 'lost' THEN 'closed_lost'
             ELSE {{ open_stages }}[v + stage_start + 1] END AS stage_clean,
        -- odd data seen in real exports: a deal closed before it was created
        is_final AND state = 'lost'
            AND (forced_lost_deal AND crm_kind = 'opp_closed_before_created'
                 OR rnd(dk, 'opp.swap') < 0.004) AS closed_early,
        loc_currency(loc) AS currency_clean,
        CASE WHEN d = 0 AND crm_kind = 'opp_offset' THEN ts_force_u('offset')
             WHEN d = 0 AND crm_kind = 'opp_zulu' THEN ts_force_u('zulu')
             ELSE NULL END AS u_forced
    FROM rows
)
SELECT
    CASE WHEN junk_kind = 5 THEN '' ELSE 'OPP' || lpad(deal_no::VARCHAR, 7, '0') END
        AS opportunity_id,
    junk_lead_id(junk_kind, lead_id, rnd(dk, 'opp.junk.n'), {{ n_leads }}) AS lead_id,
    CASE WHEN d = 0 AND v = 0 AND crm_kind = 'opp_stage_mess'
         THEN messy(stage_clean, 0.5 * rnd(rk, 'opp.stage.mess.kind'))
         WHEN rnd(rk, 'opp.stage.mess') < 0.015
         THEN messy(stage_clean, rnd(rk, 'opp.stage.mess.kind'))
         ELSE stage_clean END AS stage,
    CASE WHEN d = 0 AND is_final AND crm_kind = 'opp_amount_na' THEN 'n/a'
         WHEN rnd(rk, 'opp.amount.na') < 0.004 THEN 'n/a'
         WHEN v = 0 AND NOT is_final AND rnd(rk, 'opp.amount.blank') < 0.35 THEN ''
         ELSE local_amount(least({{ deal_usd_max }}, greatest({{ deal_usd_min }}, usd * CASE
             WHEN is_final AND state = 'won' THEN 0.85 + 0.15 * rnd(dk, 'opp.discount')
             WHEN v > 0 THEN 0.95 + 0.1 * rnd(rk, 'opp.drift')
             ELSE 1 END)), currency_clean) END AS amount,
    CASE WHEN d = 0 AND v = 0 AND crm_kind = 'opp_currency_mess'
         THEN messy(lower(currency_clean), 0.5 * rnd(rk, 'opp.cur.mess.kind'))
         WHEN rnd(rk, 'opp.cur.mess') < 0.005
         THEN messy(lower(currency_clean), rnd(rk, 'opp.cur.mess.kind'))
         ELSE currency_clean END AS currency,
    CASE WHEN v = 0 AND forced_lost_deal AND crm_kind = 'opp_created_bad' THEN 'not a date'
         ELSE fmt_ts(created_us, coalesce(u_forced, rnd(rk, 'opp.created.fmt')),
                     loc_tz_min(loc), loc_tz_txt(loc)) END AS created_at,
    CASE WHEN NOT (is_final AND closed) THEN ''
         WHEN forced_lost_deal AND crm_kind = 'opp_closed_bad'
         THEN fmt_ts(closed_us, ts_force_u('day_first'), 0, '')
         WHEN closed_early
         THEN fmt_ts(created_us - (1 + CAST(floor(20 * rnd(dk, 'opp.swap.days'))
                                            AS BIGINT)) * {{ day_us }},
                     coalesce(u_forced, ok_u(rnd(rk, 'opp.closed.fmt'))),
                     loc_tz_min(loc), loc_tz_txt(loc))
         ELSE fmt_ts(closed_us,
                     coalesce(u_forced,
                              CASE WHEN state = 'won'
                                   THEN ok_u(rnd(rk, 'opp.closed.fmt'))
                                   ELSE rnd(rk, 'opp.closed.fmt') END),
                     loc_tz_min(loc), loc_tz_txt(loc)) END AS closed_at,
    bool_txt(is_final AND state = 'won',
             CASE WHEN d = 0 AND v = 0 AND crm_kind = 'opp_bool_spelling' THEN 0.99
                  ELSE rnd(rk, 'opp.won.txt') END) AS is_won,
    bool_txt(is_final AND closed,
             CASE WHEN d = 0 AND v = 0 AND crm_kind = 'opp_bool_spelling' THEN 0.995
                  ELSE rnd(rk, 'opp.closed.txt') END) AS is_closed,
    CASE WHEN v = 0 AND (d = 0 AND v = 0 AND crm_kind = 'opp_updated_empty'
                         OR rnd(rk, 'opp.upd.empty') < 0.03) THEN ''
         WHEN is_final AND forced_lost_deal AND crm_kind = 'opp_updated_bad'
         THEN fmt_ts(updated_us, ts_force_u('feb_30'), 0, '')
         ELSE fmt_ts(updated_us,
                     coalesce(u_forced,
                              CASE WHEN state = 'won' THEN ok_u(rnd(rk, 'opp.upd.fmt'))
                                   ELSE no_empty_u(rnd(rk, 'opp.upd.fmt')) END),
                     loc_tz_min(loc), loc_tz_txt(loc)) END AS updated_at
FROM dated
ORDER BY lead_num, d, v
