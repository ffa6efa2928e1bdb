-- _debug_lead_latent.parquet (--debug): the generator's own latent variables,
-- for tests of the outcome model.
SELECT lead_id, intent, fit, p_convert FROM lead_plan ORDER BY lead_num
