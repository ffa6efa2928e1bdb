-- consents.parquet: consent events. Slot 0: marketing granted within a minute
-- of the lead's creation for most leads (more often in emea); slot 1:
-- marketing withdrawn at every unsubscribe (the table unsubscribes, with the
-- true times); slot 2: a re-grant at least a day after the last unsubscribe
-- for about 20% of those leads (at least one); slots 3-4: analytics granted,
-- sometimes withdrawn; slot 5: junk rows with a broken lead_id. crm_kind is the
-- CRM mess forced on the lead; it goes on its slot-0 row.
WITH leads AS (
    SELECT lead_num, lead_id, loc, created_us AS c,
           crm_forced(lead_num) AS crm_kind,
           junk_kind(crm_kind, 'con', rnd(lead_num, 'con.junk'),
                     rnd(lead_num, 'con.junk.kind'), 0.003) AS junk_kind
    FROM lead_plan
), last_unsubscribe AS (
    SELECT lead_num, max(ts_us) AS last_us FROM unsubscribes GROUP BY lead_num
), regrant_candidates AS (
    SELECT * FROM last_unsubscribe WHERE last_us + 2 * {{ day_us }} < {{ last_us }}
), regrants AS (
    SELECT lead_num,
        last_us + {{ day_us }} + CAST(floor(({{ last_us }} - last_us - {{ day_us }})
                                        * 0.8 * rnd(lead_num, 'con.regrant.t')
                                        / {{ second_us }}) AS BIGINT) * {{ second_us }} AS ts_us
    FROM regrant_candidates
    WHERE rnd(lead_num, 'con.regrant') < 0.2
       OR lead_num = (SELECT lead_num FROM regrant_candidates
                      ORDER BY rnd(lead_num, 'con.regrant.force'), lead_num LIMIT 1)
), analytics AS (
    SELECT * FROM leads WHERE rnd(lead_num, 'con.analytics') < 0.2
), rows AS (
    -- slot 0: marketing granted when the lead was created (before any event)
    SELECT lead_num, 0 AS slot, 0 AS j, 'marketing' AS purpose, 'granted' AS status,
           c + CAST(floor(59 * rnd(lead_num, 'con.t0')) AS BIGINT) * {{ second_us }} AS ts_us
    FROM leads
    WHERE starts_with(crm_kind, 'con_')
       OR rnd(lead_num, 'con.marketing') < CASE WHEN loc_market(loc) = 'emea'
                                                THEN 0.92 ELSE 0.65 END
    UNION ALL
    -- slot 1: marketing withdrawn at every unsubscribe
    SELECT lead_num, 1, row_number() OVER (PARTITION BY lead_num ORDER BY ts_us, e),
           'marketing', 'withdrawn', ts_us
    FROM unsubscribes
    UNION ALL
    SELECT lead_num, 2, 0, 'marketing', 'granted', ts_us FROM regrants
    UNION ALL
    SELECT lead_num, 3, 0, 'analytics', 'granted',
           c + CAST(floor(300 * rnd(lead_num, 'con.analytics.t')) AS BIGINT) * {{ second_us }}
    FROM analytics
    UNION ALL
    SELECT lead_num, 4, 0, 'analytics', 'withdrawn',
           c + CAST(floor(({{ last_us }} - c) * (0.2 + 0.7 * rnd(lead_num, 'con.an.w.t'))
                          / {{ second_us }}) AS BIGINT) * {{ second_us }}
    FROM analytics WHERE rnd(lead_num, 'con.analytics.withdrawn') < 0.15
    UNION ALL
    -- slot 5: junk rows (broken lead_id)
    SELECT lead_num, 5, 0, 'marketing', 'granted',
           c + CAST(floor(({{ last_us }} - c) * rnd(lead_num, 'con.junk.t') / {{ second_us }})
                     AS BIGINT) * {{ second_us }}
    FROM leads WHERE junk_kind > 0
), joined AS (
    SELECT r.*, l.lead_id, l.loc, l.crm_kind, l.junk_kind,
           rnd2(r.lead_num, r.slot * 1000000 + r.j, 'con.row') AS u_row
    FROM rows r JOIN leads l USING (lead_num)
)
SELECT
    CASE WHEN slot = 5
         THEN junk_lead_id(junk_kind, lead_id, rnd(lead_num, 'con.junk.n'), {{ n_leads }})
         ELSE lead_id END AS lead_id,
    CASE WHEN slot = 0 AND crm_kind = 'con_purpose_mess'
         THEN messy(purpose, 0.5 * rnd(lead_num, 'con.purpose.mess.kind'))
         WHEN u_row < 0.01
         THEN messy(purpose, rnd2(lead_num, slot * 1000000 + j, 'con.purpose.kind'))
         ELSE purpose END AS purpose,
    CASE WHEN slot = 0 AND (crm_kind = 'con_status_maybe'
                      OR rnd(lead_num, 'con.maybe') < 0.003) THEN 'maybe'
         WHEN slot = 0 AND crm_kind = 'con_status_mess'
         THEN messy(status, 0.5 + 0.3 * rnd(lead_num, 'con.status.mess.kind'))
         WHEN u_row > 0.985
         THEN messy(status, rnd2(lead_num, slot * 1000000 + j, 'con.status.kind'))
         ELSE status END AS status,
    fmt_ts(ts_us,
           coalesce(CASE WHEN slot = 0 THEN ts_force_u(forced_arg(crm_kind, 'con_ts')) END,
                    -- withdrawals and re-grants always carry a usable time
                    CASE WHEN slot IN (1, 2)
                         THEN ok_u(rnd2(lead_num, slot * 1000000 + j, 'con.fmt'))
                         ELSE rnd2(lead_num, slot * 1000000 + j, 'con.fmt') END),
           loc_tz_min(loc), loc_tz_txt(loc)) AS recorded_at
FROM joined
ORDER BY lead_num, ts_us, slot, j
