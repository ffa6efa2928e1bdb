-- The table campaign_base: every campaign_id of the events (read back from
-- events.parquet), with its channel (by prefix) and true dates: monthly e-mail
-- and webinar campaigns run for their month (from the id), the product launch
-- from two weeks before the window, the always-on ones from 30-90 days before.
-- Plus, for every quarter of the window, a roadshow (event) and a content
-- syndication without tracked events. cn numbers the campaigns by id.
CREATE TABLE campaign_base AS
WITH tracked AS (
    SELECT DISTINCT campaign_id
    FROM read_parquet({{ events_path }})
    WHERE campaign_id <> ''
), parsed AS (
    SELECT campaign_id,
        CASE WHEN campaign_id LIKE 'wbn\_%' ESCAPE '\' THEN 'webinar'
             WHEN campaign_id LIKE 'cmp\_gads\_%' ESCAPE '\' THEN 'paid_search'
             WHEN campaign_id LIKE 'cmp\_linkedin\_%' ESCAPE '\' THEN 'paid_social'
             WHEN campaign_id LIKE 'cmp\_partner\_%' ESCAPE '\' THEN 'partner'
             ELSE 'email' END AS channel,
        epoch_us(try_strptime(regexp_extract(campaign_id, '^[a-z]+_(\d{4}_\d{2})_', 1),
                              '%Y_%m')) AS month_us
    FROM tracked
), quarters AS (
    SELECT unnest(generate_series(date_trunc('quarter', CAST({{ window_start }} AS DATE)),
                                  CAST({{ end_date }} AS TIMESTAMP),
                                  INTERVAL 3 MONTH)) AS q
), dated AS (
    SELECT campaign_id, channel,
        CASE WHEN month_us IS NOT NULL THEN month_us
             WHEN campaign_id = 'cmp_product_launch'
             THEN {{ window_start_us }} - 14 * {{ day_us }}
             ELSE {{ window_start_us }}
                  - (30 + CAST(floor(60 * rnd(campaign_id, 'cmp.start')) AS BIGINT))
                    * {{ day_us }} END AS start_us,
        CASE WHEN month_us IS NOT NULL
             THEN epoch_us(make_timestamp(month_us) + INTERVAL 1 MONTH) - {{ second_us }}
        END AS end_us
    FROM parsed
    UNION ALL
    SELECT 'evt_' || strftime(q, '%Y') || '_q' || quarter(q)::VARCHAR || '_roadshow',
           'event', epoch_us(q + INTERVAL 20 DAY),
           epoch_us(q + INTERVAL 20 DAY) + 2 * {{ day_us }}
    FROM quarters
    UNION ALL
    SELECT 'cnt_' || strftime(q, '%Y') || '_q' || quarter(q)::VARCHAR || '_syndication',
           'content', epoch_us(q), epoch_us(q + INTERVAL 3 MONTH) - {{ second_us }}
    FROM quarters
)
SELECT *,
    CASE WHEN end_us >= {{ end_us }} THEN NULL ELSE end_us END AS ended_us,
    row_number() OVER (ORDER BY campaign_id) AS cn
FROM dated
ORDER BY campaign_id;
