-- Covering indexes for the registry's queries by party and by agreement
-- (package internal/regsql), as SQLite's migration 0009: the agreements of
-- several parties are an INTERSECT of index-only lookups on (party,
-- non_state), and the commitments of a set of agreements are ordered by due
-- date from the index before their rows are read.
CREATE INDEX IF NOT EXISTS agreement_parties_state ON agreement_parties (party, non_state, agreement_id);
DROP INDEX IF EXISTS agreement_parties_party;
CREATE INDEX IF NOT EXISTS commitments_agreement_due ON commitments (agreement_id, due, id);
DROP INDEX IF EXISTS commitments_agreement;
