-- The view timed_events: every event of the event plan (a Parquet copy of the
-- lead plan with small row groups, read as a stream) with its number e, type
-- and true time ts_us, before any text is formatted or any mess applied. The
-- events query (events.sql) and the unsubscribes of the consents
-- (unsubscribes.sql) read it. `forced` is the kind of mess forced on the event
-- (forced.EVENT_KINDS); with `clean`, no event is duplicated.
CREATE VIEW timed_events AS
WITH lead_events AS (
    SELECT lead_num, lead_id, intent, created_us, loc, converted, converted_us,
           ev_start, unnest(range(n_events)) AS k
    FROM read_parquet({{ plan_path }})
), base AS (
    SELECT *,
        ev_start + k AS e,
        forced_kind({{ forced_keys }}, {{ forced_kinds }}, ev_start + k) AS forced,
        rnd(ev_start + k, 'ev.type') AS u_type,
        greatest(created_us, {{ window_start_us }}) + 60 * {{ second_us }} AS lo_us
    FROM lead_events
), rated AS (
    -- the event type by u_type: the cumulative probabilities of the types, as
    -- functions of the lead's intent (the rest are page views)
    SELECT *,
        (0.0015 + 0.02 * intent * intent) AS upto_demo_request,
        upto_demo_request + (0.006 + 0.03 * intent) AS upto_webinar_registered,
        upto_webinar_registered + (0.003 + 0.02 * intent) AS upto_webinar_attended,
        upto_webinar_attended + (0.006) AS upto_support_ticket,
        upto_support_ticket + (0.006 * (1 - intent)) AS upto_unsubscribe,
        upto_unsubscribe + (0.02) AS upto_form_submit,
        upto_form_submit + (0.03 + 0.03 * intent) AS upto_content_download,
        upto_content_download + (0.06 + 0.04 * intent) AS upto_email_click,
        upto_email_click + (0.22) AS upto_email_open
    FROM base
), typed AS (
    SELECT *,
        CASE WHEN forced_arg(forced, 'type') IS NOT NULL THEN forced_arg(forced, 'type')
             WHEN forced = 'content_mess' THEN 'content_download'
             WHEN u_type < upto_demo_request THEN 'demo_request'
             WHEN u_type < upto_webinar_registered THEN 'webinar_registered'
             WHEN u_type < upto_webinar_attended THEN 'webinar_attended'
             WHEN u_type < upto_support_ticket THEN 'support_ticket'
             WHEN u_type < upto_unsubscribe THEN 'unsubscribe'
             WHEN u_type < upto_form_submit THEN 'form_submit'
             WHEN u_type < upto_content_download THEN 'content_download'
             WHEN u_type < upto_email_click THEN 'email_click'
             WHEN u_type < upto_email_open THEN 'email_open'
             ELSE 'page_view' END AS event_type,
        -- most events of a converted lead happen before its conversion
        CASE WHEN converted AND converted_us > lo_us AND rnd(e, 'ev.before') < 0.8
             THEN converted_us ELSE {{ end_us }} - {{ second_us }} END AS hi_us,
        -- 1 an exact copy, 2 a copy at another time
        CASE WHEN {{ clean }} THEN 0
             WHEN forced = 'dup_exact' OR rnd(e, 'ev.dup') < 0.006 THEN 1
             WHEN forced = 'dup_changed' OR rnd(e, 'ev.dup') < 0.010 THEN 2
             ELSE 0 END AS dup_kind,
        forced = 'blank_fields' OR rnd(e, 'ev.blank') < 0.01 AS blank
    FROM rated
)
SELECT *,
    lo_us + CAST(floor((hi_us - lo_us) * power(rnd(e, 'ev.t'), 1.3) / {{ second_us }})
                 AS BIGINT) * {{ second_us }} AS ts_us,
    rnd(e, 'ev.sub') AS u_sub,
    rnd(e, 'ev.pick') AS u_pick
FROM typed;
