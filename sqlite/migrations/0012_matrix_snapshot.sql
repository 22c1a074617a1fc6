-- The vote matrix as Matrix last built it, for the import it reflects
-- (import_log.id of the last import): reading it back takes milliseconds
-- where building it from the votes table takes about half a second on the
-- whole record. Every write to roll calls and votes is an import that adds
-- to import_log, so a snapshot of another import is stale and not used.
CREATE TABLE IF NOT EXISTS matrix_snapshot (
	import_id INTEGER PRIMARY KEY,
	data      BLOB NOT NULL
);
