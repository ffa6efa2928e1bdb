-- leads.parquet: one row per version of a lead, plus junk copies without
-- lead_id (v = n_versions). Row-level mess is forced on the first version
-- (v = 0), which always exists.
WITH versions AS (
    SELECT *, unnest(range(n_versions + CASE WHEN junk_kind > 0 THEN 1 ELSE 0 END)) AS v
    FROM lead_plan
), rows AS (
    SELECT *,
        lead_num * 8 + v AS rk,
        least(v, n_versions - 1) AS ve
    FROM versions
), state AS (
    SELECT *,
        greatest(0, sen0 - (CASE WHEN ve >= 1 THEN p1 ELSE 0 END
                            + CASE WHEN ve >= 2 THEN p2 ELSE 0 END
                            + CASE WHEN ve >= 3 THEN p3 ELSE 0 END)) AS sen,
        job_change_at > 0 AND ve >= job_change_at AS moved,
        industry_change_at > 0 AND ve >= industry_change_at AS reclassified,
        pick(loc_first(loc), u_first) AS first_name,
        pick(loc_first_ascii(loc), u_first) AS first_ascii,
        pick(loc_last(loc), u_last) || pick(loc_suffix(loc), u_first) AS last_name,
        pick(loc_last_ascii(loc), u_last) || pick(loc_suffix_ascii(loc), u_first)
            AS last_ascii,
        CASE WHEN ve = 0 THEN created_us + CAST(floor(3600 * rnd(rk, 'updated.v0'))
                                                AS BIGINT) * {{ second_us }}
             ELSE created_us + CAST(floor(({{ end_us }} - {{ second_us }} - created_us)
                                          * (ve + rnd(rk, 'updated.v'))
                                          / n_versions / {{ second_us }}) AS BIGINT)
                               * {{ second_us }}
        END AS updated_us
    FROM rows
), company AS (
    SELECT *,
        CASE WHEN moved THEN co1_name ELSE co0_name END AS company_name,
        CASE WHEN moved THEN co1_domain ELSE co0_domain END AS company_domain,
        CASE WHEN reclassified THEN industry_new
             WHEN moved THEN co1_ind ELSE co0_ind END AS ind,
        CASE WHEN moved THEN co1_emp ELSE co0_emp END AS emp,
        CASE WHEN moved THEN co1_rev ELSE co0_rev END AS rev
    FROM state
)
SELECT
    CASE WHEN v < n_versions THEN lead_id WHEN junk_kind = 2 THEN '' END AS lead_id,
    CASE WHEN email_pattern = 0 THEN first_ascii || '.' || last_ascii
         WHEN email_pattern = 1 THEN first_ascii[1] || last_ascii
         WHEN email_pattern = 2 THEN first_ascii
         WHEN email_pattern = 3 THEN first_ascii || '_' || last_ascii
         ELSE first_ascii || '.' || last_ascii || (lead_num % 100)::VARCHAR
    END
    || '@'
    || CASE WHEN email_pattern = 4
            THEN pick({{ personal_domains }}, rnd(lead_num, 'email.personal'))
            ELSE company_domain END AS email,
    first_name,
    last_name,
    CASE WHEN rnd(rk, 'title.blank') < 0.004 THEN ''
         WHEN rnd(rk, 'title.blank') < 0.008 THEN NULL
         ELSE job_title(sen, dept, u_title) END AS job_title,
    CASE WHEN v = 0 AND forced = 'seniority_mess'
              OR rnd(rk, 'seniority.mess') < 0.01
         THEN messy(seniority(sen), rnd(rk, 'seniority.mess.kind')
                                    * CASE WHEN v = 0 THEN 0.5 ELSE 1 END)
         ELSE seniority(sen) END AS seniority,
    department(dept) AS department,
    company_name,
    company_domain,
    CASE WHEN v = 0 AND forced = 'industry_mess'
              OR rnd(rk, 'industry.mess') < 0.01
         THEN messy(industry(ind), rnd(rk, 'industry.mess.kind')
                                   * CASE WHEN v = 0 THEN 0.5 ELSE 1 END)
         ELSE industry(ind) END AS industry,
    CASE WHEN v = 0 AND forced = 'employees_empty' THEN ''
         WHEN emp IS NULL THEN CASE WHEN rnd(rk, 'emp.blank') < 0.3 THEN '' END
         ELSE emp::VARCHAR END AS employee_count,
    CASE WHEN v = 0 AND forced = 'revenue_empty' THEN ''
         WHEN rev IS NULL THEN CASE WHEN rnd(rk, 'rev.blank') < 0.3 THEN '' END
         ELSE printf('%.2f', rev) END AS annual_revenue,
    CASE WHEN loc = {{ unknown_locale }} THEN unknown_country_text
         WHEN v = 0 AND forced = 'country_mess'
              OR rnd(rk, 'country.mess') < 0.01
         THEN messy(CASE WHEN u_country_form < 0.6 THEN loc_code(loc)
                         ELSE loc_name(loc) END,
                    rnd(rk, 'country.mess.kind') * CASE WHEN v = 0 THEN 0.5 ELSE 1 END)
         WHEN u_country_form < 0.6 THEN loc_code(loc)
         ELSE loc_name(loc) END AS country,
    CASE WHEN loc = {{ unknown_locale }} THEN CASE WHEN u_city < 0.5 THEN '' END
         WHEN rnd(rk, 'city.blank') < 0.01 THEN ''
         ELSE pick(loc_cities(loc), u_city) END AS city,
    lead_source(source) AS lead_source,
    fmt_ts(created_us,
           coalesce(ts_force_u(forced_arg(forced, 'created')), rnd(lead_num, 'created.fmt')),
           loc_tz_min(loc), loc_tz_txt(loc)) AS created_at,
    fmt_ts(updated_us,
           coalesce(CASE WHEN v = 0 THEN ts_force_u(forced_arg(forced, 'updated')) END,
                    rnd(rk, 'updated.fmt')),
           loc_tz_min(loc), loc_tz_txt(loc)) AS updated_at,
    CASE WHEN deleted AND ve = n_versions - 1 THEN 'true' ELSE 'false' END AS is_deleted
FROM company
ORDER BY lead_num, v
