package http

import (
	"encoding/json"
	nethttp "net/http"
	"net/url"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/storetest"
)

// DELETE /api/v1/commitments/{id}: admins only (as for agreements), at the
// version read (If-Match: 428 without, 412 when stale), 404 when absent;
// every refusal leaves the store unchanged; the history keeps the record.
func TestRegistryCommitmentDeleteAPI(t *testing.T) {
	eachStore(t, func(t *testing.T, e *regEnv) {
		del := func(q req, id, tag string) resp {
			q.method, q.path = "DELETE", "/api/v1/commitments/"+id
			if tag != "" {
				q.header = merge2(q.header, map[string]string{"If-Match": tag})
			}
			return e.do(t, q)
		}
		ada := e.tokens["ada"]
		for _, c := range []struct {
			name  string
			auth  req
			id    string
			tag   string
			want  int
			param string
		}{
			{"anonymous", req{}, "2", `"1"`, 401, ""},
			{"viewer", req{token: e.tokens["vic"]}, "2", `"1"`, 403, ""},
			{"editor", req{token: e.tokens["eve"]}, "2", `"1"`, 403, ""},
			{"disabled editor", req{token: e.tokens["dan"]}, "2", `"1"`, 401, "Authorization"},
			{"unknown token", req{token: "c0ffee"}, "2", `"1"`, 401, "Authorization"},
			{"admin without If-Match", req{token: ada}, "2", "", 428, "If-Match"},
			{"admin, stale If-Match", req{token: ada}, "2", `"2"`, 412, "If-Match"},
			{"admin, If-Match *", req{token: ada}, "2", `*`, 400, "If-Match"},
			{"admin, unknown commitment", req{token: ada}, "99", `"1"`, 404, ""},
			{"admin, not an id", req{token: ada}, "abc", `"1"`, 400, "id"},
		} {
			before := storetest.RegistrySnapshot(t, e.reg)
			r := del(c.auth, c.id, c.tag)
			if r.code != c.want || r.err().Param != c.param {
				t.Errorf("%s: %d %s, want %d (param %q)", c.name, r.code, r.body, c.want, c.param)
			}
			if r.code == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", c.name)
			}
			if storetest.RegistrySnapshot(t, e.reg) != before {
				t.Errorf("%s: refused, yet the store changed", c.name)
			}
		}

		// An update moves the commitment to version 2: the ETag read before is stale.
		r := e.do(t, req{method: "GET", path: "/api/v1/commitments/2"})
		if r.code != 200 || r.header.Get("ETag") != `"1"` {
			t.Fatalf("GET commitment 2: %d, ETag %q", r.code, r.header.Get("ETag"))
		}
		c := decodeAs[concord.Commitment](t, r)
		c.Progress = 60
		if u := e.do(t, req{method: "PUT", path: "/api/v1/commitments/2", token: e.tokens["eve"], body: c, header: map[string]string{"If-Match": `"1"`}}); u.code != 200 {
			t.Fatalf("update: %d %s", u.code, u.body)
		}
		if r := del(req{token: ada}, "2", `"1"`); r.code != 412 || !strings.Contains(r.err().Message, "read it again") {
			t.Errorf("delete with the ETag read before an update: %d %s, want 412", r.code, r.body)
		}
		if r := del(req{token: ada}, "2", `"2"`); r.code != 204 || len(r.body) != 0 {
			t.Fatalf("admin delete at the current ETag: %d %s, want 204 and no body", r.code, r.body)
		}
		if r := e.do(t, req{method: "GET", path: "/api/v1/commitments/2"}); r.code != 404 {
			t.Errorf("GET after delete: %d, want 404", r.code)
		}
		if r := del(req{token: ada}, "2", `"2"`); r.code != 404 {
			t.Errorf("deleting it again: %d, want 404", r.code)
		}
		var page struct{ Commitments []concord.Commitment }
		json.Unmarshal(e.do(t, req{method: "GET", path: "/api/v1/commitments?agreement=DEU-FRA_2001A"}).body, &page)
		if len(page.Commitments) != 1 || page.Commitments[0].ID != 1 {
			t.Errorf("commitments of DEU-FRA_2001A after the delete: %+v, want only 1", page.Commitments)
		}
		r = e.do(t, req{method: "GET", path: "/api/v1/commitments/2/history"})
		h := decodeAs[historyResult](t, r)
		if r.code != 200 || len(h.Changes) != 3 {
			t.Fatalf("history of the deleted commitment: %d %s", r.code, r.body)
		}
		last := h.Changes[2]
		if last.Action != "delete" || last.Who != "ada" || last.After != "" || !strings.Contains(last.Before, `"progress":60`) {
			t.Errorf("the delete recorded as %+v", last)
		}

		// With a session: the CSRF token is needed, as for every write.
		cookie, csrf := e.login(t, "ada")
		ck := []*nethttp.Cookie{cookie}
		before := storetest.RegistrySnapshot(t, e.reg)
		if r := del(req{cookies: ck}, "3", `"1"`); r.code != 403 || storetest.RegistrySnapshot(t, e.reg) != before {
			t.Errorf("session delete without a CSRF token: %d %s, want 403 and no change", r.code, r.body)
		}
		if r := del(req{cookies: ck, header: map[string]string{csrfHeader: csrf}}, "3", `"1"`); r.code != 204 {
			t.Errorf("session delete with its CSRF token: %d %s, want 204", r.code, r.body)
		}
	})
}

