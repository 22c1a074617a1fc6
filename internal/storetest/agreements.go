package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
)

// Users of the registry tests, one per role, as a server would pass them after authenticating.
var (
	Admin  = concord.User{Name: "ada", Role: concord.RoleAdmin}
	Editor = concord.User{Name: "eve", Role: concord.RoleEditor}
	Viewer = concord.User{Name: "vic", Role: concord.RoleViewer}
)

// SampleAgreements returns a small registry: a bilateral FRA–DEU science
// agreement (2001), a multilateral environment treaty with FRA, DEU, USA
// and the EU (1997), a bilateral USA–CAN trade MoU (2010) and an undated
// health protocol of FRA and USA.
func SampleAgreements() []concord.Agreement {
	return []concord.Agreement{
		{ID: "DEU-FRA_2001A", Title: "Agreement on Scientific Cooperation", Kind: concord.KindAgreement, Fields: []string{"science"},
			Signed: "2001-05-02", Force: "2002-01-01", Place: "Paris", Status: concord.StatusInForce, Sources: []string{"UNTS 2201"}, Tags: []string{"research"},
			Parties: []concord.Party{{State: "FRA", Signature: "2001-05-02"}, {State: "DEU", Signature: "2001-05-02", Ratification: "2001-11-20"}}},
		{ID: "KYOTO_1997P", Title: "Kyoto Protocol", Kind: concord.KindTreaty, Fields: []string{"environment", "energy"},
			Signed: "1997-12-11", Force: "2005-02-16", Status: concord.StatusInForce,
			Parties: []concord.Party{{State: "FRA", Ratification: "2002-05-31"}, {State: "DEU", Ratification: "2002-05-31"},
				{State: "USA", Signature: "1998-11-12"}, {State: "CAN", Ratification: "2002-12-17", Withdrawal: "2012-12-15"},
				{State: "EU", NonState: true, Ratification: "2002-05-31"}}},
		{ID: "CAN-USA_2010M", Title: "Memorandum on Border Trade", Kind: concord.KindMoU, Fields: []string{"trade"},
			Signed: "2010-03", Status: concord.StatusSigned,
			Parties: []concord.Party{{State: "USA"}, {State: "CAN"}}},
		{ID: "FRA-USA_0000P", Title: "Protocol on Health Data", Kind: concord.KindProtocol, Fields: []string{"health"},
			Status: concord.StatusSigned, Parties: []concord.Party{{State: "FRA"}, {State: "USA"}}},
	}
}

func ids(as []concord.Agreement) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.ID
	}
	return strings.Join(s, " ")
}

// RegistrySnapshot is everything a registry holds, as text, to compare states of a store.
func RegistrySnapshot(t testing.TB, s concord.Registry) string {
	t.Helper()
	ctx := context.Background()
	as, err := s.Agreements(ctx, concord.AgreementFilter{WithParties: true})
	if err != nil {
		t.Fatalf("Agreements: %v", err)
	}
	cs, err := s.Commitments(ctx, concord.CommitmentFilter{})
	if err != nil {
		t.Fatalf("Commitments: %v", err)
	}
	h, err := s.History(ctx, "", "")
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	b, _ := json.Marshal([]any{as, cs, len(h)})
	return string(b)
}

func seed(t *testing.T, s concord.Registry) []concord.Agreement {
	t.Helper()
	st, err := s.ImportAgreements(context.Background(), Editor, SampleAgreements(), nil)
	if err != nil {
		t.Fatalf("ImportAgreements: %v", err)
	}
	if st.Added != 4 || st.Parties != 11 {
		t.Fatalf("import stats %+v, want 4 added with 11 parties", st)
	}
	return SampleAgreements()
}

