-- Macros of the CRM tables: lookups, amounts, formatters, junk rows, and the
-- kind of CRM mess forced on a lead (forced.CRM_KINDS; '' for most).
CREATE MACRO crm_forced(_lead_num) AS
    forced_kind({{ forced_keys }}, {{ forced_kinds }}, _lead_num);
CREATE MACRO loc_market(_i) AS {{ loc_markets }}[_i];
CREATE MACRO loc_currency(_i) AS {{ loc_currencies }}[_i];
CREATE MACRO usd_rate(_c) AS {{ units_per_usd }}[list_position({{ currencies }}, _c)];
CREATE MACRO market_currency(_m) AS
    {{ market_currencies }}[list_position({{ markets }}, _m)];
-- An amount in a currency, rounded like a sales rep would (100s or 1000s).
CREATE MACRO local_amount(_usd, _c) AS printf('%.2f', round(_usd * usd_rate(_c),
    CASE WHEN usd_rate(_c) > 50 THEN -3 ELSE -2 END));
-- A u for fmt_ts that never gives an unparseable or empty timestamp.
CREATE MACRO ok_u(_u) AS 0.008 + _u * 0.992;
-- A u for fmt_ts that gives 'not a date' instead of '' (empty has a meaning).
CREATE MACRO no_empty_u(_u) AS CASE WHEN _u >= 0.006 AND _u < 0.008
    THEN _u - 0.006 ELSE _u END;
-- 'true'/'false', about 1.5% in another accepted spelling.
CREATE MACRO bool_txt(_b, _u) AS CASE
    WHEN _u < 0.985 THEN CASE WHEN _b THEN 'true' ELSE 'false' END
    WHEN _b THEN pick({{ true_spellings }}, (_u - 0.985) / 0.015)
    ELSE pick({{ false_spellings }}, (_u - 0.985) / 0.015) END;
CREATE MACRO rep_id(_u) AS printf('U%03d', 1 + CAST(floor(_u * {{ n_reps }}) AS INT));
-- The junk kind of an extra CRM row: 1 NULL lead_id, 2 '', 3 'L9999xyzx', 4 a
-- number past the last lead; forced by the kinds <prefix>_lead_null, ...,
-- else at random (_u < _rate, the kind by _u_kind); 0 for none.
CREATE MACRO junk_kind(_forced, _prefix, _u, _u_kind, _rate) AS CASE
    WHEN _forced = _prefix || '_lead_null' THEN 1
    WHEN _forced = _prefix || '_lead_empty' THEN 2
    WHEN _forced = _prefix || '_lead_x' THEN 3
    WHEN _forced = _prefix || '_lead_range' THEN 4
    WHEN _u < _rate THEN 1 + CAST(floor(4 * _u_kind) AS INT)
    ELSE 0 END;
-- The lead_id of a junk row of kind 1-4; _id for any other kind.
CREATE MACRO junk_lead_id(_kind, _id, _u, _n_leads) AS CASE _kind
    WHEN 1 THEN NULL WHEN 2 THEN ''
    WHEN 3 THEN 'L' || (9999999 - CAST(_u * 1000 AS INT))::VARCHAR || 'x'
    WHEN 4 THEN printf('L%07d', _n_leads + 1 + CAST(_u * 500 AS INT))
    ELSE _id END;
