package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// registryHeader is the header of a registry CSV (one row per party).
const registryHeader = "id,title,kind,fields,subject,signed,force,end,place,status,sources,summary,tags,party,non_state,party_signature,party_ratification,party_force,party_withdrawal"

// scienceAgreementRows are the two party rows of a bilateral agreement
// between France (spelt first) and Germany.
func scienceAgreementRows(france string) []string {
	return []string{
		"DEU-FRA_2001A,Science Agreement,agreement,science,,2001-05-02,,,Paris,in-force,,,," + france + ",,2001-05-02,,,",
		"DEU-FRA_2001A,Science Agreement,agreement,science,,2001-05-02,,,Paris,in-force,,,,DEU,,2001-05-02,2001-11-20,,",
	}
}

// newRegistryDB imports a registry CSV of rows (after the header) into a new
// store in a temporary folder and returns the store's path and the folder.
func newRegistryDB(t *testing.T, rows ...string) (db, dir string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "c.db")
	reg := filepath.Join(dir, "reg.csv")
	if err := os.WriteFile(reg, []byte(strings.Join(append([]string{registryHeader}, rows...), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "agreements", "import", reg, "--db", db) // as the local OS user (admin on a SQLite file)
	return db, dir
}

// addAdminAndEditor adds the users ada (admin) and eve (editor).
func addAdminAndEditor(t *testing.T, db string) {
	t.Helper()
	t.Setenv("CONCORD_NEW_PASSWORD", "a long passphrase")
	mustRun(t, "users", "add", "ada", "--role", "admin", "--db", db)
	mustRun(t, "users", "add", "eve", "--role", "editor", "--db", db, "--as", "ada")
}
