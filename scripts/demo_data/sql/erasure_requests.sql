-- erasure_requests.parquet: requests of about 0.5% of leads (deleted leads much
-- more often; always the leads of the CRM kinds era_plain, era_ts_bad and
-- era_offset and the lead forced to be deleted), after the lead's creation;
-- plus a junk request without lead_id (era_junk).
WITH requests AS (
    SELECT lead_num, lead_id, loc, 0 AS junk,
           created_us + CAST(floor(({{ last_us }} - created_us)
                                   * (0.3 + 0.65 * rnd(lead_num, 'era.t')) / {{ second_us }})
                             AS BIGINT) * {{ second_us }} AS ts_us
    FROM lead_plan
    WHERE crm_forced(lead_num) IN ('era_plain', 'era_ts_bad', 'era_offset')
       OR forced = 'deleted'
       OR rnd(lead_num, 'era') < 0.003 + 0.08 * CAST(deleted AS INT)
    UNION ALL
    SELECT lead_num, '', loc, 1,
           created_us + CAST(floor(({{ last_us }} - created_us) * rnd(lead_num, 'era.junk.t')
                                   / {{ second_us }}) AS BIGINT) * {{ second_us }}
    FROM lead_plan WHERE crm_forced(lead_num) = 'era_junk'
)
SELECT
    lead_id,
    CASE WHEN junk = 0 AND crm_forced(lead_num) = 'era_ts_bad' THEN 'not a date'
         ELSE fmt_ts(ts_us,
                     CASE WHEN junk = 0 AND crm_forced(lead_num) = 'era_offset'
                          THEN ts_force_u('offset')
                          ELSE rnd2(lead_num, junk, 'era.fmt') END,
                     loc_tz_min(loc), loc_tz_txt(loc)) END AS requested_at
FROM requests
ORDER BY lead_num, junk
