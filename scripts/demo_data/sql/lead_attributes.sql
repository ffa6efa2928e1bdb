-- lead_attributes.parquet: custom CRM properties (attribute 0-3 of
-- attribute_names), 1-3 versions each: slot = attribute * 3 + version; slot 12
-- is a junk row without lead_id. Forced timestamp mess goes on version 0 of
-- newsletter_opt_in (slot 9); every lead with forced mess has every attribute.
WITH slots AS (
    SELECT lead_num, lead_id, forced, intent, created_us, loc,
        CASE WHEN forced = 'attr_junk_null' THEN 1
             WHEN forced = 'attr_junk_empty' THEN 2
             WHEN rnd(lead_num, 'attr.junk') < 0.004
             THEN 1 + CAST(rnd(lead_num, 'attr.junk.kind') < 0.5 AS INT)
             ELSE 0 END AS junk_kind,
        unnest(range(13)) AS slot
    FROM lead_plan
), rows AS (
    SELECT *,
        lead_num * 16 + slot AS ak,
        CASE WHEN slot = 12 THEN 0 ELSE slot // 3 END AS attr,
        CASE WHEN slot = 12 THEN 0 ELSE slot % 3 END AS ver,
        pick([1, 1, 2, 2, 3], rnd2(lead_num, CASE WHEN slot = 12 THEN 0
                                                  ELSE slot // 3 END, 'attr.nv')) AS nv,
        forced <> ''
        OR rnd2(lead_num, CASE WHEN slot = 12 THEN 0 ELSE slot // 3 END, 'attr.present')
           < {{ attribute_presence }}[CASE WHEN slot = 12 THEN 0 ELSE slot // 3 END + 1]
            AS present
    FROM slots
), kept AS (
    SELECT *,
        -- final stage 0..2 of the progressive attributes, driven by intent
        CASE WHEN rnd(lead_num, 'budget') < 0.1 + 0.6 * intent THEN 2
             WHEN rnd(lead_num, 'budget') < 0.45 + 0.3 * intent THEN 1
             ELSE 0 END AS budget_final,
        CASE WHEN rnd(lead_num, 'trial') < 0.05 + 0.5 * intent
             THEN 1 + CAST(rnd(lead_num, 'trial.expired') < 0.4 AS INT)
             ELSE 0 END AS trial_final
    FROM rows
    WHERE present AND ver < nv AND (slot < 12 OR junk_kind > 0)
)
SELECT
    CASE WHEN slot < 12 THEN lead_id WHEN junk_kind = 2 THEN '' END AS lead_id,
    {{ attribute_names }}[attr + 1] AS attribute_name,
    CASE WHEN rnd(ak, 'attr.blank') < 0.005 THEN ''
         WHEN rnd(ak, 'attr.blank') < 0.008 THEN NULL
         WHEN attr = 0 THEN ['none', 'planned', 'approved'][
             greatest(0, budget_final - (nv - 1 - ver)) + 1]
         WHEN attr = 1 THEN pick({{ tech_stacks }}, rnd(ak, 'tech'))
         WHEN attr = 2 THEN ['none', 'active', 'expired'][
             greatest(0, trial_final - (nv - 1 - ver)) + 1]
         ELSE CASE WHEN rnd(ak, 'newsletter') < 0.7 THEN 'true' ELSE 'false' END
    END AS attribute_value,
    fmt_ts(created_us + CAST(floor(({{ end_us }} - {{ second_us }} - created_us)
                                   * (ver + rnd(ak, 'attr.t')) / nv / {{ second_us }})
                             AS BIGINT) * {{ second_us }},
           coalesce(CASE WHEN slot = 9 THEN ts_force_u(forced_arg(forced, 'attr_ts')) END,
                    rnd(ak, 'attr.fmt')),
           loc_tz_min(loc), loc_tz_txt(loc)) AS updated_at
FROM kept
ORDER BY lead_num, slot
