-- The company pool (accounts): n_companies companies named from three word
-- lists, in the locales by weight; plus the competitors at the end.
CREATE TABLE companies AS
WITH base AS (
    SELECT
        c AS company_num,
        pick({{ locale_slots }}, rnd(c, 'co.loc')) AS loc,
        pick({{ industry_slots }}, rnd(c, 'co.ind')) AS ind,
        -- log-normal company size, median ~75 employees, clipped to 1..50000
        CAST(greatest(1, least(50000, round(exp(4.3 + 1.9 * normal(c, 'co.emp')))))
             AS BIGINT) AS emp,
        rnd(c, 'co.emp_known') < 0.05 AS emp_unknown,
        rnd(c, 'co.rev_known') < 0.06 AS rev_unknown,
        normal(c, 'co.rev') AS rev_noise,
        -- the words of the name: every combination of A and B once, then with C
        (c + {{ shift_a }}) % {{ n_words_a }} AS wa,
        ((c // {{ n_words_a }}) + {{ shift_b }}) % {{ n_words_b }} AS wb,
        c // ({{ n_words_a }} * {{ n_words_b }}) AS gen
    FROM range({{ n_companies }}) t(c)
), named AS (
    SELECT *,
        {{ words_a }}[wa + 1] || ' ' || {{ words_b }}[wb + 1]
        || CASE WHEN gen = 0 THEN ''
                ELSE ' ' || {{ words_c }}[(gen - 1) % {{ n_words_c }} + 1] END
        || CASE WHEN gen > {{ n_words_c }}
                THEN ' ' || ((gen - 1) // {{ n_words_c }} + 1)::VARCHAR
                ELSE '' END AS short_name
    FROM base
)
SELECT
    company_num, loc, ind,
    CASE WHEN emp_unknown THEN NULL ELSE emp END AS employees,
    CASE WHEN rev_unknown OR (emp_unknown AND rev_noise > 0) THEN NULL
         ELSE round(emp * revenue_per_employee(ind) * exp(0.45 * rev_noise), -3)
    END AS revenue,
    short_name || ' ' || loc_legal(loc) AS company_name,
    lower(regexp_replace(short_name, '[^A-Za-z0-9]', '', 'g'))
    || CASE WHEN rnd(company_num, 'co.tld') < 0.45 THEN '.com'
            WHEN ind = 1 AND rnd(company_num, 'co.io') < 0.5 THEN '.io'
            ELSE loc_tld(loc) END AS company_domain
FROM named
UNION ALL
-- the competitors: company_num n_companies, n_companies + 1, ...
SELECT company_num, loc, ind, employees::BIGINT, revenue::DOUBLE, company_name,
       company_domain
FROM (SELECT unnest({{ competitors }}, recursive := true))
ORDER BY company_num;
