-- campaigns.parquet: one row per campaign of campaign_base: a market ('' for
-- global), the spend in the market's currency (log-uniform in the channel's
-- range in USD), dates in the market's time zone. `forced` is the kind of mess
-- forced on the campaign (forced.CAMPAIGN_KINDS).
WITH marketed AS (
    SELECT *,
        forced_kind({{ forced_keys }}, {{ forced_kinds }}, cn) AS forced,
        CASE WHEN forced = 'market_mess' THEN 'emea'
             ELSE pick(['', '', 'na', 'na', 'emea', 'emea', 'latam', 'apac'],
                       rnd(campaign_id, 'cmp.market')) END AS market_clean,
        rnd(campaign_id, 'cmp.spend') AS u_spend
    FROM campaign_base
), zoned AS (
    SELECT *,
        CASE market_clean WHEN 'na' THEN -300 WHEN 'latam' THEN -180 WHEN 'emea' THEN 60
             WHEN 'apac' THEN 480 ELSE 0 END AS tz_min,
        CASE market_clean WHEN 'na' THEN '-05:00' WHEN 'latam' THEN '-03:00'
             WHEN 'emea' THEN '+01:00' WHEN 'apac' THEN '+08:00' ELSE '+00:00' END AS tz_txt,
        {{ spend_usd_min }}[list_position({{ channels }}, channel)] AS spend_lo,
        {{ spend_usd_max }}[list_position({{ channels }}, channel)] AS spend_hi
    FROM marketed
)
SELECT
    campaign_id,
    CASE WHEN forced = 'channel_mess'
         THEN messy(channel, 0.5 * rnd(campaign_id, 'cmp.channel.mess.kind'))
         WHEN rnd(campaign_id, 'cmp.channel.mess') < 0.01
         THEN messy(channel, rnd(campaign_id, 'cmp.channel.mess.kind'))
         ELSE channel END AS channel,
    CASE WHEN forced = 'market_mess'
         THEN messy(market_clean, 0.5 + 0.3 * rnd(campaign_id, 'cmp.market.mess.kind'))
         ELSE market_clean END AS market,
    CASE WHEN forced = 'spend_na' THEN 'n/a'
         ELSE printf('%.2f', round(
             spend_lo * exp(ln(spend_hi / spend_lo) * u_spend)
             * usd_rate(market_currency(market_clean)), 2)) END AS spend,
    market_currency(market_clean) AS currency,
    CASE WHEN forced = 'ts_offset' THEN fmt_ts(start_us, ts_force_u('offset'), tz_min, tz_txt)
         WHEN forced = 'ts_zulu' THEN fmt_ts(start_us, ts_force_u('zulu'), 0, '')
         WHEN rnd(campaign_id, 'cmp.start.form') < 0.4
         THEN strftime(make_timestamp(start_us), '%Y-%m-%d')
         ELSE fmt_ts(start_us, ok_u(rnd(campaign_id, 'cmp.start.fmt')), tz_min, tz_txt)
    END AS started_at,
    CASE WHEN forced = 'ts_bad' THEN 'not a date'
         WHEN ended_us IS NULL THEN ''
         ELSE fmt_ts(ended_us, rnd(campaign_id, 'cmp.end.fmt'), tz_min, tz_txt)
    END AS ended_at
FROM zoned
ORDER BY cn
