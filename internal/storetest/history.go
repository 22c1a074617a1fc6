package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
)

// AgreementHistorian is a registry that lists every change made under an
// agreement: its own and its commitments', deleted ones included
// (regsql.Store.AgreementHistory).
type AgreementHistorian interface {
	AgreementHistory(ctx context.Context, id string) ([]concord.Change, error)
}

// changeList is a history as "entity id action vN who" lines, for messages and comparisons.
func changeList(h []concord.Change) string {
	var s []string
	for _, c := range h {
		s = append(s, fmt.Sprintf("%s %s %s v%d %s", c.Entity, c.EntityID, c.Action, c.Version, c.Who))
	}
	return strings.Join(s, "\n")
}

// runAgreementHistory tests the history of an agreement: every change made
// under it, oldest first — its own, and its commitments' including those of
// commitments deleted since — also once the agreement itself is deleted;
// History of one record keeps listing that record's changes only.
func runAgreementHistory(t *testing.T, newStore func(t *testing.T) concord.Registry) {
	ctx := context.Background()

	t.Run("AgreementHistoryKeepsDeletedCommitments", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		ah, ok := s.(AgreementHistorian)
		if !ok {
			t.Fatalf("%T has no AgreementHistory", s)
		}
		history := func(id string) []concord.Change {
			t.Helper()
			h, err := ah.AgreementHistory(ctx, id)
			if err != nil {
				t.Fatalf("AgreementHistory(%s): %v", id, err)
			}
			for i := 1; i < len(h); i++ {
				if h[i].ID <= h[i-1].ID {
					t.Fatalf("AgreementHistory(%s) not oldest first:\n%s", id, changeList(h))
				}
			}
			return h
		}
		const id = "DEU-FRA_2001A"
		c, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: id, Text: "Joint lab", Responsible: "FRA", Due: "2024-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: "KYOTO_1997P", Text: "Cut emissions", Responsible: "DEU"})
		if err != nil {
			t.Fatal(err)
		}
		c.Status, c.Progress = concord.CommitmentInProgress, 40
		if c, err = s.UpdateCommitment(ctx, Editor, c); err != nil {
			t.Fatal(err)
		}
		a, _ := s.Agreement(ctx, id)
		a.Summary = "Labs and exchanges"
		if a, err = s.UpdateAgreement(ctx, Editor, a); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCommitment(ctx, Admin, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		cid := strconv.FormatInt(c.ID, 10)
		want := strings.Join([]string{
			"agreement " + id + " create v1 eve",
			"commitment " + cid + " create v1 eve",
			"commitment " + cid + " update v2 eve",
			"agreement " + id + " update v2 eve",
			"commitment " + cid + " delete v0 ada",
		}, "\n")
		h := history(id)
		if got := changeList(h); got != want {
			t.Fatalf("history of %s after deleting commitment %s:\n%s\nwant\n%s", id, cid, got, want)
		}
		var before concord.Commitment
		if err := json.Unmarshal([]byte(h[4].Before), &before); err != nil || before.Text != "Joint lab" || before.Progress != 40 || h[4].After != "" {
			t.Fatalf("the delete keeps the commitment as it was: before %q (%v), after %q", h[4].Before, err, h[4].After)
		}
		if !strings.Contains(h[1].After, `"Joint lab"`) || !strings.Contains(h[2].Before, `"not-started"`) || !strings.Contains(h[2].After, `"in-progress"`) {
			t.Fatalf("commitment changes without their records: %+v", h[1:3])
		}
		// The record's own history is unchanged: the commitment's three changes, the agreement's two.
		if own, _ := s.History(ctx, "commitment", cid); changeList(own) != "commitment "+cid+" create v1 eve\ncommitment "+cid+" update v2 eve\ncommitment "+cid+" delete v0 ada" {
			t.Fatalf("History of commitment %s:\n%s", cid, changeList(own))
		}
		if own, _ := s.History(ctx, "agreement", id); changeList(own) != "agreement "+id+" create v1 eve\nagreement "+id+" update v2 eve" {
			t.Fatalf("History of agreement %s:\n%s", id, changeList(own))
		}
		// Other agreements' histories hold their own changes only.
		if got := changeList(history("KYOTO_1997P")); got != "agreement KYOTO_1997P create v1 eve\ncommitment "+strconv.FormatInt(other.ID, 10)+" create v1 eve" {
			t.Fatalf("history of KYOTO_1997P:\n%s", got)
		}

		// Deleting the agreement deletes its commitments; its history keeps all
		// of it, and is still there for the deleted agreement's id.
		c2, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: id, Text: "Exchange", Responsible: "DEU"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteAgreement(ctx, Admin, id, a.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Agreement(ctx, id); !errors.Is(err, concord.ErrNotFound) {
			t.Fatalf("deleted agreement: %v", err)
		}
		c2id := strconv.FormatInt(c2.ID, 10)
		want += "\ncommitment " + c2id + " create v1 eve\ncommitment " + c2id + " delete v0 ada\nagreement " + id + " delete v0 ada"
		if got := changeList(history(id)); got != want {
			t.Fatalf("history of the deleted agreement %s:\n%s\nwant\n%s", id, got, want)
		}

		// An id used again continues its history; an id never used has none.
		if _, err := s.CreateAgreement(ctx, Editor, SampleAgreements()[0]); err != nil {
			t.Fatal(err)
		}
		want += "\nagreement " + id + " create v1 eve"
		if got := changeList(history(id)); got != want {
			t.Fatalf("history of %s created again:\n%s\nwant\n%s", id, got, want)
		}
		// The ids of deleted commitments are not given again: their histories stay theirs.
		c3, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: id, Text: "Exchange again"})
		if err != nil {
			t.Fatal(err)
		}
		if c3.ID <= c2.ID {
			t.Fatalf("a new commitment got id %d, after commitment %d was deleted", c3.ID, c2.ID)
		}
		if own, _ := s.History(ctx, "commitment", c2id); changeList(own) != "commitment "+c2id+" create v1 eve\ncommitment "+c2id+" delete v0 ada" {
			t.Fatalf("History of the deleted commitment %s:\n%s", c2id, changeList(own))
		}
		if h := history("NEVER_1999"); len(h) != 0 {
			t.Fatalf("history of an unknown id: %+v", h)
		}
	})

	t.Run("ImportCommitmentsAddsEachOnceWithItsChange", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		ah, ok := s.(AgreementHistorian)
		if !ok {
			t.Fatalf("%T has no AgreementHistory", s)
		}
		first, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: "KYOTO_1997P", Text: "Report", Responsible: "USA", Due: "2025-04-15"})
		if err != nil {
			t.Fatal(err)
		}
		cs := []concord.Commitment{
			{AgreementID: "DEU-FRA_2001A", Text: "Joint lab", Responsible: "FRA", Due: "2024-06-30", Status: concord.CommitmentInProgress, Progress: 10, Evidence: []string{"https://example.org/a"}, Notes: "n"},
			{AgreementID: "KYOTO_1997P", Text: "Report", Responsible: "USA", Due: "2025-04-15", Status: concord.CommitmentDone},      // stored already
			{AgreementID: "DEU-FRA_2001A", Text: "Joint lab", Responsible: "FRA", Due: "2024-06-30", Status: concord.CommitmentDone}, // as the first
			{AgreementID: "DEU-FRA_2001A", Text: "Joint lab", Responsible: "DEU", Due: "2024-06-30", Status: concord.CommitmentDone}, // another party
			{AgreementID: "DEU-FRA_2001A", Text: "Joint lab", Responsible: "FRA", Status: concord.CommitmentNotStarted},              // undated
			{AgreementID: "CAN-USA_2010M", Text: "Open crossing", Status: concord.CommitmentNotStarted},
		}
		st, err := s.ImportAgreements(ctx, Admin, SampleAgreements(), cs)
		if err != nil || st.Commitments != 4 || st.Unchanged != 4 {
			t.Fatalf("import: %+v, %v; want 4 commitments added, 4 agreements unchanged", st, err)
		}
		all, err := s.Commitments(ctx, concord.CommitmentFilter{})
		if err != nil || len(all) != 5 {
			t.Fatalf("commitments after the import: %d, %v; want 5", len(all), err)
		}
		byID := map[int64]concord.Commitment{}
		for _, c := range all {
			byID[c.ID] = c
		}
		// Ids follow the order of the input, after those stored; each has its creation record.
		h, _ := s.History(ctx, "", "")
		var created []concord.Change
		for _, ch := range h {
			if ch.Entity == "commitment" && ch.Who == Admin.Name {
				created = append(created, ch)
			}
		}
		if len(created) != 4 {
			t.Fatalf("creation records of the import:\n%s", changeList(created))
		}
		for i, k := range []int{0, 3, 4, 5} {
			ch := created[i]
			id, _ := strconv.ParseInt(ch.EntityID, 10, 64)
			c, ok := byID[id]
			if !ok || id <= first.ID || (i > 0 && id <= mustID(t, created[i-1].EntityID)) {
				t.Fatalf("commitment %d of the import has id %s (first stored %d)", k+1, ch.EntityID, first.ID)
			}
			if c.Text != cs[k].Text || c.Responsible != cs[k].Responsible || c.Due != cs[k].Due || c.Status != cs[k].Status || c.Version != 1 {
				t.Fatalf("commitment %d of the import stored as %+v", k+1, c)
			}
			after, _ := json.Marshal(c)
			if ch.Action != "create" || ch.Version != 1 || ch.Before != "" || ch.After != string(after) {
				t.Fatalf("creation record of commitment %d: %+v\nwant after %s", k+1, ch, after)
			}
		}
		ag, _ := ah.AgreementHistory(ctx, "DEU-FRA_2001A")
		if len(ag) != 4 || ag[0].Entity != "agreement" || ag[3].Entity != "commitment" {
			t.Fatalf("history of DEU-FRA_2001A after the import:\n%s", changeList(ag))
		}
		// A commitment created afterwards gets a new id.
		next, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: "CAN-USA_2010M", Text: "Later"})
		if err != nil {
			t.Fatalf("CreateCommitment after the import: %v", err)
		}
		if _, dup := byID[next.ID]; dup {
			t.Fatalf("CreateCommitment after the import reused id %d", next.ID)
		}

		// Importing it all again adds nothing; a new one is added; a
		// commitment of an unknown agreement, even after good ones, fails the
		// import and leaves the store as it was.
		st, err = s.ImportAgreements(ctx, Admin, SampleAgreements(), append(cs, concord.Commitment{AgreementID: "CAN-USA_2010M", Text: "Open crossing", Responsible: "CAN", Status: concord.CommitmentDone}))
		if err != nil || st.Commitments != 1 {
			t.Fatalf("re-import with one new commitment: %+v, %v", st, err)
		}
		before := RegistrySnapshot(t, s)
		bad := append(cs, concord.Commitment{AgreementID: "DEU-FRA_2001A", Text: "New", Status: concord.CommitmentDone},
			concord.Commitment{AgreementID: "NOT_THERE", Text: "x", Status: concord.CommitmentDone})
		if _, err := s.ImportAgreements(ctx, Admin, SampleAgreements(), bad); !errors.Is(err, concord.ErrNotFound) || !strings.Contains(err.Error(), "NOT_THERE") {
			t.Fatalf("import with a commitment of an unknown agreement: %v, want ErrNotFound naming it", err)
		}
		if RegistrySnapshot(t, s) != before {
			t.Fatal("a failed import changed the store")
		}
	})
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("commitment id %q: %v", s, err)
	}
	return id
}
