-- Every raw row is accounted for: per raw table, the rows read equal the
-- usable rows plus the quarantined rows. Returns the tables that do not add
-- up (macros/audits/raw_rows_reconciliation.sql).
{{ lead_scoring.raw_rows_reconciliation(mismatches_only=true) }}