// The commitment's edit page offers admins a delete form (CSRF token and the
// version read); editors see none and may not post it; a stale form is a
// plain conflict; a delete goes back to the agreement, which says so.
func TestRegistryCommitmentDeletePage(t *testing.T) {
	e := newRegEnv(t, regBackends[0])
	eve, eveCSRF := e.login(t, "eve")
	if r := e.page(t, "/commitments/2/edit", eve); r.code != 200 || strings.Contains(string(r.body), "/commitments/2/delete") {
		t.Errorf("editor's commitment form: %d, offers deletion %v", r.code, strings.Contains(string(r.body), "/commitments/2/delete"))
	}
	before := storetest.RegistrySnapshot(t, e.reg)
	mustContain(t, "editor posts the delete", e.post(t, "/commitments/2/delete", eve, url.Values{"csrf": {eveCSRF}, "version": {"1"}}), 403)
	if r := e.post(t, "/commitments/2/delete", nil, url.Values{"version": {"1"}}); r.code != 303 || !strings.HasPrefix(r.header.Get("Location"), "/login?next=") {
		t.Errorf("anonymous delete: %d %v, want a redirect to log in", r.code, r.header.Get("Location"))
	}

	ada, csrf := e.login(t, "ada")
	mustContain(t, "admin's commitment form", e.page(t, "/commitments/2/edit", ada), 200,
		`action="/commitments/2/delete"`, `name="csrf" value="`+csrf+`"`, `name="version" value="1"`, "Delete commitment 2")
	for _, bad := range []string{"", "wrong"} {
		mustContain(t, "delete with CSRF "+bad, e.post(t, "/commitments/2/delete", ada, url.Values{"csrf": {bad}, "version": {"1"}}), 403, "CSRF")
	}
	mustContain(t, "delete without a version", e.post(t, "/commitments/2/delete", ada, url.Values{"csrf": {csrf}}), 400, "version")
	if storetest.RegistrySnapshot(t, e.reg) != before {
		t.Fatal("refused deletes changed the store")
	}

	// Someone saves the commitment after the admin opened it: the delete is refused.
	c, _ := e.reg.Commitment(t.Context(), 2)
	c.Notes = "changed meanwhile"
	if _, err := e.reg.UpdateCommitment(t.Context(), concord.User{Name: "eve", Role: concord.RoleEditor}, c); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "stale delete", e.post(t, "/commitments/2/delete", ada, url.Values{"csrf": {csrf}, "version": {"1"}}), 409, "Not deleted", "commitment 2")
	if _, err := e.reg.Commitment(t.Context(), 2); err != nil {
		t.Fatalf("the stale delete removed the commitment: %v", err)
	}

	r := e.post(t, "/commitments/2/delete", ada, url.Values{"csrf": {csrf}, "version": {"2"}})
	if r.code != 303 || r.header.Get("Location") != "/agreements/DEU-FRA_2001A?deleted=2#commitments-h" {
		t.Fatalf("delete: %d %v %.300s", r.code, r.header.Get("Location"), r.body)
	}
	if _, err := e.reg.Commitment(t.Context(), 2); err == nil {
		t.Fatal("commitment 2 is still stored")
	}
	r = e.page(t, "/agreements/DEU-FRA_2001A?deleted=2", ada)
	mustContain(t, "agreement after the delete", r, 200, "Commitment 2 was deleted", `href="/api/v1/commitments/2/history"`)
	if strings.Contains(string(r.body), "Open a joint laboratory") {
		t.Error("the deleted commitment is still listed under its agreement")
	}
	mustContain(t, "delete again", e.post(t, "/commitments/2/delete", ada, url.Values{"csrf": {csrf}, "version": {"2"}}), 404, "not in the registry")
}
