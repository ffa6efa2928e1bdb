-- The event plan, written to a temporary Parquet file with one row group per
-- batch of leads, which the events stream reads (event_timeline.sql).
SELECT lead_num, lead_id, intent, created_us, loc, converted, converted_us, ev_start,
       n_events
FROM lead_plan
ORDER BY lead_num
