-- events.parquet, streamed: plan scan -> unnest -> projections, all order
-- preserving (timed_events, event_timeline.sql). Each event gets its page,
-- content type and campaign; then the mess: duplicates (copy_no 1), broken
-- lead_ids (lead_mess 1 'L...x', 2 past the last lead, 3 NULL, 4 ''; none with
-- `clean`), mixed-case types, blank fields.
WITH detailed AS (
    SELECT *,
        CASE event_type
            WHEN 'page_view' THEN CASE
                WHEN u_sub < 0.04 + 0.22 * intent THEN
                    CASE WHEN u_pick < 0.3 THEN '/pricing/enterprise' ELSE '/pricing' END
                WHEN u_sub < 0.16 + 0.22 * intent THEN
                    CASE WHEN u_pick < 0.6 THEN '/product' ELSE '/product/features' END
                WHEN u_sub < 0.46 + 0.22 * intent THEN '/blog/' || pick({{ blog_slugs }}, u_pick)
                WHEN u_sub < 0.47 + 0.22 * intent + 0.08 * (1 - intent) THEN
                    CASE WHEN u_pick < 0.4 THEN '/careers'
                         ELSE '/careers/' || pick({{ career_slugs }}, u_pick) END
                WHEN u_sub < 0.55 + 0.22 * intent + 0.08 * (1 - intent) THEN
                    '/docs/' || pick({{ doc_pages }}, u_pick)
                WHEN u_sub < 0.58 + 0.22 * intent + 0.08 * (1 - intent) THEN '/contact'
                ELSE '/' END
            WHEN 'email_click' THEN CASE
                WHEN u_sub < 0.05 + 0.45 * intent THEN '/product-demo'
                ELSE pick(['/pricing', '/product', '/webinars',
                           '/blog/' || pick({{ blog_slugs }}, rnd(e, 'ev.slug'))], u_pick) END
            WHEN 'content_download' THEN '/resources/' || replace(
                CASE WHEN u_sub < 0.1 + 0.5 * intent THEN 'case_study'
                     ELSE pick({{ content_types }}[2:], u_pick) END, '_', '-')
            WHEN 'webinar_registered' THEN '/webinars/' || replace(
                pick({{ webinar_topics }}, u_pick), '_', '-')
            WHEN 'demo_request' THEN '/demo'
            WHEN 'form_submit' THEN pick({{ form_paths }}, u_pick)
            WHEN 'support_ticket' THEN '/support'
        END AS page_path,
        -- the first content and support type (case_study, sales_inquiry) more
        -- often for high intent
        CASE event_type
            WHEN 'content_download' THEN
                CASE WHEN u_sub < 0.1 + 0.5 * intent THEN 'case_study'
                     ELSE pick({{ content_types }}[2:], u_pick) END
            WHEN 'support_ticket' THEN
                CASE WHEN u_sub < 0.1 + 0.5 * intent THEN 'sales_inquiry'
                     ELSE pick({{ support_types }}[2:], u_pick) END
        END AS content_type_clean,
        CASE WHEN event_type IN ('email_open', 'email_click', 'unsubscribe')
             THEN CASE WHEN rnd(e, 'ev.launch') < 0.06 THEN 'product_launch'
                       ELSE strftime(make_timestamp(ts_us), '%Y_%m') || '_'
                            || pick({{ email_names }}, rnd(e, 'ev.email')) END
        END AS email_key,
        CASE WHEN event_type IN ('webinar_registered', 'webinar_attended')
             THEN 'wbn_' || strftime(make_timestamp(ts_us), '%Y_%m') || '_'
                  || pick({{ webinar_topics }}, u_pick)
             WHEN event_type = 'page_view' AND rnd(e, 'ev.utm') < 0.08
             THEN pick(['cmp_gads_brand', 'cmp_gads_generic', 'cmp_linkedin_abm',
                        'cmp_partner_referral'], rnd(e, 'ev.utm.kind'))
        END AS other_campaign
    FROM timed_events
), copies AS (
    SELECT *,
        unnest(range(CASE WHEN dup_kind > 0 THEN 2 ELSE 1 END)) AS copy_no,
        coalesce(ts_force_u(forced_arg(forced, 'ts')), rnd(e, 'ev.fmt')) AS u_fmt,
        CASE WHEN {{ clean }} THEN 0
             WHEN forced = 'orphan_x' THEN 1
             WHEN forced = 'orphan_range' THEN 2
             WHEN forced = 'lead_null' THEN 3
             WHEN forced = 'lead_empty' THEN 4
             ELSE CAST(ceil(rnd(e, 'ev.orphan') / 0.003) AS INT) END AS lead_mess,
        forced = 'type_mess' OR rnd(e, 'ev.type.mess') < 0.01 AS type_mess,
        forced = 'content_mess' AS content_mess_forced
    FROM detailed
)
SELECT
    'evt_' || lpad(e::VARCHAR, 10, '0') AS event_id,
    CASE lead_mess
         WHEN 1 THEN 'L' || (9999999 - CAST(rnd(e, 'ev.orphan.n') * 1000 AS INT))::VARCHAR
                     || 'x'
         WHEN 2 THEN printf('L%07d', {{ n_leads }} + 1 + CAST(rnd(e, 'ev.orphan.n') * 500
                                                             AS INT))
         WHEN 3 THEN NULL
         WHEN 4 THEN ''
         ELSE lead_id END AS lead_id,
    CASE WHEN type_mess THEN messy(event_type, rnd(e, 'ev.type.mess.kind'))
         ELSE event_type END AS event_type,
    fmt_ts(ts_us + CASE WHEN dup_kind = 2 AND copy_no = 1
                        THEN (1 + CAST(rnd(e, 'ev.dup.shift') * 3600 AS BIGINT))
                             * {{ second_us }}
                        ELSE 0 END,
           u_fmt, loc_tz_min(loc), loc_tz_txt(loc)) AS occurred_at,
    CASE WHEN page_path IS NULL AND blank THEN '' ELSE page_path END AS page_path,
    CASE WHEN content_type_clean IS NULL THEN CASE WHEN blank THEN '' END
         WHEN content_mess_forced
         THEN messy(content_type_clean, 0.5 * rnd(e, 'ev.ct.mess.kind'))
         WHEN rnd(e, 'ev.ct.mess') < 0.01
         THEN messy(content_type_clean, rnd(e, 'ev.ct.mess.kind'))
         ELSE content_type_clean END AS content_type,
    coalesce(CASE WHEN email_key IS NOT NULL THEN 'cmp_' || email_key END,
             other_campaign, CASE WHEN blank THEN '' END) AS campaign_id,
    coalesce(CASE WHEN email_key IS NOT NULL THEN 'em_' || email_key END,
             CASE WHEN blank THEN '' END) AS email_id
FROM copies
