package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
)

// concord commitments delete: admins only, at the version read, the record
// kept in the history; bad arguments say what is wrong.
func TestCommitmentsDelete(t *testing.T) {
	db, _ := newRegistryDB(t, scienceAgreementRows("FRA")...)
	addAdminAndEditor(t, db)
	mustRun(t, "users", "add", "vic", "--role", "viewer", "--db", db, "--as", "ada")
	mustRun(t, "commitments", "add", "--agreement", "DEU-FRA_2001A", "--text", "Joint lab", "--due", "2024-06-30", "--db", db, "--as", "eve")
	mustRun(t, "commitments", "add", "--agreement", "DEU-FRA_2001A", "--text", "Exchange", "--db", db, "--as", "eve")
	mustRun(t, "commitments", "update", "1", "--status", "in-progress", "--version", "1", "--db", db, "--as", "eve")

	list := func() []concord.Commitment {
		var l struct{ Commitments []concord.Commitment }
		json.Unmarshal([]byte(mustRun(t, "commitments", "list", "--db", db, "--format", "json")), &l)
		return l.Commitments
	}
	for _, c := range []struct {
		args []string
		want error  // errors.Is
		msg  string // or a message naming the problem
	}{
		{[]string{"1", "--version", "2", "--as", "vic"}, concord.ErrForbidden, ""},
		{[]string{"1", "--version", "2", "--as", "eve"}, concord.ErrForbidden, ""},
		{[]string{"1", "--version", "1", "--as", "ada"}, concord.ErrConflict, ""},
		{[]string{"9", "--version", "1", "--as", "ada"}, concord.ErrNotFound, ""},
		{[]string{"1", "--as", "ada"}, nil, "--version"},
		{[]string{"one", "--version", "2", "--as", "ada"}, nil, `"one"`},
		{[]string{"1", "--version", "2", "--as", "nobody"}, nil, "no such user"},
	} {
		_, _, err := run(t, append([]string{"commitments", "delete", "--db", db}, c.args...)...)
		if c.want != nil && !errors.Is(err, c.want) || c.msg != "" && (err == nil || !strings.Contains(err.Error(), c.msg)) {
			t.Errorf("commitments delete %s: %v, want %v %s", strings.Join(c.args, " "), err, c.want, c.msg)
		}
		if n := len(list()); n != 2 {
			t.Fatalf("commitments delete %s was refused, yet %d commitments are left", strings.Join(c.args, " "), n)
		}
	}

	_, errOut, err := run(t, "commitments", "delete", "1", "--version", "2", "--db", db, "--as", "ada")
	if err != nil || !strings.Contains(errOut, "commitment 1 deleted") {
		t.Fatalf("admin delete at the current version: %v %q", err, errOut)
	}
	if cs := list(); len(cs) != 1 || cs[0].Text != "Exchange" {
		t.Fatalf("after the delete: %+v", cs)
	}
	var hist []concord.Change
	json.Unmarshal([]byte(mustRun(t, "commitments", "history", "1", "--db", db, "--format", "json")), &hist)
	if len(hist) != 3 || hist[2].Action != "delete" || hist[2].Who != "ada" || !strings.Contains(hist[2].Before, `"in-progress"`) {
		t.Fatalf("history of the deleted commitment: %+v", hist)
	}
}
