-- The lead plan: one row per lead with every latent and per-version decision
-- (table lead_plan, ordered by lead_num). The lead files, the events and the
-- CRM tables are all drawn from it. `forced` is the kind of mess forced on the
-- lead (forced.lead_kinds), '' for most.
CREATE TABLE lead_base AS
SELECT
    lead_num,
    printf('L%07d', lead_num) AS lead_id,
    forced,
    power(rnd(lead_num, 'intent'), 1.8) AS intent,
    CASE WHEN forced_arg(forced, 'competitor') IS NOT NULL
         THEN {{ n_companies }} + CAST(forced_arg(forced, 'competitor') AS INTEGER)
         WHEN rnd(lead_num, 'competitor') < 0.01
         THEN {{ n_companies }} + CAST(rnd(lead_num, 'competitor.which') < 0.5 AS INT)
         ELSE CAST(floor({{ n_companies }} * power(rnd(lead_num, 'company'), 1.6)) AS BIGINT)
    END AS co0,
    CAST(floor({{ n_companies }} * power(rnd(lead_num, 'company.alt'), 1.6)) AS BIGINT)
        AS co1_raw,
    -- most leads live in their company's locale, 12% in one of their own
    CASE WHEN forced_arg(forced, 'locale') IS NOT NULL
         THEN CAST(forced_arg(forced, 'locale') AS INTEGER)
         WHEN rnd(lead_num, 'locale.own') < 0.12
         THEN pick({{ locale_slots }}, rnd(lead_num, 'locale'))
         ELSE NULL END AS own_loc,
    pick({{ seniority_slots }}, rnd(lead_num, 'seniority')) - 1 AS sen0,
    pick({{ department_slots }}, rnd(lead_num, 'department')) AS dept,
    rnd(lead_num, 'title') AS u_title,
    rnd(lead_num, 'first') AS u_first,
    rnd(lead_num, 'last') AS u_last,
    rnd(lead_num, 'city') AS u_city,
    pick({{ lead_source_slots }}, rnd(lead_num, 'source')) AS source,
    {{ created_lo }} + CAST(floor({{ created_span }} * sqrt(rnd(lead_num, 'created'))
                                  / {{ second_us }}) AS BIGINT) * {{ second_us }} AS created_us,
    pick([1, 1, 1, 1, 2, 2, 2, 3, 3, 4], rnd(lead_num, 'versions')) AS n_versions,
    -- a promotion (one seniority up) at versions 1, 2, 3
    CAST(rnd(lead_num, 'promo.1') < 0.3 AS INT) AS p1,
    CAST(rnd(lead_num, 'promo.2') < 0.3 AS INT) AS p2,
    CAST(rnd(lead_num, 'promo.3') < 0.3 AS INT) AS p3,
    rnd(lead_num, 'job_change') AS u_job_change,
    rnd(lead_num, 'industry_change') AS u_industry_change,
    pick({{ industry_slots }}, rnd(lead_num, 'industry.new')) AS industry_new,
    CASE WHEN rnd(lead_num, 'email.pattern') < 0.55 THEN 0
         WHEN rnd(lead_num, 'email.pattern') < 0.75 THEN 1
         WHEN rnd(lead_num, 'email.pattern') < 0.83 THEN 2
         WHEN rnd(lead_num, 'email.pattern') < 0.92 THEN 3
         ELSE 4 END AS email_pattern,
    rnd(lead_num, 'country.form') AS u_country_form,
    forced = 'deleted' OR rnd(lead_num, 'deleted') < 0.028 AS deleted,
    -- a junk copy of the lead's first version: 1 without lead_id (NULL), 2 ''
    CASE WHEN forced = 'junk_null' THEN 1
         WHEN forced = 'junk_empty' THEN 2
         WHEN rnd(lead_num, 'junk') < 0.004 THEN 1 + CAST(rnd(lead_num, 'junk.kind')
                                                          < 0.5 AS INT)
         ELSE 0 END AS junk_kind,
    CASE WHEN forced = 'unknown_atlantis' THEN 'Atlantis'
         WHEN forced = 'unknown_empty' THEN ''
         ELSE pick({{ unknown_country_texts }}, rnd(lead_num, 'country.unknown'))
    END AS unknown_country_text
FROM (
    SELECT lead_num, forced_kind({{ forced_keys }}, {{ forced_kinds }}, lead_num) AS forced
    FROM range(1, {{ n_leads }} + 1) t(lead_num)
);

