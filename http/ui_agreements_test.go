package http

import (
	nethttp "net/http"
	"net/url"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
)

// page fetches a page, optionally with a session cookie.
func (e *regEnv) page(t *testing.T, path string, ck *nethttp.Cookie) resp {
	t.Helper()
	q := req{method: "GET", path: path}
	if ck != nil {
		q.cookies = []*nethttp.Cookie{ck}
	}
	return e.do(t, q)
}

// post submits a form, optionally with a session cookie.
func (e *regEnv) post(t *testing.T, path string, ck *nethttp.Cookie, form url.Values) resp {
	t.Helper()
	q := req{method: "POST", path: path, body: form.Encode(), header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}
	if ck != nil {
		q.cookies = []*nethttp.Cookie{ck}
	}
	return e.do(t, q)
}

func mustContain(t *testing.T, what string, r resp, code int, wants ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("%s: status %d, want %d: %.400s", what, r.code, code, r.body)
		return
	}
	for _, w := range wants {
		if !strings.Contains(string(r.body), w) {
			t.Errorf("%s: page lacks %q", what, w)
		}
	}
}

// The registry's pages: list with filters and a pair's timeline, detail,
// commitments due and overdue, rates; forms only for editors, with the CSRF
// token and the version read; a stale form is a plain conflict that keeps the
// editor's values.
func TestRegistryPages(t *testing.T) {
	e := newRegEnv(t, regBackends[0])
	mustContain(t, "list", e.page(t, "/agreements", nil), 200, "Kyoto Protocol", "Memorandum on Border Trade", `href="/login?next=%2fagreements"`, "Download these agreements as CSV")
	r := e.page(t, "/agreements?party=FRA&party=DEU&field=science", nil)
	mustContain(t, "filtered list", r, 200, "Agreement on Scientific Cooperation", "Timeline of France and Germany", "2001-11-20", `value="FRA"`, `value="DEU"`)
	if strings.Contains(string(r.body), "Kyoto Protocol</a> <span") {
		t.Errorf("filter by field: Kyoto listed")
	}
	mustContain(t, "list, bad field", e.page(t, "/agreements?field=astrology", nil), 400, "astrology")
	mustContain(t, "detail", e.page(t, "/agreements/DEU-FRA_2001A", nil), 200, "Agreement on Scientific Cooperation", "Open a joint laboratory",
		"2001-11-20", "History of changes", "<strong>1</strong> of 2 done", `id="c2" class="overdue"`)
	mustContain(t, "detail of nothing", e.page(t, "/agreements/NOPE_1", nil), 404)
	mustContain(t, "overdue", e.page(t, "/commitments?view=overdue&as_of=2011-01-01", nil), 200, "Open a joint laboratory", "Agreement on Scientific Cooperation")
	mustContain(t, "due", e.page(t, "/commitments?view=due&within=365&as_of=2012-06-01", nil), 200, "Cut emissions by 8%")
	mustContain(t, "rates", e.page(t, "/agreements/rates?by=field&as_of=2020-01-01", nil), 200, "science", "50%", "Download these rates as CSV")
	mustContain(t, "rates by pair without a state", e.page(t, "/agreements/rates?by=pair", nil), 200, "need a state")

	// Anonymous readers see no edit link; the forms send them to log in.
	if strings.Contains(string(e.page(t, "/agreements/DEU-FRA_2001A", nil).body), "/edit") {
		t.Errorf("anonymous detail page offers editing")
	}
	if r := e.page(t, "/commitments/2/edit", nil); r.code != 303 || r.header.Get("Location") != "/login?next=%2Fcommitments%2F2%2Fedit" {
		t.Errorf("anonymous edit form: %d %v", r.code, r.header.Get("Location"))
	}
	vic, _ := e.login(t, "vic")
	mustContain(t, "viewer's edit form", e.page(t, "/commitments/2/edit", vic), 403)

	// An editor edits a commitment.
	eve, csrf := e.login(t, "eve")
	mustContain(t, "editor's detail", e.page(t, "/agreements/DEU-FRA_2001A", eve), 200, "Logged in as <strong>eve</strong>", `href="/commitments/2/edit"`, "Edit the agreement")
	if strings.Contains(string(e.page(t, "/agreements/DEU-FRA_2001A", eve).body), "/delete") {
		t.Errorf("an editor is offered deletion")
	}
	mustContain(t, "commitment form", e.page(t, "/commitments/2/edit", eve), 200, `name="csrf" value="`+csrf+`"`, `name="version" value="1"`, "Open a joint laboratory")
	form := url.Values{"csrf": {csrf}, "version": {"1"}, "text": {"Open a joint laboratory"}, "responsible": {"FRA"}, "due": {"2010-06-30"}, "status": {"done"}, "progress": {"100"}}
	r = e.post(t, "/commitments/2/edit", eve, form)
	if r.code != 303 || !strings.HasPrefix(r.header.Get("Location"), "/agreements/DEU-FRA_2001A?saved=commitment-2") {
		t.Fatalf("saving the commitment: %d %v %.300s", r.code, r.header, r.body)
	}
	if c, _ := e.reg.Commitment(t.Context(), 2); c.Status != concord.CommitmentDone || c.Version != 2 {
		t.Errorf("stored: %+v", c)
	}
	mustContain(t, "after saving", e.page(t, "/agreements/DEU-FRA_2001A?saved=commitment-2", eve), 200, "Saved", "<strong>2</strong> of 2 done", "status")

	// A second editor with the form of version 1 gets a plain conflict, keeping their values.
	ed, edCSRF := e.login(t, "ed")
	stale := url.Values{"csrf": {edCSRF}, "version": {"1"}, "text": {"Open a joint laboratory"}, "responsible": {"FRA"}, "due": {"2011-06-30"}, "status": {"in-progress"}, "progress": {"60"}}
	r = e.post(t, "/commitments/2/edit", ed, stale)
	mustContain(t, "stale commitment form", r, 409, "Your changes were not saved", "eve saved this commitment", "version 2", "2011-06-30", `name="version" value="2"`, "Theirs (saved)")
	if c, _ := e.reg.Commitment(t.Context(), 2); c.Status != concord.CommitmentDone || c.Progress != 100 {
		t.Errorf("the stale form overwrote: %+v", c)
	}
	// Saving again, knowingly, at the version now shown.
	stale.Set("version", "2")
	if r := e.post(t, "/commitments/2/edit", ed, stale); r.code != 303 {
		t.Errorf("saving again after the conflict: %d", r.code)
	}

	// Forms without or with a wrong CSRF token are refused, the store unchanged.
	for _, bad := range []string{"", "wrong"} {
		f := url.Values{"csrf": {bad}, "version": {"3"}, "text": {"x"}, "status": {"done"}}
		mustContain(t, "form with CSRF "+bad, e.post(t, "/commitments/2/edit", eve, f), 403, "CSRF")
	}
	// Invalid input is shown on the form with the field marked.
	bad := url.Values{"csrf": {csrf}, "version": {"3"}, "text": {"Open a joint laboratory"}, "status": {"done"}, "progress": {"150"}}
	mustContain(t, "progress 150", e.post(t, "/commitments/2/edit", eve, bad), 400, "progress", `id="progress" name="progress" type="number" min="0" max="100" value="150" aria-invalid="true"`)

	// Agreements: new, edit, conflict, delete (admin only).
	mustContain(t, "new agreement form", e.page(t, "/agreements/new", eve), 200, `name="id"`, `name="csrf"`)
	nf := url.Values{"csrf": {csrf}, "id": {"BRA-IND_2020M"}, "title": {"Memorandum on Vaccine Research"}, "kind": {"mou"}, "status": {"signed"},
		"fields": {"health", "science"}, "signed": {"2020-01-25"}, "parties": {"India, 2020-01-25\nBrazil, 2020-01-25\nWHO, , , , , non-state"}, "tags": {"vaccines, research"}}
	r = e.post(t, "/agreements/new", eve, nf)
	if r.code != 303 || r.header.Get("Location") != "/agreements/BRA-IND_2020M?saved=agreement" {
		t.Fatalf("new agreement: %d %v %.500s", r.code, r.header, r.body)
	}
	a, err := e.reg.Agreement(t.Context(), "BRA-IND_2020M")
	if err != nil || len(a.Parties) != 3 || a.Parties[0].State != "BRA" || !a.Parties[2].NonState || len(a.Tags) != 2 || len(a.Fields) != 2 {
		t.Errorf("stored: %+v %v", a, err)
	}
	mustContain(t, "duplicate id", e.post(t, "/agreements/new", eve, nf), 409, "already exists")
	nf.Set("parties", "Atlantis")
	nf.Set("id", "X_1")
	mustContain(t, "unknown party", e.post(t, "/agreements/new", eve, nf), 400, "Atlantis", `aria-invalid="true"`)
	mustContain(t, "edit form", e.page(t, "/agreements/BRA-IND_2020M/edit", eve), 200, "IND, 2020-01-25", "WHO, , , , , non-state", `value="1"`)
	ef := url.Values{"csrf": {csrf}, "version": {"1"}, "title": {"Memorandum on Vaccine Research"}, "kind": {"mou"}, "status": {"in-force"}, "fields": {"health"},
		"signed": {"2020-01-25"}, "force": {"2020-03-01"}, "parties": {"IND\nBRA"}}
	if r := e.post(t, "/agreements/BRA-IND_2020M/edit", eve, ef); r.code != 303 {
		t.Fatalf("edit agreement: %d %.400s", r.code, r.body)
	}
	ef.Set("csrf", edCSRF)
	ef.Set("title", "Vaccine Memorandum")
	mustContain(t, "stale agreement form", e.post(t, "/agreements/BRA-IND_2020M/edit", ed, ef), 409, "Your changes were not saved", "eve saved this agreement", "Vaccine Memorandum")
	mustContain(t, "editor deletes", e.post(t, "/agreements/BRA-IND_2020M/delete", eve, url.Values{"csrf": {csrf}, "version": {"2"}}), 403)
	ada, adaCSRF := e.login(t, "ada")
	mustContain(t, "admin's detail", e.page(t, "/agreements/BRA-IND_2020M", ada), 200, "Delete BRA-IND_2020M")
	mustContain(t, "stale delete", e.post(t, "/agreements/BRA-IND_2020M/delete", ada, url.Values{"csrf": {adaCSRF}, "version": {"1"}}), 409, "Not deleted")
	if r := e.post(t, "/agreements/BRA-IND_2020M/delete", ada, url.Values{"csrf": {adaCSRF}, "version": {"2"}}); r.code != 303 || r.header.Get("Location") != "/agreements?deleted=BRA-IND_2020M" {
		t.Errorf("delete: %d %v", r.code, r.header)
	}
	mustContain(t, "after delete", e.page(t, "/agreements?deleted=BRA-IND_2020M", ada), 200, "was deleted")

	// Login page.
	mustContain(t, "login page", e.page(t, "/login?next=/agreements/KYOTO_1997P", nil), 200, `name="password"`, `value="/agreements/KYOTO_1997P"`)
	if r := e.post(t, "/login", nil, url.Values{"name": {"eve"}, "password": {regPassword}, "next": {"//evil.example/x"}}); r.header.Get("Location") != "/agreements" {
		t.Errorf("login follows an off-site next: %v", r.header.Get("Location"))
	}

	// A private registry sends readers to log in.
	e.s.PrivateRegistry = true
	if r := e.page(t, "/agreements/KYOTO_1997P", nil); r.code != 303 || !strings.HasPrefix(r.header.Get("Location"), "/login?next=") {
		t.Errorf("private registry, anonymous: %d %v", r.code, r.header)
	}
	mustContain(t, "private registry, viewer", e.page(t, "/agreements/KYOTO_1997P", vic), 200, "Kyoto Protocol")
	e.s.PrivateRegistry = false
}

// Without a registry the pages say so plainly.
func TestRegistryPagesNotConfigured(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	e := &regEnv{ts: ts}
	mustContain(t, "list", e.page(t, "/agreements", nil), 200, "No agreements registry is configured")
	mustContain(t, "detail", e.page(t, "/agreements/X", nil), 503, "no agreements registry is configured")
	mustContain(t, "login", e.page(t, "/login", nil), 200, "No agreements registry is configured")
	mustContain(t, "login post", e.post(t, "/login", nil, url.Values{"name": {"x"}}), 503, "no agreements registry")
}
