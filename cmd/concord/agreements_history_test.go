package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
)

// concord agreements history ID: every change made under the agreement,
// oldest first, a commitment deleted since included, and still after the
// agreement is deleted; an id never used is an error naming it.
func TestAgreementsHistoryKeepsDeleted(t *testing.T) {
	db, _ := newRegistryDB(t, append(scienceAgreementRows("FRA"),
		"KYOTO_1997P,Kyoto Protocol,protocol,environment,,1997-12-11,,,Kyoto,in-force,,,,FRA,,1997-12-11,,,")...)
	addAdminAndEditor(t, db)
	mustRun(t, "commitments", "add", "--agreement", "DEU-FRA_2001A", "--text", "Joint lab", "--db", db, "--as", "eve")
	mustRun(t, "commitments", "add", "--agreement", "KYOTO_1997P", "--text", "Elsewhere", "--db", db, "--as", "eve")
	mustRun(t, "commitments", "update", "1", "--status", "in-progress", "--progress", "30", "--version", "1", "--db", db, "--as", "eve")
	mustRun(t, "commitments", "delete", "1", "--version", "2", "--db", db, "--as", "ada")

	history := func(what string) []concord.Change {
		t.Helper()
		var h []concord.Change
		if err := json.Unmarshal([]byte(mustRun(t, "agreements", "history", "DEU-FRA_2001A", "--db", db, "--format", "json")), &h); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return h
	}
	steps := func(h []concord.Change) string {
		var s []string
		for i, c := range h {
			if i > 0 && c.ID <= h[i-1].ID {
				t.Errorf("history not oldest first: change %d after %d", c.ID, h[i-1].ID)
			}
			who := c.Who
			if strings.HasPrefix(who, "local:") {
				who = "local"
			}
			s = append(s, c.Entity+" "+c.EntityID+" "+c.Action+" "+who)
		}
		return strings.Join(s, ", ")
	}
	full := "agreement DEU-FRA_2001A create local, commitment 1 create eve, commitment 1 update eve, commitment 1 delete ada"
	h := history("after the commitment's delete")
	if got := steps(h); got != full {
		t.Fatalf("history after the commitment's delete:\n  %s\nwant\n  %s", got, full)
	}
	if last := h[len(h)-1]; last.After != "" || !strings.Contains(last.Before, `"progress":30`) {
		t.Errorf("the commitment's delete: before %q after %q", last.Before, last.After)
	}

	mustRun(t, "agreements", "delete", "DEU-FRA_2001A", "--version", "1", "--db", db, "--as", "ada")
	if _, _, err := run(t, "agreements", "show", "DEU-FRA_2001A", "--db", db); !errors.Is(err, concord.ErrNotFound) {
		t.Fatalf("show the deleted agreement: %v, want not found", err)
	}
	if got, want := steps(history("after the agreement's delete")), full+", agreement DEU-FRA_2001A delete ada"; got != want {
		t.Errorf("history after the agreement's delete:\n  %s\nwant\n  %s", got, want)
	}
	if out := mustRun(t, "agreements", "history", "DEU-FRA_2001A", "--db", db); !strings.Contains(out, "commitment") || !strings.Contains(out, "delete") {
		t.Errorf("history as a table lacks the commitment's delete:\n%s", out)
	}

	if _, _, err := run(t, "agreements", "history", "NEVER_1999A", "--db", db); !errors.Is(err, concord.ErrNotFound) || !strings.Contains(err.Error(), "NEVER_1999A") {
		t.Errorf("history of an id never used: %v, want not found naming it", err)
	}
	// Without an id: every change in the registry, the other agreement's commitment too.
	var all []concord.Change
	json.Unmarshal([]byte(mustRun(t, "agreements", "history", "--db", db, "--format", "json")), &all)
	if got := steps(all); !strings.Contains(got, "commitment 2 create eve") || !strings.Contains(got, "agreement DEU-FRA_2001A delete ada") {
		t.Errorf("the whole registry's history: %s", got)
	}
}
