package concord_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"

	concord "github.com/concord-project/concord"
)

// TestAuthorizeRoles checks the whole matrix: each role may do what it should and nothing more.
func TestAuthorizeRoles(t *testing.T) {
	actions := []concord.Action{concord.ActionRead, concord.ActionWrite, concord.ActionDelete, concord.ActionManageUsers}
	want := map[concord.Role][]bool{
		concord.RoleViewer: {true, false, false, false},
		concord.RoleEditor: {true, true, false, false},
		concord.RoleAdmin:  {true, true, true, true},
		"":                 {false, false, false, false},
		"root":             {false, false, false, false},
	}
	for role, allowed := range want {
		for i, act := range actions {
			err := concord.Authorize(concord.User{Name: "u", Role: role}, act)
			if (err == nil) != allowed[i] {
				t.Errorf("role %q, action %s: %v, want allowed=%v", role, act, err, allowed[i])
			}
			if err != nil && !errors.Is(err, concord.ErrForbidden) {
				t.Errorf("role %q, action %s: %v is not ErrForbidden", role, act, err)
			}
		}
	}
	for _, act := range actions {
		if err := concord.Authorize(concord.User{Role: concord.RoleAdmin}, act); !errors.Is(err, concord.ErrUnauthorized) {
			t.Errorf("no user, %s: %v, want ErrUnauthorized", act, err)
		}
		if err := concord.Authorize(concord.User{Name: "a", Role: concord.RoleAdmin, Disabled: true}, act); !errors.Is(err, concord.ErrForbidden) {
			t.Errorf("disabled admin, %s: %v, want ErrForbidden", act, err)
		}
	}
	if err := concord.Authorize(concord.User{Name: "a", Role: concord.RoleAdmin}, "drop-tables"); err == nil {
		t.Error("an unknown action was allowed")
	}
}

func TestPasswordsAndTokens(t *testing.T) {
	h, err := concord.HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !concord.CheckPassword(h, "correct horse") || concord.CheckPassword(h, "correct horsE") || concord.CheckPassword("", "") {
		t.Error("CheckPassword")
	}
	h2, _ := concord.HashPassword("correct horse")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if _, err := concord.HashPassword("short"); err == nil {
		t.Error("a 5-character password was accepted")
	}
	s1, hash1 := concord.NewTokenSecret()
	s2, _ := concord.NewTokenSecret()
	if s1 == s2 || len(s1) < 40 || hash1 != concord.HashToken(s1) || hash1 == s1 {
		t.Errorf("tokens %q %q hash %q", s1, s2, hash1)
	}
}

func TestRateJSONNaN(t *testing.T) {
	b, err := json.Marshal([]concord.Rate{{Key: "x", Total: 1, Cancelled: 1, Rate: math.NaN()}, {Key: "y", Total: 2, Done: 1, Rate: 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"key":"x","total":1,"done":0,"cancelled":1,"overdue":0,"rate":null},{"key":"y","total":2,"done":1,"cancelled":0,"overdue":0,"rate":0.5}]`
	if string(b) != want {
		t.Errorf("got %s\nwant %s", b, want)
	}
}

func TestCommitmentOverdue(t *testing.T) {
	c := concord.Commitment{Due: "2024-06-30", Status: concord.CommitmentInProgress}
	if !c.OverdueOn("2024-07-01") || c.OverdueOn("2024-06-30") {
		t.Error("overdue is strictly after the due date")
	}
	c.Status = concord.CommitmentDone
	if c.OverdueOn("2030-01-01") {
		t.Error("a done commitment is never overdue")
	}
}

// An editor may change the registry but not manage users.
func ExampleAuthorize() {
	eve := concord.User{Name: "eve", Role: concord.RoleEditor}
	fmt.Println(concord.Authorize(eve, concord.ActionWrite))
	fmt.Println(concord.Authorize(eve, concord.ActionManageUsers))
	fmt.Println(concord.Authorize(concord.User{}, concord.ActionRead))
	// Output:
	// <nil>
	// forbidden: manage-users needs role admin, user eve is editor
	// not authenticated
}

func ExampleCheckDate() {
	for _, d := range []string{"2001-05-02", "1998?", "1964-XX-16", "1981-09..1981-10", "1976-06-31"} {
		fmt.Println(d, concord.CheckDate(d) == nil)
	}
	// Output:
	// 2001-05-02 true
	// 1998? true
	// 1964-XX-16 true
	// 1981-09..1981-10 true
	// 1976-06-31 false
}
