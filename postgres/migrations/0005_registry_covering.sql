-- Covering indexes for a pair's timeline (package internal/regsql,
-- Store.TimelinePage), as SQLite's migration 0010: the two states' dates under
-- each agreement they share come from an index-only scan, and the commitments
-- due of either state (or of all parties) are looked up by (agreement_id,
-- responsible). agreement_parties_dates has the key of agreement_parties_state
-- and replaces it.
CREATE INDEX IF NOT EXISTS agreement_parties_dates ON agreement_parties (party, non_state, agreement_id) INCLUDE (signature, ratification, force_date, withdrawal);
DROP INDEX IF EXISTS agreement_parties_state;
CREATE INDEX IF NOT EXISTS commitments_responsible_due ON commitments (agreement_id, responsible, due, id);
