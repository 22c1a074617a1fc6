package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/internal/testdata"
)

const hostArticle = `Title: Leaders meet
Published: 2023-12-05
URL: https://news.example/iran-cuba

TEHRAN, December 5 (RHC) -- Iranian President Ebrahim Raeisi received Cuban President Miguel Díaz-Canel in Tehran on Monday.
Havana praised Tehran for its support.
`

// TestEventsCodeStoreTimeline: code an article to JSON lines, store it twice (the second time is skipped), and read the pair's timeline.
func TestEventsCodeStoreTimeline(t *testing.T) {
	dir := t.TempDir()
	art := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(art, []byte(hostArticle), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "c.db")
	out, _, err := run(t, "--db", db, "events", "code", art, "--store")
	if err != nil {
		t.Fatal(err)
	}
	var host *concord.Event
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e concord.Event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("not one JSON object per line: %q: %v", line, err)
		}
		if e.Code == "043" {
			host = &e
		}
	}
	if host == nil || host.Source.State != "IRN" || host.Target.Name != "Miguel Díaz-Canel" || host.Date != "2023-12-04" ||
		host.Article.URL != "https://news.example/iran-cuba" || host.Goldstein != 2.8 || host.QuadClass != 1 || host.Place != "Tehran, Iran" {
		t.Fatalf("host event %+v in\n%s", host, out)
	}
	_, errOut, err := run(t, "--db", db, "events", "code", art, "--store")
	if err != nil || !strings.Contains(errOut, "already stored") {
		t.Fatalf("second store: %v %q", err, errOut)
	}
	out, _, err = run(t, "--db", db, "--format", "json", "events", "timeline", "Iran", "CUB")
	if err != nil {
		t.Fatal(err)
	}
	var tl eventTimeline
	if err := json.Unmarshal([]byte(out), &tl); err != nil {
		t.Fatal(err)
	}
	if len(tl.Months) != 1 || tl.Months[0].Month != "2023-12" || tl.Months[0].Events < 2 || tl.Months[0].Goldstein <= 0 || tl.Months[0].Quad[0] != tl.Months[0].Events {
		t.Errorf("timeline %+v", tl)
	}
	out, _, err = run(t, "--db", db, "--format", "json", "events", "list", "IRN", "CUB")
	if err != nil {
		t.Fatal(err)
	}
	var evs []concord.StoredEvent
	if err := json.Unmarshal([]byte(out), &evs); err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 || evs[0].Mentions != 1 || evs[0].Reports[0].Article.URL != "https://news.example/iran-cuba" {
		t.Errorf("stored events %+v (the repeated article must not add mentions)", evs)
	}
	if _, _, err := run(t, "--db", db, "events", "timeline", "IRN", "CUB", "--from", "2023-13"); err == nil || !strings.Contains(err.Error(), "--from") {
		t.Errorf("bad --from: %v", err)
	}
	if _, _, err := run(t, "--db", db, "events", "code", art, "--leaders", filepath.Join(dir, "nope.tsv")); err == nil || !strings.Contains(err.Error(), "--leaders") {
		t.Errorf("missing leaders file: %v", err)
	}
}

// TestEventsEval runs concord events eval on the development set and checks the scoring level is reported.
func TestEventsEval(t *testing.T) {
	gold := testdata.File(t, "events/articles/gold.json")
	out, _, err := run(t, "--format", "json", "events", "eval", gold)
	if err != nil {
		t.Fatal(err)
	}
	var scores []struct {
		Level     string
		Precision float64
		Recall    float64
		Gold      int
	}
	if err := json.Unmarshal([]byte(out), &scores); err != nil {
		t.Fatal(err)
	}
	if len(scores) != 4 || scores[0].Level != "full" || scores[0].Gold != 47 || scores[0].Precision < 0.78 || scores[0].Recall < 0.70 {
		t.Errorf("scores %+v", scores)
	}
}

