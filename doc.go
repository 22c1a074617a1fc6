// Package concord holds the domain of concord, a toolkit for analysing how
// states align: UN General Assembly roll calls and votes, the states that cast
// them, and the interfaces that stores implement.
//
// The root package imports nothing of the project. Readers (unga), stores
// (sqlite), analyses (align) and faces (cmd/concord) depend on it, never the
// other way round, following Ben Johnson's Standard Package Layout.
package concord
