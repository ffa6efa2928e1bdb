-- sales_activities.parquet: sales touches in groups g: 3-7 per deal (g = d of
-- deals, 0 or 1) from three weeks before it opened until a week after it
-- closed, the first one (the key touch) a meeting held while the deal was open;
-- and 0-4 on any lead (g = 3), more with high intent. All after the lead's
-- creation. crm_kind is the CRM mess forced on the lead; it goes on the lead's
-- first touch outside deals (g = 3, k = 0). Junk rows (junk_lead_id), exact
-- duplicates (dup_kind 1) and copies at another time (2, another outcome for
-- calls).
WITH groups AS (
    SELECT lead_num, lead_id, loc, intent, c, d AS g, created_us, closed_us,
           3 + CAST(floor(5 * rnd(dk, 'act.n')) AS INT) AS n,
           greatest(c + 60 * {{ second_us }}, created_us - 21 * {{ day_us }}) AS lo_us,
           least(coalesce(closed_us, {{ last_us }}) + 7 * {{ day_us }}, {{ last_us }}) AS hi_us
    FROM deals WHERE d < 2
    UNION ALL
    SELECT lead_num, lead_id, loc, intent, created_us, 3, NULL, NULL,
           CASE WHEN starts_with(crm_forced(lead_num), 'act_')
                  OR rnd(lead_num, 'act.any') < 0.08 + 0.45 * intent
                THEN 1 + CAST(floor(4 * rnd(lead_num, 'act.other.n')) AS INT)
                ELSE 0 END,
           created_us + 60 * {{ second_us }}, {{ last_us }}
    FROM lead_plan
), touches AS (
    SELECT *,
        unnest(range(n)) AS k
    FROM groups
), decided AS (
    SELECT *,
        lead_num * 64 + g * 16 + k AS ak,
        g < 3 AND k = 0 AS key_touch,
        crm_forced(lead_num) AS crm_kind
    FROM touches
), typed AS (
    SELECT *,
        CASE WHEN key_touch THEN 'meeting'
             ELSE {{ activity_types }}[pick({{ activity_type_slots }}, rnd(ak, 'act.type'))]
        END AS type_clean,
        CASE WHEN key_touch
             -- the meeting of a deal is held while the deal is open
             THEN created_us + CAST(floor((coalesce(closed_us, {{ last_us }}) - created_us)
                                          * (0.05 + 0.85 * rnd(ak, 'act.t')) / {{ second_us }})
                                    AS BIGINT) * {{ second_us }}
             ELSE lo_us + CAST(floor(greatest(0, hi_us - lo_us) * rnd(ak, 'act.t')
                                     / {{ second_us }}) AS BIGINT) * {{ second_us }}
        END AS ts_us,
        rnd(ak, 'act.outcome') AS u_out,
        CASE WHEN g = 3 AND k = 0 AND crm_kind = 'act_lead_null' THEN 1
             WHEN g = 3 AND k = 0 AND crm_kind = 'act_lead_empty' THEN 2
             WHEN g = 3 AND k = 0 AND crm_kind = 'act_lead_x' THEN 3
             WHEN g = 3 AND k = 0 AND crm_kind = 'act_lead_range' THEN 4
             WHEN NOT key_touch AND rnd(ak, 'act.junk') < 0.003
             THEN 1 + CAST(floor(4 * rnd(ak, 'act.junk.kind')) AS INT) ELSE 0 END AS junk_kind,
        CASE WHEN g = 3 AND k = 0 AND crm_kind = 'act_dup_exact' THEN 1
             WHEN g = 3 AND k = 0 AND crm_kind = 'act_dup_changed' THEN 2
             WHEN NOT key_touch AND rnd(ak, 'act.dup') < 0.003 THEN 1
             WHEN NOT key_touch AND rnd(ak, 'act.dup') < 0.006 THEN 2
             ELSE 0 END AS dup_kind
    FROM decided
), outcomes AS (
    SELECT *,
        CASE type_clean
            WHEN 'call' THEN CASE WHEN u_out < 0.35 THEN 'connected'
                                  WHEN u_out < 0.75 THEN 'no_answer'
                                  ELSE 'voicemail' END
            WHEN 'email' THEN CASE WHEN u_out < 0.15 + 0.4 * intent THEN 'replied'
                                   ELSE '' END
            ELSE CASE WHEN key_touch OR u_out < 0.85 THEN 'held' ELSE 'no_show' END
        END AS outcome_clean,
        row_number() OVER (ORDER BY lead_num, ts_us, ak) AS act_no
    FROM typed
), copies AS (
    SELECT *, unnest(range(CASE WHEN dup_kind > 0 THEN 2 ELSE 1 END)) AS copy_no
    FROM outcomes
)
SELECT
    'ACT' || lpad(act_no::VARCHAR, 8, '0') AS activity_id,
    junk_lead_id(junk_kind, lead_id, rnd(ak, 'act.junk.n'), {{ n_leads }}) AS lead_id,
    CASE WHEN g = 3 AND k = 0 AND crm_kind = 'act_type_empty'
              OR (NOT key_touch AND rnd(ak, 'act.type.empty') < 0.002) THEN ''
         WHEN g = 3 AND k = 0 AND crm_kind = 'act_type_mess'
         THEN messy(type_clean, 0.5 * rnd(ak, 'act.type.mess.kind'))
         WHEN rnd(ak, 'act.type.mess') < 0.015
         THEN messy(type_clean, rnd(ak, 'act.type.mess.kind'))
         ELSE type_clean END AS activity_type,
    CASE WHEN dup_kind = 2 AND copy_no = 1 AND type_clean = 'call'
         THEN CASE WHEN outcome_clean = 'connected' THEN 'voicemail' ELSE 'connected' END
         WHEN outcome_clean = '' THEN ''
         WHEN g = 3 AND k = 0 AND crm_kind = 'act_outcome_mess'
         THEN messy(outcome_clean, 0.5 * rnd(ak, 'act.out.mess.kind'))
         WHEN rnd(ak, 'act.out.mess') < 0.01
         THEN messy(outcome_clean, rnd(ak, 'act.out.mess.kind'))
         ELSE outcome_clean END AS outcome,
    CASE WHEN rnd(ak, 'act.owner.other') < 0.15 THEN rep_id(rnd(ak, 'act.owner'))
         ELSE rep_id(rnd(lead_num, 'act.owner')) END AS owner_id,
    fmt_ts(ts_us + CASE WHEN dup_kind = 2 AND copy_no = 1
                        THEN (60 + CAST(floor(3600 * rnd(ak, 'act.dup.shift'))
                                        AS BIGINT)) * {{ second_us }}
                        ELSE 0 END,
           coalesce(CASE WHEN g = 3 AND k = 0
                         THEN ts_force_u(forced_arg(crm_kind, 'act_ts')) END,
                    CASE WHEN key_touch THEN ok_u(rnd(ak, 'act.fmt'))
                         ELSE rnd(ak, 'act.fmt') END),
           loc_tz_min(loc), loc_tz_txt(loc)) AS occurred_at
FROM copies
ORDER BY act_no, copy_no