// TestFetchDictionariesCommand downloads the dictionaries from a local server into --dir.
func TestFetchDictionariesCommand(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch name := filepath.Base(r.URL.Path); {
		case strings.HasSuffix(name, ".actors.txt"):
			w.Write([]byte("ARNOR [ARN]\n"))
		case name == "Phoenix.agents.txt":
			w.Write([]byte("PRESIDENT [~GOV]\n"))
		default:
			w.Write([]byte("--- PRAISE [051] ---\nPRAISE\n"))
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	_, errOut, err := run(t, "fetch", "dictionaries", "--url", srv.URL+"/", "--dir", dir)
	if err != nil {
		t.Fatal(err, errOut)
	}
	art := filepath.Join(dir, "a.txt")
	os.WriteFile(art, []byte("Published: 2020-01-01\n\nArnor praised Gondor on Monday.\nArnor praised France on Monday.\n"), 0o644)
	out, _, err := run(t, "events", "code", art, "--dict", dir, "--petrarch-verbs")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"state":"ARN"`) || !strings.Contains(out, `"cameo":"051"`) {
		t.Errorf("coding with the fetched dictionaries: %s", out)
	}
}

// TestEventsIngest ingests the development folder (each article once, a second run skips all), then an RSS feed of HTML pages.
func TestEventsIngest(t *testing.T) {
	dir := testdata.File(t, "events/articles")
	db := filepath.Join(t.TempDir(), "c.db")
	_, errOut, err := run(t, "--db", db, "events", "ingest", dir)
	if err != nil {
		t.Fatal(err, errOut)
	}
	if !strings.Contains(errOut, "11 articles coded, 0 already stored") {
		t.Errorf("first ingest: %s", errOut)
	}
	_, errOut, err = run(t, "--db", db, "events", "ingest", dir)
	if err != nil || !strings.Contains(errOut, "0 articles coded, 11 already stored (skipped), 0 failed") {
		t.Errorf("second ingest: %v %s", err, errOut)
	}
	out, _, err := run(t, "--db", db, "--format", "json", "events", "timeline", "IRN", "CUB")
	if err != nil || !strings.Contains(out, `"month": "2023-12"`) {
		t.Errorf("timeline after ingest: %v %s", err, out)
	}

	page := `<!DOCTYPE html><html><head><title>Kenya and Tanzania</title><meta property="article:published_time" content="2021-12-10T10:00:00Z"></head>
<body><nav>Home | News | Sport</nav><article><h1>Kenya and Tanzania sign pacts</h1>
<p>NAIROBI, Kenya, December 10 — Kenya and Tanzania have signed eight new bilateral agreements on trade and energy, officials said on Friday.</p>
<p>Kenyan President Uhuru Kenyatta praised Tanzania for its support during the talks, which lasted the whole afternoon and covered many subjects of common interest to the two neighbours.</p>
</article><footer>Copyright</footer></body></html>`
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><link>` + srv.URL + `/a</link></item><item><title>gone</title><link>` + srv.URL + `/gone</link></item></channel></rss>`))
		case "/a":
			w.Write([]byte(page))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	_, errOut, err = run(t, "--db", db, "events", "ingest", srv.URL+"/feed")
	if err != nil || !strings.Contains(errOut, "1 articles coded, 0 already stored (skipped), 1 failed") || !strings.Contains(errOut, "/gone: 404") {
		t.Fatalf("feed ingest: %v %s", err, errOut)
	}
	out, _, err = run(t, "--db", db, "--format", "json", "events", "list", "KEN", "TZA")
	if err != nil {
		t.Fatal(err)
	}
	var evs []concord.StoredEvent
	if err := json.Unmarshal([]byte(out), &evs); err != nil {
		t.Fatal(err)
	}
	fromFeed := false
	for _, e := range evs {
		for _, r := range e.Reports {
			if r.Article.URL == srv.URL+"/a" && e.Code == "057" && e.Date == "2021-12-10" {
				fromFeed = true
				if e.Mentions < 2 {
					t.Errorf("the signing reported by the folder's article and the feed's is one event with %d mentions, want 2", e.Mentions)
				}
			}
		}
	}
	if !fromFeed {
		t.Errorf("no KEN–TZA signing from the feed's HTML page: %s", out)
	}
	list := filepath.Join(t.TempDir(), "urls.txt")
	os.WriteFile(list, []byte("# addresses\nftp://x\n"), 0o644)
	if _, _, err := run(t, "--db", db, "events", "ingest", "--list", list); err == nil || !strings.Contains(err.Error(), "urls.txt:2:1") {
		t.Errorf("bad list: %v", err)
	}
}
