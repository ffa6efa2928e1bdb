-- The generator's macros: random numbers, weighted picks, lookups of the
-- reference data, the category and timestamp mess, the forced positions.
-- Lookups take 1-based indexes (seniority: 0-based). The lists are the literal
-- values of scripts/demo_data/reference.py and locales.py.

-- Uniform in (0, 1) from the seed, a key and a salt; no random()/setseed().
CREATE MACRO rnd(_k, _salt) AS
    (CAST(hash({{ seed }}, _k, _salt) % 1000003 AS DOUBLE) + 0.5) / 1000003.0;
CREATE MACRO rnd2(_k, _j, _salt) AS
    (CAST(hash({{ seed }}, _k, _j, _salt) % 1000003 AS DOUBLE) + 0.5) / 1000003.0;
-- Standard normal (Box-Muller).
CREATE MACRO normal(_k, _salt) AS sqrt(-2 * ln(rnd(_k, _salt || '.a')))
    * cos(2 * pi() * rnd(_k, _salt || '.b'));
-- An element of a list for a uniform _u; a list of 1-based indexes, each
-- repeated as often as its weight, makes it a weighted pick.
CREATE MACRO pick(_l, _u) AS _l[1 + CAST(floor(_u * len(_l)) AS BIGINT)];

-- Locales: country (from the seed), names in their own script, cities.
CREATE MACRO loc_code(_i) AS {{ loc_codes }}[_i];
CREATE MACRO loc_name(_i) AS {{ loc_names }}[_i];
CREATE MACRO loc_tld(_i) AS {{ loc_tlds }}[_i];
CREATE MACRO loc_legal(_i) AS {{ loc_legal_suffixes }}[_i];
CREATE MACRO loc_tz_min(_i) AS {{ loc_tz_minutes }}[_i];
CREATE MACRO loc_tz_txt(_i) AS {{ loc_tz_texts }}[_i];
CREATE MACRO loc_first(_i) AS {{ loc_first_names }}[_i];
CREATE MACRO loc_first_ascii(_i) AS {{ loc_first_ascii }}[_i];
-- the surname's suffix after each first name (Петров -> Петрова)
CREATE MACRO loc_suffix(_i) AS {{ loc_suffixes }}[_i];
CREATE MACRO loc_suffix_ascii(_i) AS {{ loc_suffixes_ascii }}[_i];
CREATE MACRO loc_last(_i) AS {{ loc_last_names }}[_i];
CREATE MACRO loc_last_ascii(_i) AS {{ loc_last_ascii }}[_i];
CREATE MACRO loc_cities(_i) AS {{ loc_cities }}[_i];

-- People and companies.
CREATE MACRO seniority(_i) AS {{ seniorities }}[_i + 1];
CREATE MACRO seniority_fit(_i) AS {{ seniority_fit }}[_i + 1];
CREATE MACRO department(_i) AS {{ departments }}[_i];
CREATE MACRO industry(_i) AS {{ industries }}[_i];
CREATE MACRO industry_fit(_i) AS {{ industry_fit }}[_i];
CREATE MACRO revenue_per_employee(_i) AS {{ revenue_per_employee }}[_i];
CREATE MACRO lead_source(_i) AS {{ lead_sources }}[_i];
-- job_titles[seniority + 1][department]: the alternatives
CREATE MACRO job_title(_sen, _dept, _u) AS pick({{ job_titles }}[_sen + 1][_dept], _u);

-- 'page_view' -> 'Page_View', 'technology' -> 'Technology'
CREATE MACRO capitalized(_v) AS array_to_string(list_transform(
    string_split(lower(_v), '_'), lambda x: upper(x[1]) || x[2:]), '_');
-- Category mess: mixed case and stray spaces; u < 0.5 always visibly messy.
CREATE MACRO messy(_v, _u) AS CASE
    WHEN _u < 0.25 THEN ' ' || _v
    WHEN _u < 0.50 THEN _v || ' '
    WHEN _u < 0.65 THEN upper(_v)
    WHEN _u < 0.80 THEN capitalized(_v)
    WHEN _u < 0.90 THEN ' ' || capitalized(_v)
    ELSE lower(_v) || '  ' END;
-- Timestamp text in mostly-clean, sometimes-different, sometimes-broken form,
-- by bands of u: 'not a date', a 30 February, day first, '', 'Z', the local
-- offset (_tz_min minutes, written _tz_txt), else the canonical UTC form.
CREATE MACRO fmt_ts(_us, _u, _tz_min, _tz_txt) AS CASE
    WHEN _u < 0.002 THEN 'not a date'
    WHEN _u < 0.004 THEN strftime(make_timestamp(_us), '%Y') || '-02-30 '
        || strftime(make_timestamp(_us), '%H:%M:%S')
    WHEN _u < 0.006 THEN strftime(make_timestamp(_us), '%d/%m/%Y %H:%M')
    WHEN _u < 0.008 THEN ''
    WHEN _u < 0.038 THEN strftime(make_timestamp(_us), '%Y-%m-%dT%H:%M:%SZ')
    WHEN _u < 0.058 THEN strftime(
        make_timestamp(_us + CAST(_tz_min AS BIGINT) * 60000000), '%Y-%m-%dT%H:%M:%S')
        || _tz_txt
    ELSE strftime(make_timestamp(_us), '%Y-%m-%d %H:%M:%S') END;
CREATE MACRO clean_ts(_us) AS strftime(make_timestamp(_us), '%Y-%m-%d %H:%M:%S');
-- A u inside the band of fmt_ts that writes each kind of timestamp
-- (reference.TS_KINDS); NULL for any other text.
CREATE MACRO ts_force_u(_kind) AS CASE _kind
    WHEN 'not_a_date' THEN 0.001
    WHEN 'feb_30' THEN 0.003
    WHEN 'day_first' THEN 0.005
    WHEN 'empty' THEN 0.007
    WHEN 'zulu' THEN 0.02
    WHEN 'offset' THEN 0.05 END;

-- Forced positions (scripts/demo_data/forced.py): the kind of mess forced at
-- key _k, where _kinds[i] is forced at _keys[i]; '' where none is.
CREATE MACRO forced_kind(_keys, _kinds, _k) AS
    coalesce(_kinds[list_position(_keys, _k)], '');
-- The argument of a kind 'name=arg' ('zulu' of 'created=zulu' for the name
-- 'created'); NULL for any other kind.
CREATE MACRO forced_arg(_kind, _name) AS CASE
    WHEN starts_with(_kind, _name || '=') THEN substr(_kind, length(_name) + 2) END;
