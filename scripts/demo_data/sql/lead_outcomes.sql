-- lead_outcomes.parquet: the clean ground truth of the outcome model.
SELECT lead_id,
       CASE WHEN converted THEN 'true' ELSE 'false' END AS is_converted,
       CASE WHEN converted THEN clean_ts(converted_us) ELSE '' END AS converted_at
FROM lead_plan
ORDER BY lead_num
