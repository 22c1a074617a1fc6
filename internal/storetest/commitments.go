package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	concord "github.com/concord-project/concord"
)

// runDeleteCommitment tests AgreementStore.DeleteCommitment: only admins
// delete (as DeleteAgreement), at the version read (ErrConflict when stale,
// ErrNotFound when absent), refusals leave the store unchanged, and the
// history keeps the record as it was before; a delete racing updates of the
// same commitment never lets both win.
func runDeleteCommitment(t *testing.T, newStore func(t *testing.T) concord.Registry) {
	ctx := context.Background()

	t.Run("DeleteCommitment", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		c1, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: "DEU-FRA_2001A", Text: "Joint lab", Responsible: "FRA", Due: "2024-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		c2, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: "DEU-FRA_2001A", Text: "Exchange", Status: concord.CommitmentDone, Progress: 100})
		if err != nil {
			t.Fatal(err)
		}
		c1.Status, c1.Progress = concord.CommitmentInProgress, 30
		if c1, err = s.UpdateCommitment(ctx, Editor, c1); err != nil || c1.Version != 2 {
			t.Fatalf("UpdateCommitment: %+v, %v", c1, err)
		}

		before := RegistrySnapshot(t, s)
		for _, c := range []struct {
			name    string
			by      concord.User
			id      int64
			version int
			want    error
		}{
			{"anonymous", concord.User{}, c1.ID, 2, concord.ErrUnauthorized},
			{"viewer", Viewer, c1.ID, 2, concord.ErrForbidden},
			{"editor", Editor, c1.ID, 2, concord.ErrForbidden},
			{"disabled admin", concord.User{Name: "ada", Role: concord.RoleAdmin, Disabled: true}, c1.ID, 2, concord.ErrForbidden},
			{"stale version", Admin, c1.ID, 1, concord.ErrConflict},
			{"future version", Admin, c1.ID, 3, concord.ErrConflict},
			{"unknown id", Admin, c2.ID + 100, 1, concord.ErrNotFound},
		} {
			if err := s.DeleteCommitment(ctx, c.by, c.id, c.version); !errors.Is(err, c.want) {
				t.Errorf("DeleteCommitment %s: %v, want %v", c.name, err, c.want)
			}
			if RegistrySnapshot(t, s) != before {
				t.Fatalf("DeleteCommitment %s was refused, yet the store changed", c.name)
			}
		}
		if err := s.DeleteCommitment(ctx, Admin, c1.ID, 1); err == nil || !strings.Contains(err.Error(), "commitment "+strconv.FormatInt(c1.ID, 10)) {
			t.Errorf("stale delete error %v does not name commitment %d", err, c1.ID)
		}

		if err := s.DeleteCommitment(ctx, Admin, c1.ID, 2); err != nil {
			t.Fatalf("admin DeleteCommitment at the stored version: %v", err)
		}
		if _, err := s.Commitment(ctx, c1.ID); !errors.Is(err, concord.ErrNotFound) {
			t.Fatalf("deleted commitment read back: %v, want ErrNotFound", err)
		}
		if err := s.DeleteCommitment(ctx, Admin, c1.ID, 2); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("deleting it again: %v, want ErrNotFound", err)
		}
		if _, err := s.UpdateCommitment(ctx, Editor, c1); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("updating the deleted commitment: %v, want ErrNotFound", err)
		}
		cs, err := s.Commitments(ctx, concord.CommitmentFilter{AgreementID: "DEU-FRA_2001A"})
		if err != nil || len(cs) != 1 || cs[0].ID != c2.ID {
			t.Fatalf("commitments of DEU-FRA_2001A after the delete: %+v, %v; want only %d", cs, err, c2.ID)
		}
		if got, err := s.Commitment(ctx, c2.ID); err != nil || got.Version != 1 || got.Text != "Exchange" {
			t.Fatalf("the other commitment after the delete: %+v, %v", got, err)
		}
		if a, err := s.Agreement(ctx, "DEU-FRA_2001A"); err != nil || a.Version != 1 {
			t.Fatalf("the agreement after deleting one of its commitments: version %d, %v; want it untouched at 1", a.Version, err)
		}
		rates, err := s.Rates(ctx, concord.RateByAgreement, concord.CommitmentFilter{AgreementID: "DEU-FRA_2001A"}, "2025-01-01")
		if err != nil || len(rates) != 1 || rates[0].Total != 1 || rates[0].Done != 1 || rates[0].Overdue != 0 {
			t.Fatalf("rates after the delete: %+v, %v; want 1 commitment, done, none overdue", rates, err)
		}
		tl, err := s.Timeline(ctx, "FRA", "DEU")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range tl {
			if e.Date == "2024-06-30" {
				t.Errorf("the deleted commitment is still in the timeline: %+v", e)
			}
		}

		h, err := s.History(ctx, "commitment", strconv.FormatInt(c1.ID, 10))
		if err != nil || len(h) != 3 {
			t.Fatalf("history of the deleted commitment: %+v, %v; want create, update, delete", h, err)
		}
		d := h[2]
		if d.Action != "delete" || d.Who != Admin.Name || d.Version != 0 || d.After != "" || d.At.IsZero() || d.Entity != "commitment" {
			t.Fatalf("delete recorded as %+v", d)
		}
		var was concord.Commitment
		if err := json.Unmarshal([]byte(d.Before), &was); err != nil {
			t.Fatalf("before of the delete %q: %v", d.Before, err)
		}
		if was.ID != c1.ID || was.Version != 2 || was.Text != "Joint lab" || was.Status != concord.CommitmentInProgress || was.Progress != 30 || was.AgreementID != "DEU-FRA_2001A" {
			t.Fatalf("before of the delete %+v, want the commitment at version 2", was)
		}
	})

	t.Run("DeleteCommitmentRacingUpdates", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		c0, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: "KYOTO_1997P", Text: "contested"})
		if err != nil {
			t.Fatal(err)
		}
		const workers = 8
		var wg sync.WaitGroup
		var mu sync.Mutex
		updated, deleted := 0, 0
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := s.Commitment(ctx, c0.ID)
				if err == nil {
					if w%2 == 0 {
						c.Notes = fmt.Sprintf("w%d", w)
						_, err = s.UpdateCommitment(ctx, Editor, c)
					} else {
						err = s.DeleteCommitment(ctx, Admin, c.ID, c.Version)
					}
				}
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && w%2 == 0:
					updated++
				case err == nil:
					deleted++
				case errors.Is(err, concord.ErrConflict), errors.Is(err, concord.ErrNotFound):
				default:
					t.Errorf("worker %d: %v", w, err)
				}
			}()
		}
		wg.Wait()
		if deleted > 1 {
			t.Fatalf("%d deletes of one commitment succeeded", deleted)
		}
		h, err := s.History(ctx, "commitment", strconv.FormatInt(c0.ID, 10))
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 1+updated+deleted {
			t.Fatalf("history has %d changes, want create + %d updates + %d deletes", len(h), updated, deleted)
		}
		_, err = s.Commitment(ctx, c0.ID)
		if deleted == 1 {
			if !errors.Is(err, concord.ErrNotFound) || h[len(h)-1].Action != "delete" {
				t.Fatalf("deleted, yet the commitment reads %v and the last change is %s", err, h[len(h)-1].Action)
			}
			var was concord.Commitment
			json.Unmarshal([]byte(h[len(h)-1].Before), &was)
			if was.Version != 1+updated {
				t.Fatalf("the delete's before is version %d, want %d (after every accepted update)", was.Version, 1+updated)
			}
		} else if err != nil {
			t.Fatalf("no delete succeeded, yet reading the commitment: %v", err)
		}
	})
}
