-- Covering indexes for a pair's timeline (package internal/regsql,
-- Store.TimelinePage): the two states' dates under each agreement they share
-- are read from the index on (party, non_state, agreement_id …) without the
-- table, and the commitments due of either state (or of all parties) are
-- looked up by (agreement_id, responsible) rather than by reading every
-- commitment of the shared agreements. agreement_parties_dates has the
-- columns of agreement_parties_state first and replaces it.
CREATE INDEX IF NOT EXISTS agreement_parties_dates ON agreement_parties (party, non_state, agreement_id, signature, ratification, force_date, withdrawal);
DROP INDEX IF EXISTS agreement_parties_state;
CREATE INDEX IF NOT EXISTS commitments_responsible_due ON commitments (agreement_id, responsible, due, id);
