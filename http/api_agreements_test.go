package http

import (
	"encoding/json"
	"fmt"
	nethttp "net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/storetest"
)

// Every read endpoint of the registry: filters give the agreements and
// commitments their construction implies, and every bad parameter is a 4xx
// naming it.
func TestRegistryAPIReads(t *testing.T) {
	eachStore(t, func(t *testing.T, e *regEnv) {
		list := func(q string) agreementPage {
			t.Helper()
			r := e.do(t, req{method: "GET", path: "/api/v1/agreements?" + q})
			if r.code != 200 {
				t.Fatalf("%s: %d %s", q, r.code, r.body)
			}
			return decodeAs[agreementPage](t, r)
		}
		for _, c := range []struct{ q, want string }{
			{"", "FRA-USA_0000P KYOTO_1997P DEU-FRA_2001A CAN-USA_2010M"},
			{"party=FRA&party=DEU", "KYOTO_1997P DEU-FRA_2001A"},
			{"party=France,Germany", "KYOTO_1997P DEU-FRA_2001A"},
			{"party=USA&party=CAN&party=FRA", "KYOTO_1997P"},
			{"party=CAN&party=FRA", "KYOTO_1997P"},
			{"field=science", "DEU-FRA_2001A"},
			{"field=Environment", "KYOTO_1997P"},
			{"kind=mou", "CAN-USA_2010M"},
			{"status=in+force", "KYOTO_1997P DEU-FRA_2001A"},
			{"from=2000", "DEU-FRA_2001A CAN-USA_2010M"},
			{"to=2000", "KYOTO_1997P"},
			{"from=1990&to=2005&party=USA", "KYOTO_1997P"},
			{"search=protocol", "FRA-USA_0000P KYOTO_1997P"},
			{"party=IRN", ""},
			{"limit=2", "FRA-USA_0000P KYOTO_1997P"},
			{"limit=2&offset=2", "DEU-FRA_2001A CAN-USA_2010M"},
		} {
			p := list(c.q)
			if got := agreementIDs(p.Agreements); got != c.want {
				t.Errorf("agreements?%s: %q, want %q", c.q, got, c.want)
			}
		}
		if p := list("limit=2"); !p.More || p.Limit != 2 {
			t.Errorf("limit=2: more %v limit %d", p.More, p.Limit)
		}
		if p := list("limit=2&offset=2"); p.More {
			t.Errorf("last page says more")
		}
		if p := list("party=FRA&party=DEU&parties=true"); len(p.Agreements[0].Parties) != 5 || p.Agreements[0].Parties[0].State != "CAN" {
			t.Errorf("parties=true: %+v", p.Agreements[0].Parties)
		} else if p := list("party=FRA&party=DEU"); len(p.Agreements[0].Parties) != 0 || p.Agreements[0].NParties != 5 {
			t.Errorf("without parties=true: %+v", p.Agreements[0])
		}
		r := e.do(t, req{method: "GET", path: "/api/v1/agreements?party=FRA&party=DEU&format=csv"})
		if r.code != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(string(r.body), "id,signed,kind,fields,status,parties,title\n") || !strings.Contains(string(r.body), "DEU-FRA_2001A,2001-05-02,agreement,science,in-force,2,Agreement on Scientific Cooperation") {
			t.Errorf("csv: %d %v %s", r.code, r.header, r.body)
		}

		// One agreement, with its ETag.
		r = e.do(t, req{method: "GET", path: "/api/v1/agreements/KYOTO_1997P"})
		a := decodeAs[concord.Agreement](t, r)
		if r.code != 200 || r.header.Get("ETag") != `"1"` || a.Title != "Kyoto Protocol" || len(a.Parties) != 5 || a.Parties[0].Ratification != "2002-12-17" || a.Version != 1 {
			t.Errorf("show: %d %v %+v", r.code, r.header, a)
		}
		if r := e.do(t, req{method: "GET", path: "/api/v1/agreements/KYOTO_1997P", header: map[string]string{"If-None-Match": `"1"`}}); r.code != 304 {
			t.Errorf("If-None-Match of the current version: %d", r.code)
		}
		if r := e.do(t, req{method: "GET", path: "/api/v1/agreements/KYOTO_1997P?format=table"}); r.code != 200 || !strings.Contains(string(r.body), "Kyoto Protocol") {
			t.Errorf("show as table: %d %s", r.code, r.body)
		}

		// Commitments.
		cm := func(q string) []int64 {
			t.Helper()
			r := e.do(t, req{method: "GET", path: "/api/v1/commitments?" + q})
			if r.code != 200 {
				t.Fatalf("commitments?%s: %d %s", q, r.code, r.body)
			}
			var ids []int64
			for _, c := range decodeAs[commitmentPage](t, r).Commitments {
				ids = append(ids, c.ID)
			}
			return ids
		}
		for _, c := range []struct {
			q    string
			want []int64
		}{
			{"", []int64{1, 2, 3, 4}},
			{"agreement=DEU-FRA_2001A", []int64{1, 2}},
			{"party=FRA&party=DEU", []int64{1, 2, 3}},
			{"party=USA", []int64{3, 4}},
			{"field=environment", []int64{3}},
			{"responsible=Germany", []int64{1, 3}},
			{"status=in-progress", []int64{2}},
			{"overdue=true&as_of=2011-01-01", []int64{2}},
			{"overdue=true&as_of=2020-01-01", []int64{2, 3}},
			{"overdue=true&as_of=2001-01-01", nil},
			{"within=365&as_of=2010-01-01", []int64{2}},
			{"within=365&as_of=2005-06-01", nil}, // 1 is due then but done
			{"due_from=2006-01-01&due_to=2011-01-01", []int64{2}},
			{"limit=1&offset=1", []int64{2}},
		} {
			if got := cm(c.q); !slices.Equal(got, c.want) {
				t.Errorf("commitments?%s: %v, want %v", c.q, got, c.want)
			}
		}
		r = e.do(t, req{method: "GET", path: "/api/v1/commitments?party=FRA&as_of=2011-01-01"})
		if p := decodeAs[commitmentPage](t, r); p.AsOf != "2011-01-01" || p.Commitments[0].Overdue || !p.Commitments[1].Overdue || p.Commitments[1].Text != "Open a joint laboratory" {
			t.Errorf("overdue flags: %+v", p)
		}
		r = e.do(t, req{method: "GET", path: "/api/v1/commitments/2?as_of=2011-01-01"})
		if c := decodeAs[commitmentRow](t, r); r.code != 200 || r.header.Get("ETag") != `"1"` || c.Responsible != "FRA" || !c.Overdue {
			t.Errorf("commitment 2: %d %v %s", r.code, r.header, r.body)
		}

		// Rates: 1 done, 2 open, 3 open, 4 cancelled.
		rates := func(q string) string {
			t.Helper()
			r := e.do(t, req{method: "GET", path: "/api/v1/rates?" + q})
			if r.code != 200 {
				t.Fatalf("rates?%s: %d %s", q, r.code, r.body)
			}
			var out []string
			for _, x := range decodeAs[struct{ Rates []map[string]any }](t, r).Rates {
				out = append(out, fmt.Sprintf("%v:%v/%v/%v/%v=%v", x["key"], x["done"], x["total"], x["cancelled"], x["overdue"], x["rate"]))
			}
			return strings.Join(out, " ")
		}
		for _, c := range []struct{ q, want string }{
			{"as_of=2011-01-01", "CAN-USA_2010M:0/1/1/0=<nil> DEU-FRA_2001A:1/2/0/1=0.5 KYOTO_1997P:0/1/0/0=0"},
			{"by=field&as_of=2020-01-01", "energy:0/1/0/1=0 environment:0/1/0/1=0 science:1/2/0/1=0.5 trade:0/1/1/0=<nil>"},
			{"by=pair&party=FRA&party=DEU&as_of=2020-01-01", "DEU-FRA:1/3/0/2=0.3333333333333333"},
			{"by=pair&party=CAN&as_of=2020-01-01", "CAN-DEU:0/1/0/1=0 CAN-FRA:0/1/0/1=0 CAN-USA:0/2/1/1=0"},
		} {
			if got := rates(c.q); got != c.want {
				t.Errorf("rates?%s:\n got %s\nwant %s", c.q, got, c.want)
			}
		}

		// Timeline of FRA and DEU: the science agreement and Kyoto.
		r = e.do(t, req{method: "GET", path: "/api/v1/timeline?a=France&b=DEU"})
		tl := decodeAs[timelineResult](t, r)
		if r.code != 200 || tl.A != "FRA" || tl.B != "DEU" || len(tl.Entries) == 0 || tl.Entries[0].Date != "1997-12-11" || tl.Entries[0].Event != "signed" {
			t.Errorf("timeline: %d %s", r.code, r.body)
		}
		var events []string
		for _, x := range tl.Entries {
			events = append(events, x.Date+" "+x.State+" "+x.Event)
		}
		for _, want := range []string{"2001-11-20 DEU ratified", "2002-05-31 FRA ratified", "2010-06-30 FRA commitment-due: Open a joint laboratory"} {
			if !slices.Contains(events, want) {
				t.Errorf("timeline lacks %q: %v", want, events)
			}
		}

		// History of an agreement includes its commitments'.
		r = e.do(t, req{method: "GET", path: "/api/v1/agreements/DEU-FRA_2001A/history"})
		h := decodeAs[historyResult](t, r).Changes
		if r.code != 200 || len(h) != 3 || h[0].Entity != "agreement" || h[0].Action != "create" || h[1].EntityID != "1" || h[2].EntityID != "2" || h[0].Who != "ada" {
			t.Errorf("history: %d %s", r.code, r.body)
		}
		r = e.do(t, req{method: "GET", path: "/api/v1/commitments/3/history"})
		if h := decodeAs[historyResult](t, r).Changes; r.code != 200 || len(h) != 1 || !strings.Contains(h[0].After, "Cut emissions") {
			t.Errorf("commitment history: %d %s", r.code, r.body)
		}

		// Errors: status and the parameter named.
		for _, c := range []struct {
			path  string
			code  int
			param string
		}{
			{"/api/v1/agreements?field=astrology", 400, "field"},
			{"/api/v1/agreements?kind=novel", 400, "kind"},
			{"/api/v1/agreements?status=dreaming", 400, "status"},
			{"/api/v1/agreements?party=Atlantis", 404, "party"},
			{"/api/v1/agreements?from=2010&to=2000", 400, "from"},
			{"/api/v1/agreements?from=year", 400, "from"},
			{"/api/v1/agreements?limit=0", 400, "limit"},
			{"/api/v1/agreements?limit=5001", 400, "limit"},
			{"/api/v1/agreements?offset=-1", 400, "offset"},
			{"/api/v1/agreements?field=trade&field=science", 400, "field"},
			{"/api/v1/agreements?" + strings.Repeat("party=FRA&", 21), 400, "party"},
			{"/api/v1/agreements?partner=FRA", 400, "partner"},
			{"/api/v1/agreements?parties=maybe", 400, "parties"},
			{"/api/v1/agreements/NOPE_1999", 404, ""},
			{"/api/v1/agreements/NOPE_1999/history", 404, ""},
			{"/api/v1/commitments?status=late", 400, "status"},
			{"/api/v1/commitments?due_from=2020-13-01", 400, "due_from"},
			{"/api/v1/commitments?due_from=2020-01-01&due_to=2019-01-01", 400, "due_from"},
			{"/api/v1/commitments?as_of=yesterday", 400, "as_of"},
			{"/api/v1/commitments?within=30&due_to=2020-01-01", 400, "within"},
			{"/api/v1/commitments?within=-1", 400, "within"},
			{"/api/v1/commitments?responsible=Atlantis", 404, "responsible"},
			{"/api/v1/commitments?overdue=perhaps", 400, "overdue"},
			{"/api/v1/commitments/999", 404, ""},
			{"/api/v1/commitments/999/history", 404, ""},
			{"/api/v1/commitments/one", 400, "id"},
			{"/api/v1/commitments/0", 400, "id"},
			{"/api/v1/rates?by=pair", 400, "party"},
			{"/api/v1/rates?by=pair&party=FRA&party=DEU&party=USA", 400, "party"},
			{"/api/v1/rates?by=continent", 400, "by"},
			{"/api/v1/timeline?a=FRA", 400, "b"},
			{"/api/v1/timeline?a=FRA&b=France", 400, "b"},
			{"/api/v1/timeline?a=FRA&b=Atlantis", 404, "b"},
			{"/api/v1/agreements?format=xml", 400, "format"},
		} {
			r := e.do(t, req{method: "GET", path: c.path})
			if r.code != c.code || r.err().Param != c.param || r.err().Message == "" {
				t.Errorf("%s: %d %s, want %d naming %q", c.path, r.code, r.body, c.code, c.param)
			}
		}
	})
}

