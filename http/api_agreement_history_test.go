package http

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
)

// An agreement's history holds every change made under it, oldest first: its
// own and its commitments', a commitment deleted since included, and is
// still served (200) after the agreement itself is deleted; an id never used
// is 404. The agreement's page shows the same history, newest first.
func TestRegistryAgreementHistoryKeepsDeleted(t *testing.T) {
	eachStore(t, func(t *testing.T, e *regEnv) {
		eve, ada := e.tokens["eve"], e.tokens["ada"]
		const id = "BRA-IND_2020M"
		history := func(what string) []string {
			t.Helper()
			r := e.do(t, req{method: "GET", path: "/api/v1/agreements/" + id + "/history"})
			if r.code != 200 {
				t.Fatalf("%s: history %d %s, want 200", what, r.code, r.body)
			}
			var got []string
			var last int64
			for _, c := range decodeAs[historyResult](t, r).Changes {
				if c.ID <= last {
					t.Errorf("%s: history not oldest first: change %d after %d", what, c.ID, last)
				}
				last = c.ID
				got = append(got, fmt.Sprintf("%s %s %s v%d %s", c.Entity, c.EntityID, c.Action, c.Version, c.Who))
			}
			return got
		}
		want := func(what string, got []string, want ...string) {
			t.Helper()
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s: history\n  %s\nwant\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		}

		if r := e.do(t, req{method: "POST", path: "/api/v1/agreements", token: eve, body: agreementBody()}); r.code != 201 {
			t.Fatalf("create agreement: %d %s", r.code, r.body)
		}
		r := e.do(t, req{method: "POST", path: "/api/v1/commitments", token: eve, body: map[string]any{"agreement": id, "text": "Share trial data", "responsible": "IND"}})
		c := decodeAs[concord.Commitment](t, r)
		if r.code != 201 {
			t.Fatalf("create commitment: %d %s", r.code, r.body)
		}
		cpath := fmt.Sprintf("/api/v1/commitments/%d", c.ID)
		if r := e.do(t, req{method: "PUT", path: cpath, token: eve, header: map[string]string{"If-Match": `"1"`},
			body: map[string]any{"text": "Share trial data", "responsible": "IND", "status": "in-progress", "progress": 30}}); r.code != 200 {
			t.Fatalf("update commitment: %d %s", r.code, r.body)
		}
		// A commitment under another agreement stays out of this history.
		if r := e.do(t, req{method: "POST", path: "/api/v1/commitments", token: eve, body: map[string]any{"agreement": "KYOTO_1997P", "text": "Elsewhere"}}); r.code != 201 {
			t.Fatalf("create commitment elsewhere: %d %s", r.code, r.body)
		}
		if r := e.do(t, req{method: "DELETE", path: cpath, token: ada, header: map[string]string{"If-Match": `"2"`}}); r.code != 204 {
			t.Fatalf("delete commitment: %d %s", r.code, r.body)
		}
		cid := fmt.Sprint(c.ID)
		full := []string{
			"agreement " + id + " create v1 eve",
			"commitment " + cid + " create v1 eve",
			"commitment " + cid + " update v2 eve",
			"commitment " + cid + " delete v0 ada",
		}
		want("after the commitment's delete", history("commitment deleted"), full...)

		// The deleted commitment's records are served: its last state before the delete.
		r = e.do(t, req{method: "GET", path: "/api/v1/agreements/" + id + "/history"})
		if h := decodeAs[historyResult](t, r).Changes; len(h) == 4 && (h[3].After != "" || !strings.Contains(h[3].Before, `"progress":30`)) {
			t.Errorf("the commitment's delete: before %q after %q", h[3].Before, h[3].After)
		}
		// The agreement's page shows it too, newest first.
		p := e.page(t, "/agreements/"+id, nil)
		mustContain(t, "agreement page after the commitment's delete", p, 200,
			"<td>commitment "+cid+"</td><td>delete</td>", "<td>commitment "+cid+"</td><td>create → v1</td>")
		if b := string(p.body); strings.Index(b, "<td>commitment "+cid+"</td><td>delete</td>") > strings.Index(b, "<td>agreement "+id+"</td><td>create → v1</td>") {
			t.Error("agreement page: the history is not newest first")
		}

		// Deleting the agreement keeps the history, its deletion last.
		if r := e.do(t, req{method: "DELETE", path: "/api/v1/agreements/" + id, token: ada, header: map[string]string{"If-Match": `"1"`}}); r.code != 204 {
			t.Fatalf("delete agreement: %d %s", r.code, r.body)
		}
		if r := e.do(t, req{method: "GET", path: "/api/v1/agreements/" + id}); r.code != 404 {
			t.Errorf("the deleted agreement: %d, want 404", r.code)
		}
		want("after the agreement's delete", history("agreement deleted"), append(full, "agreement "+id+" delete v0 ada")...)

		// An id never used has no history: 404 naming it, as for an unknown agreement.
		r = e.do(t, req{method: "GET", path: "/api/v1/agreements/NEVER_1999A/history"})
		if r.code != 404 || !strings.Contains(r.err().Message, "NEVER_1999A") {
			t.Errorf("history of an id never used: %d %s, want 404 naming it", r.code, r.body)
		}
	})
}

// The OpenAPI document tells clients what the agreement history holds: the
// changes of deleted commitments, and that it outlives the agreement.
func TestRegistryAgreementHistoryOpenAPI(t *testing.T) {
	e := newRegEnv(t, regBackends[0])
	var doc struct {
		Paths map[string]map[string]struct {
			Description string
			Responses   map[string]struct{ Description string }
		}
	}
	if err := json.Unmarshal(e.do(t, req{method: "GET", path: "/api/openapi.json"}).body, &doc); err != nil {
		t.Fatal(err)
	}
	op := doc.Paths["/api/v1/agreements/{id}/history"]["get"]
	for _, w := range []string{"commitments deleted since", "deleted agreement keeps its history", "never used is 404"} {
		if !strings.Contains(op.Description, w) {
			t.Errorf("history's description lacks %q: %q", w, op.Description)
		}
	}
	if d := op.Responses["404"].Description; !strings.Contains(d, "no agreement ever had this id") {
		t.Errorf("history's 404: %q", d)
	}
}
