-- Covering indexes for the registry's queries by party and by agreement
-- (package internal/regsql): the agreements of several parties are an
-- INTERSECT of lookups on (party, non_state) that no longer read the table,
-- and the commitments of a set of agreements are ordered by due date from the
-- index before their rows are read. They replace the narrower indexes.
CREATE INDEX IF NOT EXISTS agreement_parties_state ON agreement_parties (party, non_state, agreement_id);
DROP INDEX IF EXISTS agreement_parties_party;
CREATE INDEX IF NOT EXISTS commitments_agreement_due ON commitments (agreement_id, due, id);
DROP INDEX IF EXISTS commitments_agreement;
ANALYZE;
