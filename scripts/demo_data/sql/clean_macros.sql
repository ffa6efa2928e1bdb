-- Clean mode (--clean): no category mess, every timestamp in the canonical UTC
-- form; the random draws that chose the mess are left unused.
CREATE OR REPLACE MACRO messy(_v, _u) AS _v;
CREATE OR REPLACE MACRO fmt_ts(_us, _u, _tz_min, _tz_txt) AS clean_ts(_us);