// agreementBody is a new agreement as a client sends it.
func agreementBody() map[string]any {
	return map[string]any{"id": "BRA-IND_2020M", "title": "Memorandum on Vaccine Research", "kind": "MoU", "fields": []string{"health", "science"},
		"signed": "2020-01-25", "place": "New Delhi", "status": "signed",
		"parties": []map[string]any{{"state": "India", "signature": "2020-01-25"}, {"state": "BRA", "signature": "2020-01-25"}}}
}

// Writes: create, update and delete through the API, with every error path
// mapped to its status, and the store unchanged by every refused write.
func TestRegistryAPIWrites(t *testing.T) {
	eachStore(t, func(t *testing.T, e *regEnv) {
		eve, ada := e.tokens["eve"], e.tokens["ada"]
		// Create.
		r := e.do(t, req{method: "POST", path: "/api/v1/agreements", token: eve, body: agreementBody()})
		a := decodeAs[concord.Agreement](t, r)
		if r.code != 201 || r.header.Get("Location") != "/api/v1/agreements/BRA-IND_2020M" || r.header.Get("ETag") != `"1"` ||
			a.Kind != concord.KindMoU || a.Parties[0].State != "BRA" || a.Parties[1].State != "IND" || a.NParties != 2 || a.Version != 1 {
			t.Fatalf("create: %d %v %s", r.code, r.header, r.body)
		}
		if r := e.do(t, req{method: "GET", path: "/api/v1/agreements?party=IND"}); agreementIDs(decodeAs[agreementPage](t, r).Agreements) != "BRA-IND_2020M" {
			t.Errorf("the new agreement is not listed: %s", r.body)
		}

		// Refused writes leave the store as it is.
		before := storetest.RegistrySnapshot(t, e.reg)
		with := func(k string, v any) map[string]any {
			b := agreementBody()
			b["id"] = "NEW_2021A"
			b[k] = v
			return b
		}
		big := with("summary", strings.Repeat("x", maxBody))
		for _, c := range []struct {
			name   string
			q      req
			code   int
			param  string
			header map[string]string
		}{
			{"duplicate id", req{method: "POST", path: "/api/v1/agreements", body: agreementBody()}, 409, "id", nil},
			{"unknown kind", req{method: "POST", path: "/api/v1/agreements", body: with("kind", "novel")}, 400, "kind", nil},
			{"empty title", req{method: "POST", path: "/api/v1/agreements", body: with("title", " ")}, 400, "title", nil},
			{"unknown field", req{method: "POST", path: "/api/v1/agreements", body: with("fields", []string{"astrology"})}, 400, "fields", nil},
			{"bad status", req{method: "POST", path: "/api/v1/agreements", body: with("status", "dreaming")}, 400, "status", nil},
			{"bad date", req{method: "POST", path: "/api/v1/agreements", body: with("signed", "25/01/2020")}, 400, "signed", nil},
			{"bad id", req{method: "POST", path: "/api/v1/agreements", body: with("id", "a/b")}, 400, "id", nil},
			{"reserved id", req{method: "POST", path: "/api/v1/agreements", body: with("id", "new")}, 400, "id", nil},
			{"unknown state", req{method: "POST", path: "/api/v1/agreements", body: with("parties", []map[string]any{{"state": "Atlantis"}})}, 400, "parties", nil},
			{"party twice", req{method: "POST", path: "/api/v1/agreements", body: with("parties", []map[string]any{{"state": "FRA"}, {"state": "France"}})}, 400, "parties", nil},
			{"unknown body field", req{method: "POST", path: "/api/v1/agreements", body: with("colour", "blue")}, 400, "colour", nil},
			{"wrong type", req{method: "POST", path: "/api/v1/agreements", body: with("fields", "health")}, 400, "fields", nil},
			{"malformed JSON", req{method: "POST", path: "/api/v1/agreements", body: `{"id": "X_1",`}, 400, "body", nil},
			{"two values", req{method: "POST", path: "/api/v1/agreements", body: `{"id": "X_1"} {}`}, 400, "body", nil},
			{"empty body", req{method: "POST", path: "/api/v1/agreements", body: ""}, 400, "body", nil},
			{"too large", req{method: "POST", path: "/api/v1/agreements", body: big}, 413, "body", nil},
			{"not JSON", req{method: "POST", path: "/api/v1/agreements", body: "id=X"}, 415, "Content-Type", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
			{"update without If-Match", req{method: "PUT", path: "/api/v1/agreements/BRA-IND_2020M", body: agreementBody()}, 428, "If-Match", nil},
			{"update stale", req{method: "PUT", path: "/api/v1/agreements/BRA-IND_2020M", body: agreementBody()}, 412, "If-Match", map[string]string{"If-Match": `"7"`}},
			{"update If-Match *", req{method: "PUT", path: "/api/v1/agreements/BRA-IND_2020M", body: agreementBody()}, 400, "If-Match", map[string]string{"If-Match": `*`}},
			{"update bad ETag", req{method: "PUT", path: "/api/v1/agreements/BRA-IND_2020M", body: agreementBody()}, 400, "If-Match", map[string]string{"If-Match": `"abc"`}},
			{"update renames", req{method: "PUT", path: "/api/v1/agreements/BRA-IND_2020M", body: with("id", "OTHER_1")}, 400, "id", map[string]string{"If-Match": `"1"`}},
			{"update invalid", req{method: "PUT", path: "/api/v1/agreements/BRA-IND_2020M", body: map[string]any{"title": "x", "kind": "mou", "status": "late"}}, 400, "status", map[string]string{"If-Match": `"1"`}},
			{"update missing", req{method: "PUT", path: "/api/v1/agreements/NOPE_1", body: with("id", "")}, 404, "", map[string]string{"If-Match": `"1"`}},
			{"delete without If-Match", req{method: "DELETE", path: "/api/v1/agreements/BRA-IND_2020M", token: ada}, 428, "If-Match", nil},
			{"delete stale", req{method: "DELETE", path: "/api/v1/agreements/BRA-IND_2020M", token: ada}, 412, "If-Match", map[string]string{"If-Match": `"2"`}},
			{"delete missing", req{method: "DELETE", path: "/api/v1/agreements/NOPE_1", token: ada}, 404, "", map[string]string{"If-Match": `"1"`}},
			{"commitment of no agreement", req{method: "POST", path: "/api/v1/commitments", body: map[string]any{"agreement": "NOPE_1", "text": "x"}}, 404, "", nil},
			{"commitment without agreement", req{method: "POST", path: "/api/v1/commitments", body: map[string]any{"text": "x"}}, 400, "agreement", nil},
			{"commitment without text", req{method: "POST", path: "/api/v1/commitments", body: map[string]any{"agreement": "KYOTO_1997P"}}, 400, "text", nil},
			{"commitment bad due", req{method: "POST", path: "/api/v1/commitments", body: map[string]any{"agreement": "KYOTO_1997P", "text": "x", "due": "2020"}}, 400, "due", nil},
			{"commitment bad progress", req{method: "POST", path: "/api/v1/commitments", body: map[string]any{"agreement": "KYOTO_1997P", "text": "x", "progress": 150}}, 400, "progress", nil},
			{"commitment bad status", req{method: "POST", path: "/api/v1/commitments", body: map[string]any{"agreement": "KYOTO_1997P", "text": "x", "status": "late"}}, 400, "status", nil},
			{"commitment bad responsible", req{method: "POST", path: "/api/v1/commitments", body: map[string]any{"agreement": "KYOTO_1997P", "text": "x", "responsible": "Atlantis"}}, 400, "responsible", nil},
			{"commitment update without If-Match", req{method: "PUT", path: "/api/v1/commitments/2", body: map[string]any{"text": "x"}}, 428, "If-Match", nil},
			{"commitment update stale", req{method: "PUT", path: "/api/v1/commitments/2", body: map[string]any{"text": "x"}}, 412, "If-Match", map[string]string{"If-Match": `"3"`}},
			{"commitment moved", req{method: "PUT", path: "/api/v1/commitments/2", body: map[string]any{"text": "x", "agreement": "KYOTO_1997P"}}, 400, "agreement", map[string]string{"If-Match": `"1"`}},
			{"commitment other id", req{method: "PUT", path: "/api/v1/commitments/2", body: map[string]any{"id": 3, "text": "x"}}, 400, "id", map[string]string{"If-Match": `"1"`}},
			{"commitment update missing", req{method: "PUT", path: "/api/v1/commitments/99", body: map[string]any{"text": "x"}}, 404, "", map[string]string{"If-Match": `"1"`}},
			{"PATCH", req{method: "PATCH", path: "/api/v1/agreements/BRA-IND_2020M", body: "{}"}, 405, "", nil},
			{"POST to a read-only endpoint", req{method: "POST", path: "/api/v1/rates", body: "{}"}, 405, "", nil},
		} {
			q := c.q
			if q.token == "" {
				q.token = eve
			}
			q.header = c.header
			r := e.do(t, q)
			if r.code != c.code || r.err().Param != c.param || r.err().Message == "" {
				t.Errorf("%s: %d %.300s, want %d naming %q", c.name, r.code, r.body, c.code, c.param)
			}
		}
		if after := storetest.RegistrySnapshot(t, e.reg); after != before {
			t.Errorf("refused writes changed the store")
		}
		if r := e.do(t, req{method: "POST", path: "/api/v1/rates", token: eve, body: "{}"}); r.header.Get("Allow") != "GET, HEAD" {
			t.Errorf("405 Allow: %q", r.header.Get("Allow"))
		}
		if r := e.do(t, req{method: "PATCH", path: "/api/v1/agreements/X", token: eve, body: "{}"}); r.header.Get("Allow") != "GET, HEAD, PUT, DELETE" {
			t.Errorf("405 Allow: %q", r.header.Get("Allow"))
		}

		// Update at the version read: a GET's body goes back as it is.
		r = e.do(t, req{method: "GET", path: "/api/v1/agreements/BRA-IND_2020M"})
		var got map[string]any
		json.Unmarshal(r.body, &got)
		got["status"], got["force"] = "in force", "2020-06-01"
		r = e.do(t, req{method: "PUT", path: "/api/v1/agreements/BRA-IND_2020M", token: eve, body: got, header: map[string]string{"If-Match": r.header.Get("ETag")}})
		if a := decodeAs[concord.Agreement](t, r); r.code != 200 || r.header.Get("ETag") != `"2"` || a.Status != concord.StatusInForce || a.Force != "2020-06-01" || a.Version != 2 {
			t.Errorf("update: %d %v %s", r.code, r.header, r.body)
		}
		// The same If-Match again is stale now.
		if r := e.do(t, req{method: "PUT", path: "/api/v1/agreements/BRA-IND_2020M", token: eve, body: got, header: map[string]string{"If-Match": `"1"`}}); r.code != 412 {
			t.Errorf("second update at version 1: %d %s", r.code, r.body)
		}

		// Commitments: create, then update at the version read.
		r = e.do(t, req{method: "POST", path: "/api/v1/commitments", token: eve, body: map[string]any{"agreement": "BRA-IND_2020M", "text": "Share trial data", "responsible": "India", "due": "2021-01-31"}})
		c := decodeAs[concord.Commitment](t, r)
		if r.code != 201 || c.ID == 0 || c.Status != concord.CommitmentNotStarted || c.Responsible != "IND" || r.header.Get("Location") != fmt.Sprintf("/api/v1/commitments/%d", c.ID) {
			t.Fatalf("create commitment: %d %v %s", r.code, r.header, r.body)
		}
		path := fmt.Sprintf("/api/v1/commitments/%d", c.ID)
		r = e.do(t, req{method: "PUT", path: path, token: eve, header: map[string]string{"If-Match": `"1"`},
			body: map[string]any{"text": "Share trial data", "responsible": "IND", "due": "2021-01-31", "status": "done", "progress": 100, "evidence": []string{"https://example.org/report"}}})
		if c := decodeAs[concord.Commitment](t, r); r.code != 200 || c.Status != concord.CommitmentDone || c.Version != 2 || c.AgreementID != "BRA-IND_2020M" || r.header.Get("ETag") != `"2"` {
			t.Errorf("update commitment: %d %s", r.code, r.body)
		}

		// Delete (admin) at the version read; the history keeps all of it.
		r = e.do(t, req{method: "DELETE", path: "/api/v1/agreements/BRA-IND_2020M", token: ada, header: map[string]string{"If-Match": `"2"`}})
		if r.code != 204 || len(r.body) != 0 {
			t.Errorf("delete: %d %s", r.code, r.body)
		}
		if r := e.do(t, req{method: "GET", path: "/api/v1/agreements/BRA-IND_2020M"}); r.code != 404 {
			t.Errorf("deleted agreement: %d", r.code)
		}
		if r := e.do(t, req{method: "GET", path: path}); r.code != 404 {
			t.Errorf("commitment of a deleted agreement: %d", r.code)
		}
		r = e.do(t, req{method: "GET", path: "/api/v1/agreements/BRA-IND_2020M/history"})
		var acts []string
		for _, c := range decodeAs[historyResult](t, r).Changes {
			acts = append(acts, fmt.Sprintf("%s %s v%d %s", c.Entity, c.Action, c.Version, c.Who))
		}
		// The commitment's changes are kept too, its deletion with the agreement's just before the agreement's own.
		if want := "agreement create v1 eve,agreement update v2 eve,commitment create v1 eve,commitment update v2 eve,commitment delete v0 ada,agreement delete v0 ada"; r.code != 200 || strings.Join(acts, ",") != want {
			t.Errorf("history after delete: %d %q, want %q", r.code, strings.Join(acts, ","), want)
		}
	})
}

// Who may do what over HTTP: anonymous callers read and nothing more; viewers
// read; editors create and update; admins also delete; disabled users and bad
// or revoked tokens are refused (401); a session write needs its CSRF token
// (403 without or with a wrong one).
func TestRegistryAccess(t *testing.T) {
	eachStore(t, func(t *testing.T, e *regEnv) {
		n := 0
		newID := func() string { n++; return fmt.Sprintf("ACC_%d", n) }
		type op struct {
			name string
			do   func(auth req) resp
			prep func() // makes what the op needs, before the store is compared
		}
		delID := ""
		ops := []op{
			{"read", func(q req) resp { q.method, q.path = "GET", "/api/v1/agreements/KYOTO_1997P"; return e.do(t, q) }, nil},
			{"me", func(q req) resp { q.method, q.path = "GET", "/api/v1/me"; return e.do(t, q) }, nil},
			{"create", func(q req) resp {
				b := agreementBody()
				b["id"] = newID()
				q.method, q.path, q.body = "POST", "/api/v1/agreements", b
				return e.do(t, q)
			}, nil},
			{"update", func(q req) resp {
				a, _ := e.reg.Agreement(t.Context(), "FRA-USA_0000P")
				a.Summary = "updated"
				q.method, q.path, q.body = "PUT", "/api/v1/agreements/FRA-USA_0000P", a
				q.header = merge2(q.header, map[string]string{"If-Match": etag(a.Version)})
				return e.do(t, q)
			}, nil},
			{"commit", func(q req) resp {
				q.method, q.path, q.body = "POST", "/api/v1/commitments", map[string]any{"agreement": "KYOTO_1997P", "text": "x " + newID()}
				return e.do(t, q)
			}, nil},
			{"update-commitment", func(q req) resp {
				c, _ := e.reg.Commitment(t.Context(), 3)
				c.Progress = (c.Progress + 1) % 100
				q.method, q.path, q.body = "PUT", "/api/v1/commitments/3", c
				q.header = merge2(q.header, map[string]string{"If-Match": etag(c.Version)})
				return e.do(t, q)
			}, nil},
			{"users", func(q req) resp { q.method, q.path = "GET", "/api/v1/users"; return e.do(t, q) }, nil},
			{"delete", func(q req) resp {
				q.method, q.path = "DELETE", "/api/v1/agreements/"+delID
				q.header = merge2(q.header, map[string]string{"If-Match": `"1"`})
				return e.do(t, q)
			}, func() {
				delID = newID()
				b := agreementBody()
				b["id"] = delID
				if r := e.do(t, req{method: "POST", path: "/api/v1/agreements", body: b, token: e.tokens["ada"]}); r.code != 201 {
					t.Fatalf("setup: %d %s", r.code, r.body)
				}
			}},
		}
		// want is the status per op: read, me, create, update, commit, update-commitment, users, delete.
		for _, c := range []struct {
			who  string
			auth req
			want []int
		}{
			{"anonymous", req{}, []int{200, 401, 401, 401, 401, 401, 401, 401}},
			{"viewer", req{token: e.tokens["vic"]}, []int{200, 200, 403, 403, 403, 403, 403, 403}},
			{"editor", req{token: e.tokens["eve"]}, []int{200, 200, 201, 200, 201, 200, 403, 403}},
			{"admin", req{token: e.tokens["ada"]}, []int{200, 200, 201, 200, 201, 200, 200, 204}},
			{"disabled editor", req{token: e.tokens["dan"]}, []int{401, 401, 401, 401, 401, 401, 401, 401}},
			{"unknown token", req{token: "c0ffee"}, []int{401, 401, 401, 401, 401, 401, 401, 401}},
			{"not a bearer token", req{header: map[string]string{"Authorization": "Basic ZXZlOng="}}, []int{401, 401, 401, 401, 401, 401, 401, 401}},
		} {
			for i, o := range ops {
				if o.prep != nil {
					o.prep()
				}
				before := storetest.RegistrySnapshot(t, e.reg)
				r := o.do(c.auth)
				if r.code != c.want[i] {
					t.Errorf("%s %s: %d %s, want %d", c.who, o.name, r.code, r.body, c.want[i])
				}
				if r.code == 401 && r.header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s %s: 401 without WWW-Authenticate", c.who, o.name)
				}
				if r.code >= 400 && storetest.RegistrySnapshot(t, e.reg) != before {
					t.Errorf("%s %s: refused, yet the store changed", c.who, o.name)
				}
			}
		}

		// A revoked token stops working.
		toks, _ := e.reg.Tokens(t.Context(), "eve")
		if err := e.reg.RevokeToken(t.Context(), concord.User{Name: "eve", Role: concord.RoleEditor}, "eve", toks[0].ID); err != nil {
			t.Fatal(err)
		}
		if r := ops[2].do(req{token: e.tokens["eve"]}); r.code != 401 {
			t.Errorf("revoked token: %d %s", r.code, r.body)
		}

		// Sessions: the cookie authenticates, writes need the CSRF token too.
		cookie, csrf := e.login(t, "ed")
		ck := []*nethttp.Cookie{cookie}
		for _, c := range []struct {
			name   string
			header map[string]string
			want   int
		}{
			{"no CSRF token", nil, 403},
			{"wrong CSRF token", map[string]string{csrfHeader: csrf + "x"}, 403},
			{"another site", map[string]string{csrfHeader: csrf, "Origin": "https://evil.example"}, 403},
			{"a cross-site fetch", map[string]string{csrfHeader: csrf, "Sec-Fetch-Site": "cross-site"}, 403},
			{"right CSRF token", map[string]string{csrfHeader: csrf, "Origin": e.ts.URL}, 200},
		} {
			before := storetest.RegistrySnapshot(t, e.reg)
			r := ops[3].do(req{cookies: ck, header: c.header})
			if r.code != c.want {
				t.Errorf("session write, %s: %d %s, want %d", c.name, r.code, r.body, c.want)
			}
			if r.code == 403 && (storetest.RegistrySnapshot(t, e.reg) != before || !strings.Contains(r.err().Message, "CSRF") && !strings.Contains(r.err().Message, "site") && !strings.Contains(r.err().Message, "origin")) {
				t.Errorf("session write, %s: %s", c.name, r.body)
			}
		}
		// A session's reads need no CSRF token; logging out ends the session.
		if r := ops[0].do(req{cookies: ck}); r.code != 200 {
			t.Errorf("session read: %d", r.code)
		}
		if r := e.do(t, req{method: "POST", path: "/logout", cookies: ck, body: "csrf=nope", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}); r.code != 403 {
			t.Errorf("logout with a wrong CSRF token: %d", r.code)
		}
		r := e.do(t, req{method: "POST", path: "/logout", cookies: ck, body: "csrf=" + csrf, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
		if r.code != 303 {
			t.Errorf("logout: %d %s", r.code, r.body)
		}
		if r := ops[3].do(req{cookies: ck, header: map[string]string{csrfHeader: csrf}}); r.code != 401 {
			t.Errorf("write after logout: %d %s", r.code, r.body)
		}
		// A wrong password is refused without a cookie.
		r = e.do(t, req{method: "POST", path: "/login", body: "name=ed&password=guess", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
		if r.code != 401 || r.header.Get("Set-Cookie") != "" || !strings.Contains(string(r.body), "Wrong name or password") {
			t.Errorf("wrong password: %d %v", r.code, r.header)
		}

		// A private registry needs a login to be read.
		e.s.PrivateRegistry = true
		defer func() { e.s.PrivateRegistry = false }()
		for _, c := range []struct {
			who  string
			auth req
			want int
		}{{"anonymous", req{}, 401}, {"viewer", req{token: e.tokens["vic"]}, 200}, {"bad token", req{token: "x"}, 401}} {
			if r := ops[0].do(c.auth); r.code != c.want {
				t.Errorf("private registry, %s reads: %d, want %d", c.who, r.code, c.want)
			}
		}
	})
}

func merge2(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// Two editors load the same record and both save it at the version they
// read: exactly one wins, the other gets 412, and the winner's change is the
// one stored. Then many writers retry on 412 until their change is in: every
// accepted change is in the history and none is lost.
func TestRegistryConcurrentEdits(t *testing.T) {
	eachStore(t, func(t *testing.T, e *regEnv) {
		for _, path := range []string{"/api/v1/agreements/DEU-FRA_2001A", "/api/v1/commitments/2"} {
			r0 := e.do(t, req{method: "GET", path: path})
			tag := r0.header.Get("ETag")
			codes := make([]int, 2)
			var wg sync.WaitGroup
			for i, who := range []string{"eve", "ed"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var body map[string]any
					json.Unmarshal(r0.body, &body)
					if strings.Contains(path, "agreements") {
						body["summary"] = "edited by " + who
					} else {
						body["notes"] = "edited by " + who
					}
					codes[i] = e.do(t, req{method: "PUT", path: path, token: e.tokens[who], body: body, header: map[string]string{"If-Match": tag}}).code
				}()
			}
			wg.Wait()
			slices.Sort(codes)
			if codes[0] != 200 || codes[1] != 412 {
				t.Fatalf("%s: two editors at %s got %v, want one 200 and one 412", path, tag, codes)
			}
			r := e.do(t, req{method: "GET", path: path + "/history"})
			h := decodeAs[historyResult](t, r).Changes
			last := h[len(h)-1]
			if last.Action != "update" || last.Version != 2 || !strings.Contains(last.After, "edited by "+last.Who) {
				t.Errorf("%s: last change %+v", path, last)
			}
			r = e.do(t, req{method: "GET", path: path})
			if !strings.Contains(string(r.body), "edited by "+last.Who) || r.header.Get("ETag") != `"2"` {
				t.Errorf("%s: stored %s, want the winner %s's change at version 2", path, r.body, last.Who)
			}
		}

		// Many writers, each adding its own tag, retrying on 412.
		const writers, each = 6, 3
		var mu sync.Mutex
		accepted, rejected := 0, 0
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				who := []string{"eve", "ed", "ada"}[w%3]
				for k := range each {
					tag := fmt.Sprintf("w%d-%d", w, k)
					for {
						r := e.do(t, req{method: "GET", path: "/api/v1/agreements/CAN-USA_2010M"})
						var a concord.Agreement
						json.Unmarshal(r.body, &a)
						a.Tags = append(a.Tags, tag)
						u := e.do(t, req{method: "PUT", path: "/api/v1/agreements/CAN-USA_2010M", token: e.tokens[who], body: a, header: map[string]string{"If-Match": r.header.Get("ETag")}})
						mu.Lock()
						if u.code == 200 {
							accepted++
						} else {
							rejected++
						}
						mu.Unlock()
						if u.code == 200 {
							break
						}
						if u.code != 412 {
							t.Errorf("writer %d: %d %s", w, u.code, u.body)
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		a, err := e.reg.Agreement(t.Context(), "CAN-USA_2010M")
		if err != nil {
			t.Fatal(err)
		}
		h, _ := e.reg.History(t.Context(), "agreement", "CAN-USA_2010M")
		updates := 0
		for _, c := range h {
			if c.Action == "update" {
				updates++
			}
		}
		if accepted != writers*each || len(a.Tags) != writers*each || a.Version != 1+accepted || updates != accepted {
			t.Errorf("accepted %d, rejected %d, tags %d, version %d, updates in history %d; want %d each", accepted, rejected, len(a.Tags), a.Version, updates, writers*each)
		}
		t.Logf("%d writers: %d accepted, %d refused with 412 and retried", writers, accepted, rejected)
	})
}

// Without a registry every registry endpoint answers 503 and says why.
func TestRegistryAPINotConfigured(t *testing.T) {
	s, ts := newTestServer(t, fixtureStore(t))
	for _, e := range s.endpoints {
		if !e.Registry {
			continue
		}
		path := strings.ReplaceAll(strings.ReplaceAll(e.Path, "{id}", "1"), "{code}", "USA")
		r, _ := nethttp.NewRequest(e.method(), ts.URL+path, strings.NewReader("{}"))
		r.Header.Set("Content-Type", "application/json")
		res, err := ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		var er Error
		json.NewDecoder(res.Body).Decode(&er)
		res.Body.Close()
		if res.StatusCode != 503 || !strings.Contains(er.Message, "no agreements registry") {
			t.Errorf("%s %s: %d %+v", e.method(), path, res.StatusCode, er)
		}
	}
}

// The OpenAPI document lists every method of every path the server routes,
// with request bodies, security and If-Match where they apply, and the
// answers of the writes match the schemas it gives.
func TestRegistryOpenAPI(t *testing.T) {
	e := newRegEnv(t, regBackends[0])
	r := e.do(t, req{method: "GET", path: "/api/openapi.json"})
	var doc map[string]any
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	paths := doc["paths"].(map[string]any)
	ops := 0
	for _, ep := range e.s.endpoints {
		op, ok := paths[openAPIPath(ep.Path)].(map[string]any)[strings.ToLower(ep.method())].(map[string]any)
		if !ok {
			t.Errorf("%s %s is not documented", ep.method(), ep.Path)
			continue
		}
		ops++
		_, body := op["requestBody"]
		_, sec := op["security"]
		if body != (ep.Body != "") || sec != (ep.Auth != "") {
			t.Errorf("%s %s: requestBody %v, security %v", ep.method(), ep.Path, body, sec)
		}
		ifMatch := false
		for _, p := range op["parameters"].([]any) {
			ifMatch = ifMatch || p.(map[string]any)["name"] == "If-Match"
		}
		if ifMatch != (ep.Method == "PUT" || ep.Method == "DELETE") {
			t.Errorf("%s %s: If-Match documented %v", ep.method(), ep.Path, ifMatch)
		}
		var want []string
		if ep.Method != "" {
			want = append(want, "401", "403")
		}
		if ep.Method == "PUT" || ep.Method == "DELETE" {
			want = append(want, "412", "428")
		}
		for _, code := range want {
			if _, ok := op["responses"].(map[string]any)[code]; !ok {
				t.Errorf("%s %s: response %s not documented", ep.method(), ep.Path, code)
			}
		}
	}
	n := 0
	for _, item := range paths {
		n += len(item.(map[string]any))
	}
	if n != ops {
		t.Errorf("%d operations documented, %d routed", n, ops)
	}
	schemes := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	if schemes["bearerToken"] == nil || schemes["sessionCookie"] == nil || schemes["csrfToken"] == nil {
		t.Errorf("security schemes: %v", schemes)
	}
	// The answers of writes match their documented schemas.
	schemaOf := func(path, method, code string) map[string]any {
		op := paths[path].(map[string]any)[method].(map[string]any)
		return op["responses"].(map[string]any)[code].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	}
	check := func(what string, r resp, sc map[string]any) {
		t.Helper()
		var v any
		if err := json.Unmarshal(r.body, &v); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if err := validate(doc, sc, v, what); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	eve := e.tokens["eve"]
	r = e.do(t, req{method: "POST", path: "/api/v1/agreements", token: eve, body: agreementBody()})
	check("created agreement", r, schemaOf("/api/v1/agreements", "post", "201"))
	r = e.do(t, req{method: "POST", path: "/api/v1/commitments", token: eve, body: map[string]any{"agreement": "BRA-IND_2020M", "text": "x"}})
	check("created commitment", r, schemaOf("/api/v1/commitments", "post", "201"))
	r = e.do(t, req{method: "PUT", path: "/api/v1/commitments/1", token: eve, body: map[string]any{"text": "y", "status": "done"}, header: map[string]string{"If-Match": `"1"`}})
	check("updated commitment", r, schemaOf("/api/v1/commitments/{id}", "put", "200"))
	r = e.do(t, req{method: "PUT", path: "/api/v1/commitments/1", token: eve, body: map[string]any{"text": "y"}, header: map[string]string{"If-Match": `"1"`}})
	check("412", r, schemaOf("/api/v1/commitments/{id}", "put", "412"))
	r = e.do(t, req{method: "GET", path: "/api/v1/me", token: eve})
	check("me", r, schemaOf("/api/v1/me", "get", "200"))
	r = e.do(t, req{method: "GET", path: "/api/v1/users", token: e.tokens["ada"]})
	if r.code != 200 || !strings.Contains(string(r.body), `"name":"dan","role":"editor","disabled":true`) {
		t.Errorf("users: %d %s", r.code, r.body)
	}
	check("users", r, schemaOf("/api/v1/users", "get", "200"))
}
