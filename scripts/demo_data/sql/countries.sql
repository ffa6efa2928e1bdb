-- The countries of the seed (seeds/reference/country_markets.csv), with the
-- offset of their time zone in standard time in minutes east of UTC: the
-- smaller of the offsets at mid-January and mid-July (daylight saving time
-- adds to the standard offset, in either hemisphere).
SELECT
    country_code,
    country_name,
    market,
    currency,
    CAST(min(epoch(noon) - epoch(timezone(time_zone, noon))) / 60 AS INTEGER)
        AS tz_minutes
FROM read_csv({{ seed }}, header = true, all_varchar = true),
    (VALUES (TIMESTAMP '2025-01-15 12:00:00'), (TIMESTAMP '2025-07-15 12:00:00')) t(noon)
GROUP BY ALL
ORDER BY country_code
