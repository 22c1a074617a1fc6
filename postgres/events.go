package postgres

import "github.com/concord-project/concord/internal/eventsql"

// EventStore returns the store of coded events (a concord.EventStore, with
// Counts) in this database, shared by many `concord events worker` processes:
// articles are unique by content hash and events by key, so writing the same
// article twice (a redelivered job) changes nothing. It is a value of its own
// because the registry's Timeline (agreements) and the events' Timeline
// (monthly scores) share a name.
func (db *DB) EventStore() *eventsql.Store { return eventsql.New(db.sql, true) }