// RunRegistry runs the conformance tests of concord.AgreementStore and
// concord.UserStore; newStore returns an empty store of its own for each test.
func RunRegistry(t *testing.T, newStore func(t *testing.T) concord.Registry) {
	ctx := context.Background()
	runDeleteCommitment(t, newStore) // commitments.go
	runAgreementHistory(t, newStore) // history.go

	t.Run("CreateReadFilter", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		a, err := s.Agreement(ctx, "KYOTO_1997P")
		if err != nil {
			t.Fatal(err)
		}
		if a.Version != 1 || a.NParties != 5 || len(a.Parties) != 5 || a.Parties[0].State != "CAN" || a.Parties[0].Withdrawal != "2012-12-15" {
			t.Fatalf("Kyoto read back as %+v", a)
		}
		if strings.Join(a.Fields, ",") != "energy,environment" || a.Created.IsZero() {
			t.Fatalf("fields %v (want sorted energy,environment), created %v", a.Fields, a.Created)
		}
		if _, err := s.Agreement(ctx, "NOPE"); !errors.Is(err, concord.ErrNotFound) {
			t.Fatalf("missing agreement: %v, want ErrNotFound", err)
		}
		for _, c := range []struct {
			f    concord.AgreementFilter
			want string
		}{
			{concord.AgreementFilter{}, "FRA-USA_0000P KYOTO_1997P DEU-FRA_2001A CAN-USA_2010M"},
			{concord.AgreementFilter{Parties: []string{"FRA", "DEU"}}, "KYOTO_1997P DEU-FRA_2001A"},
			{concord.AgreementFilter{Parties: []string{"FRA", "USA"}}, "FRA-USA_0000P KYOTO_1997P"},
			{concord.AgreementFilter{Parties: []string{"EU"}}, ""}, // non-state parties are not states
			{concord.AgreementFilter{Field: "energy"}, "KYOTO_1997P"},
			{concord.AgreementFilter{Kind: concord.KindMoU}, "CAN-USA_2010M"},
			{concord.AgreementFilter{From: 2000}, "DEU-FRA_2001A CAN-USA_2010M"},
			{concord.AgreementFilter{To: 2005}, "KYOTO_1997P DEU-FRA_2001A"},
			{concord.AgreementFilter{From: 1990, To: 2009, Parties: []string{"USA"}}, "KYOTO_1997P"},
			{concord.AgreementFilter{Status: concord.StatusSigned}, "FRA-USA_0000P CAN-USA_2010M"},
			{concord.AgreementFilter{Search: "kyoto"}, "KYOTO_1997P"},
			{concord.AgreementFilter{Limit: 2, Offset: 1}, "KYOTO_1997P DEU-FRA_2001A"},
		} {
			got, err := s.Agreements(ctx, c.f)
			if err != nil {
				t.Fatalf("%+v: %v", c.f, err)
			}
			if ids(got) != c.want {
				t.Errorf("Agreements(%+v) = %q, want %q", c.f, ids(got), c.want)
			}
		}
		n, p, err := s.CountAgreements(ctx)
		if err != nil || n != 4 || p != 11 {
			t.Fatalf("CountAgreements = %d, %d, %v; want 4, 11", n, p, err)
		}
	})

	t.Run("OptimisticLockingAndHistory", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		a, _ := s.Agreement(ctx, "DEU-FRA_2001A")
		stale := a
		a.Status = concord.StatusTerminated
		a.End = "2020-01-01"
		a2, err := s.UpdateAgreement(ctx, Editor, a)
		if err != nil {
			t.Fatal(err)
		}
		if a2.Version != 2 {
			t.Fatalf("version after update %d, want 2", a2.Version)
		}
		stale.Summary = "lost update?"
		if _, err := s.UpdateAgreement(ctx, Editor, stale); !errors.Is(err, concord.ErrConflict) {
			t.Fatalf("update at a stale version: %v, want ErrConflict", err)
		}
		got, _ := s.Agreement(ctx, a.ID)
		if got.Summary != "" || got.Status != concord.StatusTerminated || got.Version != 2 {
			t.Fatalf("after the conflict the record is %+v", got)
		}
		h, err := s.History(ctx, "agreement", a.ID)
		if err != nil || len(h) != 2 {
			t.Fatalf("history %v, %v; want create and update", h, err)
		}
		if h[0].Action != "create" || h[0].Who != Editor.Name || h[0].Before != "" || h[1].Action != "update" || h[1].Version != 2 {
			t.Fatalf("history %+v", h)
		}
		var before, after concord.Agreement
		json.Unmarshal([]byte(h[1].Before), &before)
		json.Unmarshal([]byte(h[1].After), &after)
		if before.Status != concord.StatusInForce || after.Status != concord.StatusTerminated || h[1].At.IsZero() {
			t.Fatalf("change before %s after %s at %v", before.Status, after.Status, h[1].At)
		}
		if _, err := s.CreateAgreement(ctx, Editor, SampleAgreements()[0]); !errors.Is(err, concord.ErrExists) {
			t.Fatalf("creating an existing id: %v, want ErrExists", err)
		}
		if err := s.DeleteAgreement(ctx, Admin, a.ID, 1); !errors.Is(err, concord.ErrConflict) {
			t.Fatalf("delete at stale version: %v, want ErrConflict", err)
		}
		if err := s.DeleteAgreement(ctx, Admin, a.ID, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Agreement(ctx, a.ID); !errors.Is(err, concord.ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
		if h, _ := s.History(ctx, "agreement", a.ID); len(h) != 3 || h[2].Action != "delete" || h[2].Who != Admin.Name {
			t.Fatalf("history after delete %+v", h)
		}
	})

	t.Run("BadInputLeavesStoreUnchanged", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		before := RegistrySnapshot(t, s)
		as := SampleAgreements()
		as[0].Title = "Changed title"
		bad := concord.Agreement{ID: "BAD_1", Title: "Bad date", Kind: concord.KindAgreement, Status: concord.StatusSigned, Signed: "2001-13-45"}
		_, err := s.ImportAgreements(ctx, Editor, append(as, bad), nil)
		if err == nil || !strings.Contains(err.Error(), "record 5") || !strings.Contains(err.Error(), "2001-13-45") {
			t.Fatalf("import with a bad date: %v, want an error naming record 5 and the date", err)
		}
		_, err = s.ImportAgreements(ctx, Editor, as, []concord.Commitment{{AgreementID: "NOT_THERE", Text: "x", Status: concord.CommitmentDone}})
		if !errors.Is(err, concord.ErrNotFound) {
			t.Fatalf("import with a commitment of an unknown agreement: %v, want ErrNotFound", err)
		}
		if after := RegistrySnapshot(t, s); after != before {
			t.Fatalf("failed imports changed the store")
		}
		st, err := s.ImportAgreements(ctx, Editor, as, nil)
		if err != nil || st.Updated != 1 || st.Unchanged != 3 || st.Added != 0 {
			t.Fatalf("re-import with one change: %+v, %v; want 1 updated, 3 unchanged", st, err)
		}
		if a, _ := s.Agreement(ctx, as[0].ID); a.Version != 2 || a.Title != "Changed title" {
			t.Fatalf("re-imported agreement %+v", a)
		}
		for _, a := range []concord.Agreement{
			{ID: "X", Title: "t", Kind: "pact", Status: concord.StatusSigned},
			{ID: "X", Title: "t", Kind: concord.KindMoU, Status: concord.StatusSigned, Fields: []string{"sport"}},
			{ID: "X", Title: "", Kind: concord.KindMoU, Status: concord.StatusSigned},
			{ID: "X", Title: "t", Kind: concord.KindMoU, Status: concord.StatusSigned, Parties: []concord.Party{{State: "FRA"}, {State: "FRA"}}},
		} {
			if _, err := s.CreateAgreement(ctx, Editor, a); err == nil {
				t.Errorf("CreateAgreement(%+v) accepted", a)
			}
		}
	})

	t.Run("CommitmentsDueOverdueRates", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		add := func(c concord.Commitment) concord.Commitment {
			t.Helper()
			c, err := s.CreateCommitment(ctx, Editor, c)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		c1 := add(concord.Commitment{AgreementID: "DEU-FRA_2001A", Text: "Joint lab", Responsible: "FRA", Due: "2024-06-30", Status: concord.CommitmentInProgress, Progress: 50})
		add(concord.Commitment{AgreementID: "DEU-FRA_2001A", Text: "Exchange", Responsible: "DEU", Due: "2023-01-01", Status: concord.CommitmentDone, Progress: 100})
		add(concord.Commitment{AgreementID: "DEU-FRA_2001A", Text: "Dropped", Due: "2022-01-01", Status: concord.CommitmentCancelled})
		add(concord.Commitment{AgreementID: "KYOTO_1997P", Text: "Cut emissions 8%", Responsible: "DEU", Due: "2012-12-31", Status: concord.CommitmentDone})
		add(concord.Commitment{AgreementID: "KYOTO_1997P", Text: "Report inventory", Responsible: "USA", Due: "2025-04-15"})
		add(concord.Commitment{AgreementID: "CAN-USA_2010M", Text: "Open crossing", Status: concord.CommitmentNotStarted})
		if c1.ID == 0 || c1.Version != 1 {
			t.Fatalf("created commitment %+v", c1)
		}
		if _, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: "NONE", Text: "x"}); !errors.Is(err, concord.ErrNotFound) {
			t.Fatalf("commitment of an unknown agreement: %v", err)
		}
		if _, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: "KYOTO_1997P", Text: "x", Due: "31/12/2025"}); err == nil {
			t.Fatal("a due date not YYYY-MM-DD was accepted")
		}
		texts := func(cs []concord.Commitment) string {
			var s []string
			for _, c := range cs {
				s = append(s, c.Text)
			}
			return strings.Join(s, "|")
		}
		for _, c := range []struct {
			f    concord.CommitmentFilter
			want string
		}{
			{concord.CommitmentFilter{OverdueOn: "2025-01-01"}, "Joint lab"},
			{concord.CommitmentFilter{OverdueOn: "2025-05-01"}, "Joint lab|Report inventory"},
			{concord.CommitmentFilter{DueFrom: "2024-01-01", DueTo: "2025-12-31"}, "Joint lab|Report inventory"},
			{concord.CommitmentFilter{AgreementID: "KYOTO_1997P"}, "Cut emissions 8%|Report inventory"},
			{concord.CommitmentFilter{Parties: []string{"USA", "CAN"}}, "Cut emissions 8%|Report inventory|Open crossing"},
			{concord.CommitmentFilter{Field: "science", Status: concord.CommitmentDone}, "Exchange"},
			{concord.CommitmentFilter{Responsible: "DEU"}, "Cut emissions 8%|Exchange"},
		} {
			got, err := s.Commitments(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if texts(got) != c.want {
				t.Errorf("Commitments(%+v) = %q, want %q", c.f, texts(got), c.want)
			}
		}
		rates, err := s.Rates(ctx, concord.RateByAgreement, concord.CommitmentFilter{}, "2025-05-01")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][4]int{"CAN-USA_2010M": {1, 0, 0, 0}, "DEU-FRA_2001A": {3, 1, 1, 1}, "KYOTO_1997P": {2, 1, 0, 1}}
		if len(rates) != 3 {
			t.Fatalf("rates by agreement %+v", rates)
		}
		for _, r := range rates {
			w := want[r.Key]
			if [4]int{r.Total, r.Done, r.Cancelled, r.Overdue} != w {
				t.Errorf("rate %s = %+v, want total/done/cancelled/overdue %v", r.Key, r, w)
			}
		}
		if rates[1].Rate != 0.5 || rates[2].Rate != 0.5 || rates[0].Rate != 0 {
			t.Errorf("rates %v %v %v, want 0, 0.5, 0.5", rates[0].Rate, rates[1].Rate, rates[2].Rate)
		}
		pair, err := s.Rates(ctx, concord.RateByPair, concord.CommitmentFilter{Parties: []string{"FRA", "DEU"}}, "2025-05-01")
		if err != nil || len(pair) != 1 || pair[0].Key != "DEU-FRA" || pair[0].Total != 5 || pair[0].Done != 2 || math.Abs(pair[0].Rate-0.5) > 1e-12 {
			t.Fatalf("rate of DEU-FRA %+v, %v; want 2 done of 4 counted", pair, err)
		}
		partners, err := s.Rates(ctx, concord.RateByPair, concord.CommitmentFilter{Parties: []string{"CAN"}}, "2025-05-01")
		if err != nil || fmt.Sprint(rateKeys(partners)) != "[CAN-DEU CAN-FRA CAN-USA]" {
			t.Fatalf("pairs of CAN %v, %v", rateKeys(partners), err)
		}
		fields, err := s.Rates(ctx, concord.RateByField, concord.CommitmentFilter{}, "2025-05-01")
		if err != nil || fmt.Sprint(rateKeys(fields)) != "[energy environment science trade]" || fields[0].Total != 2 {
			t.Fatalf("rates by field %+v, %v", fields, err)
		}
		if _, err := s.Rates(ctx, concord.RateByPair, concord.CommitmentFilter{}, "2025-05-01"); err == nil {
			t.Fatal("rates by pair without states accepted")
		}

		// Update with locking and history.
		c1.Status, c1.Progress = concord.CommitmentDone, 100
		c1b, err := s.UpdateCommitment(ctx, Editor, c1)
		if err != nil || c1b.Version != 2 {
			t.Fatalf("UpdateCommitment: %+v, %v", c1b, err)
		}
		c1.Notes = "stale"
		if _, err := s.UpdateCommitment(ctx, Editor, c1); !errors.Is(err, concord.ErrConflict) {
			t.Fatalf("stale commitment update: %v, want ErrConflict", err)
		}
		h, _ := s.History(ctx, "commitment", fmt.Sprint(c1.ID))
		if len(h) != 2 || !strings.Contains(h[1].Before, `"in-progress"`) || !strings.Contains(h[1].After, `"done"`) {
			t.Fatalf("commitment history %+v", h)
		}

		tl, err := s.Timeline(ctx, "FRA", "DEU")
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, e := range tl {
			steps = append(steps, e.Date+" "+e.State+" "+e.Event)
		}
		got := strings.Join(steps, "; ")
		for _, w := range []string{"1997-12-11  signed", "2001-05-02  signed", "2001-11-20 DEU ratified", "2002-05-31 FRA ratified", "2005-02-16  in-force", "2024-06-30 FRA commitment-due: Joint lab"} {
			if !strings.Contains(got, w) {
				t.Errorf("timeline FRA-DEU lacks %q: %s", w, got)
			}
		}
		for i := 1; i < len(tl); i++ {
			if tl[i].Date < tl[i-1].Date {
				t.Fatalf("timeline not in date order: %s", got)
			}
		}
		if strings.Contains(got, "USA") || strings.Contains(got, "CAN-USA") {
			t.Errorf("timeline of FRA-DEU shows other states' steps: %s", got)
		}
	})

	t.Run("Access", func(t *testing.T) {
		s := newStore(t)
		// The first user of an empty store is made an admin, whoever creates it.
		first, err := s.CreateUser(ctx, concord.User{}, "ada", concord.RoleViewer, "correct horse")
		if err != nil || first.Role != concord.RoleAdmin {
			t.Fatalf("first user %+v, %v; want an admin", first, err)
		}
		if _, err := s.CreateUser(ctx, concord.User{}, "mallory", concord.RoleAdmin, "password1"); !errors.Is(err, concord.ErrUnauthorized) {
			t.Fatalf("second user without an actor: %v, want ErrUnauthorized", err)
		}
		if _, err := s.CreateUser(ctx, Admin, "eve", concord.RoleEditor, "editor-pass"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, Admin, "vic", concord.RoleViewer, "viewer-pass"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, Admin, "vic", concord.RoleViewer, "viewer-pass"); !errors.Is(err, concord.ErrExists) {
			t.Fatalf("duplicate user: %v", err)
		}
		if _, err := s.CreateUser(ctx, Admin, "short", concord.RoleViewer, "abc"); err == nil {
			t.Fatal("a 3-character password was accepted")
		}
		if _, err := s.CreateUser(ctx, Editor, "x", concord.RoleViewer, "long enough"); !errors.Is(err, concord.ErrForbidden) {
			t.Fatalf("editor creating a user: %v, want ErrForbidden", err)
		}
		if u, err := s.Authenticate(ctx, "eve", "editor-pass"); err != nil || u.Role != concord.RoleEditor {
			t.Fatalf("Authenticate: %+v, %v", u, err)
		}
		for _, c := range [][2]string{{"eve", "wrong-pass"}, {"nobody", "editor-pass"}, {"eve", ""}} {
			if _, err := s.Authenticate(ctx, c[0], c[1]); !errors.Is(err, concord.ErrUnauthorized) {
				t.Errorf("Authenticate(%q, %q): %v, want ErrUnauthorized", c[0], c[1], err)
			}
		}

		a := SampleAgreements()[0]
		// Viewers and anonymous users write nothing; editors write but do not delete.
		if _, err := s.CreateAgreement(ctx, Viewer, a); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("viewer CreateAgreement: %v", err)
		}
		if _, err := s.CreateAgreement(ctx, concord.User{}, a); !errors.Is(err, concord.ErrUnauthorized) {
			t.Errorf("anonymous CreateAgreement: %v", err)
		}
		if _, err := s.ImportAgreements(ctx, Viewer, []concord.Agreement{a}, nil); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("viewer import: %v", err)
		}
		created, err := s.CreateAgreement(ctx, Editor, a)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateAgreement(ctx, Viewer, created); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("viewer UpdateAgreement: %v", err)
		}
		if _, err := s.CreateCommitment(ctx, Viewer, concord.Commitment{AgreementID: a.ID, Text: "x"}); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("viewer CreateCommitment: %v", err)
		}
		c, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: a.ID, Text: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateCommitment(ctx, Viewer, c); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("viewer UpdateCommitment: %v", err)
		}
		if err := s.DeleteAgreement(ctx, Editor, a.ID, created.Version); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("editor DeleteAgreement: %v", err)
		}
		if err := s.SetRole(ctx, Editor, "vic", concord.RoleAdmin); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("editor SetRole: %v", err)
		}
		disabled := Editor
		disabled.Disabled = true
		if _, err := s.CreateCommitment(ctx, disabled, concord.Commitment{AgreementID: a.ID, Text: "x"}); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("disabled editor writes: %v", err)
		}
		if err := s.SetRole(ctx, Admin, "vic", concord.RoleEditor); err != nil {
			t.Fatal(err)
		}
		if u, _ := s.User(ctx, "vic"); u.Role != concord.RoleEditor {
			t.Fatalf("role after SetRole %s", u.Role)
		}
		if err := s.SetPassword(ctx, Viewer, "eve", "hijacked!"); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("a user setting another's password: %v", err)
		}
		if err := s.SetPassword(ctx, Editor, "eve", "new-editor-pass"); err != nil {
			t.Fatalf("own password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "eve", "new-editor-pass"); err != nil {
			t.Fatal("new password does not authenticate")
		}

		// Tokens: shown once, stored as hashes, revocable, dead with a disabled user.
		secret, tok, err := s.CreateToken(ctx, Editor, "eve", "script")
		if err != nil || !strings.HasPrefix(secret, concord.TokenPrefix) || tok.ID == "" {
			t.Fatalf("CreateToken: %q %+v %v", secret, tok, err)
		}
		if _, _, err := s.CreateToken(ctx, Viewer, "eve", "steal"); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("token for another user: %v", err)
		}
		if u, err := s.TokenUser(ctx, secret); err != nil || u.Name != "eve" {
			t.Fatalf("TokenUser: %+v, %v", u, err)
		}
		for _, bad := range []string{"", secret + "x", concord.TokenPrefix + "AAAA"} {
			if _, err := s.TokenUser(ctx, bad); !errors.Is(err, concord.ErrUnauthorized) {
				t.Errorf("TokenUser(%q): %v", bad, err)
			}
		}
		h, _ := s.History(ctx, "", "")
		for _, c := range h {
			if strings.Contains(c.Before+c.After, secret[len(concord.TokenPrefix):]) || strings.Contains(c.Before+c.After, "$2a$") {
				t.Fatalf("a secret or password hash leaked into the history: %+v", c)
			}
		}
		if ts, _ := s.Tokens(ctx, "eve"); len(ts) != 1 || ts[0].LastUsed.IsZero() {
			t.Fatalf("Tokens %+v", ts)
		}
		if err := s.SetDisabled(ctx, Admin, "eve", true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, secret); !errors.Is(err, concord.ErrUnauthorized) {
			t.Errorf("token of a disabled user: %v", err)
		}
		if _, err := s.Authenticate(ctx, "eve", "new-editor-pass"); !errors.Is(err, concord.ErrUnauthorized) {
			t.Errorf("password of a disabled user: %v", err)
		}
		s.SetDisabled(ctx, Admin, "eve", false)

		// Sessions: a secret for the cookie, a CSRF token, logout, expiry.
		sec, csrf, err := s.CreateSession(ctx, "eve", time.Hour)
		if err != nil || sec == "" || csrf == "" || sec == csrf {
			t.Fatalf("CreateSession: %q %q %v", sec, csrf, err)
		}
		if u, c, err := s.SessionUser(ctx, sec); err != nil || u.Name != "eve" || u.Role != concord.RoleEditor || !concord.CheckCSRF(c, csrf) {
			t.Fatalf("SessionUser: %+v %q %v", u, c, err)
		}
		if concord.CheckCSRF(csrf, "") || concord.CheckCSRF(csrf, csrf+"x") || concord.CheckCSRF("", "") {
			t.Fatal("CheckCSRF accepted a wrong token")
		}
		if _, _, err := s.SessionUser(ctx, sec+"x"); !errors.Is(err, concord.ErrUnauthorized) {
			t.Errorf("unknown session: %v", err)
		}
		if err := s.DeleteSession(ctx, sec); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, sec); !errors.Is(err, concord.ErrUnauthorized) {
			t.Errorf("session after logout: %v", err)
		}
		short, _, err := s.CreateSession(ctx, "eve", time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
		if _, _, err := s.SessionUser(ctx, short); !errors.Is(err, concord.ErrUnauthorized) {
			t.Errorf("expired session: %v", err)
		}
		if _, _, err := s.CreateSession(ctx, "nobody", time.Hour); !errors.Is(err, concord.ErrNotFound) {
			t.Errorf("session of an unknown user: %v", err)
		}

		if err := s.RevokeToken(ctx, Editor, "eve", tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, secret); !errors.Is(err, concord.ErrUnauthorized) {
			t.Errorf("revoked token: %v", err)
		}
	})

	t.Run("ConcurrentEdits", func(t *testing.T) {
		s := newStore(t)
		seed(t, s)
		c0, err := s.CreateCommitment(ctx, Editor, concord.Commitment{AgreementID: "KYOTO_1997P", Text: "shared"})
		if err != nil {
			t.Fatal(err)
		}
		const workers, rounds = 8, 6
		var mu sync.Mutex
		accepted, conflicts := map[string]bool{}, 0
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range rounds {
					mark := fmt.Sprintf("w%d-r%d", w, r)
					var err error
					if r%2 == 0 {
						var a concord.Agreement
						if a, err = s.Agreement(ctx, "DEU-FRA_2001A"); err == nil {
							a.Summary = mark
							_, err = s.UpdateAgreement(ctx, Editor, a)
						}
					} else {
						var c concord.Commitment
						if c, err = s.Commitment(ctx, c0.ID); err == nil {
							c.Notes = mark
							_, err = s.UpdateCommitment(ctx, Editor, c)
						}
					}
					mu.Lock()
					switch {
					case err == nil:
						accepted[mark] = true
					case errors.Is(err, concord.ErrConflict):
						conflicts++
					default:
						t.Errorf("%s: %v", mark, err)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(accepted)+conflicts != workers*rounds || len(accepted) == 0 {
			t.Fatalf("%d accepted + %d conflicts, want %d", len(accepted), conflicts, workers*rounds)
		}
		inHistory := map[string]bool{}
		for _, ent := range [][2]string{{"agreement", "DEU-FRA_2001A"}, {"commitment", fmt.Sprint(c0.ID)}} {
			h, err := s.History(ctx, ent[0], ent[1])
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range h[1:] {
				if c.Version != i+2 {
					t.Fatalf("%s history versions not consecutive: %d at %d", ent[0], c.Version, i+1)
				}
				var v struct{ Summary, Notes string }
				json.Unmarshal([]byte(c.After), &v)
				inHistory[v.Summary+v.Notes] = true
			}
		}
		for m := range accepted {
			if !inHistory[m] {
				t.Errorf("accepted change %s is not in the history", m)
			}
		}
		if len(inHistory) != len(accepted) {
			t.Errorf("history has %d changes, %d were accepted", len(inHistory), len(accepted))
		}
		t.Logf("%d accepted, %d conflicts", len(accepted), conflicts)
	})
}

func rateKeys(rs []concord.Rate) []string {
	var k []string
	for _, r := range rs {
		k = append(k, r.Key)
	}
	return k
}