-- Locale, job and industry changes, and the lead's two companies.
CREATE TABLE lead_plan_1 AS
SELECT
    b.*,
    -- forced 'unknown' leads also live in the unknown locale
    CASE WHEN b.forced IN ('unknown_atlantis', 'unknown_empty')
              OR rnd(b.lead_num, 'locale.unknown') < 0.01 THEN {{ unknown_locale }}
         ELSE coalesce(b.own_loc, c0.loc) END AS loc,
    CASE WHEN b.co0 >= {{ n_companies }} THEN 0
         WHEN b.n_versions > 1 AND b.u_job_change < 0.15
         THEN 1 + CAST(floor(rnd(b.lead_num, 'job_change.at') * (b.n_versions - 1))
                       AS INT)
         ELSE 0 END AS job_change_at,
    CASE WHEN b.n_versions > 1 AND b.u_industry_change < 0.08
         THEN 1 + CAST(floor(rnd(b.lead_num, 'industry_change.at')
                             * (b.n_versions - 1)) AS INT)
         ELSE 0 END AS industry_change_at,
    c0.company_name AS co0_name, c0.company_domain AS co0_domain, c0.ind AS co0_ind,
    c0.employees AS co0_emp, c0.revenue AS co0_rev,
    c1.company_name AS co1_name, c1.company_domain AS co1_domain, c1.ind AS co1_ind,
    c1.employees AS co1_emp, c1.revenue AS co1_rev
FROM lead_base b
JOIN companies c0 ON c0.company_num = b.co0
JOIN companies c1
  ON c1.company_num = CASE WHEN b.co1_raw = b.co0 THEN (b.co1_raw + 1) % {{ n_companies }}
                           ELSE b.co1_raw END
ORDER BY b.lead_num;
DROP TABLE lead_base;

-- The outcome model. Latest version -> fit; fit + intent -> conversion;
-- intent -> event volume.
CREATE TABLE lead_plan_2 AS
WITH latest AS (
    SELECT *,
        greatest(0, sen0 - (CASE WHEN n_versions > 1 THEN p1 ELSE 0 END
                            + CASE WHEN n_versions > 2 THEN p2 ELSE 0 END
                            + CASE WHEN n_versions > 3 THEN p3 ELSE 0 END)) AS sen_last,
        CASE WHEN job_change_at > 0 THEN co1_emp ELSE co0_emp END AS emp_last,
        CASE WHEN industry_change_at > 0 THEN industry_new
             WHEN job_change_at > 0 THEN co1_ind ELSE co0_ind END AS ind_last
    FROM lead_plan_1
), scored AS (
    SELECT *,
        0.35 * seniority_fit(sen_last)
        + 0.20 * industry_fit(ind_last)
        + 0.25 * CASE WHEN emp_last IS NULL THEN 0.3
                      WHEN emp_last BETWEEN 50 AND 500 THEN 1.0
                      WHEN emp_last BETWEEN 501 AND 2000 THEN 0.6
                      WHEN emp_last BETWEEN 10 AND 49 THEN 0.4
                      WHEN emp_last BETWEEN 2001 AND 10000 THEN 0.4
                      ELSE 0.15 END
        + 0.20 * CASE WHEN loc_code(loc) IN ('US', 'GB', 'CA') THEN 1.0
                      WHEN loc_code(loc) IN ('DE', 'FR', 'NL', 'AU', 'SG') THEN 0.55
                      WHEN loc_code(loc) = '' THEN 0.1
                      ELSE 0.3 END AS fit,
        least(1.0, ({{ end_us }} - greatest(created_us, {{ window_start_us }}))
                   / (60.0 * {{ day_us }})) AS maturity
    FROM latest
), converted AS (
    SELECT *,
        CASE WHEN co0 >= {{ n_companies }} THEN 0.0
             ELSE maturity * (CASE WHEN deleted THEN 0.3 ELSE 1.0 END)
                  / (1 + exp(-(-7.0 + 4.5 * fit + 5.0 * intent)))
        END AS p_convert,
        -- heavy-tailed activity: log-normal, more for high intent
        exp(1.3 * normal(lead_num, 'activity')) * (0.4 + 1.2 * intent) AS activity
    FROM scored
)
SELECT *,
    rnd(lead_num, 'converted') < p_convert AS converted,
    greatest(created_us, {{ window_start_us }}) + {{ day_us }}
    + CAST(floor(({{ end_us }} - {{ second_us }} - greatest(created_us, {{ window_start_us }})
                  - {{ day_us }})
                 * (0.1 + 0.85 * rnd(lead_num, 'converted.at')) / {{ second_us }}) AS BIGINT)
      * {{ second_us }} AS converted_us,
    CAST(floor({{ events_per_lead }} * activity / avg(activity) OVER ()
               + rnd(lead_num, 'activity.round')) AS BIGINT) AS n_events
FROM converted
ORDER BY lead_num;
DROP TABLE lead_plan_1;

-- ev_start: the number of the lead's first event (events are numbered from 0).
CREATE TABLE lead_plan AS
SELECT *,
    CAST(coalesce(sum(n_events) OVER (ORDER BY lead_num ROWS BETWEEN UNBOUNDED
                                      PRECEDING AND 1 PRECEDING), 0) AS BIGINT)
        AS ev_start
FROM lead_plan_2
ORDER BY lead_num;
DROP TABLE lead_plan_2;
