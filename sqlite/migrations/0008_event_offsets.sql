-- The evidence offsets get the names they have in PostgreSQL (where END is a
-- keyword), so that one set of queries (internal/eventsql) serves both stores.
ALTER TABLE event_mentions RENAME COLUMN start TO start_off;
ALTER TABLE event_mentions RENAME COLUMN "end" TO end_off;
