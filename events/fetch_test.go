package events

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tinyActors = "IRAN_ [IRN]\n+PERSIA\nAYATOLLAH_KHAMENEI\n\t[IRNGOV >19890604]\n"
const tinyAgents = "PRESIDENT [~GOV]\n"
const tinyVerbs = "--- MEET [040] ---\nMEET {MET MEETS}\n- * CORRESPONDENT [043]\n"

// TestFetchDictionaries downloads from a local server, writes whole files only, and keeps them on a second run.
func TestFetchDictionaries(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		name, ok := strings.CutPrefix(r.URL.Path, "/dict/")
		switch {
		case !ok:
			http.NotFound(w, r)
		case strings.HasSuffix(name, ".actors.txt"):
			w.Write([]byte(tinyActors))
		case name == "Phoenix.agents.txt":
			w.Write([]byte(tinyAgents))
		case name == "CAMEO.2.0.txt":
			w.Write([]byte(tinyVerbs))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	got, err := FetchDictionaries(context.Background(), srv.Client(), srv.URL+"/dict", dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(PetrarchFiles) {
		t.Fatalf("wrote %v", got)
	}
	d := Builtin()
	if _, err := d.LoadDir(dir, true); err != nil {
		t.Fatal(err)
	}
	if es := d.Lookup("Ayatollah Khamenei", day("2023-01-01")); len(es) == 0 || es[0].State != "IRN" {
		t.Errorf("fetched actors not loaded: %+v", es)
	}
	found := false
	for _, r := range d.Verbs() {
		if r.Code == "043" && strings.Join(r.Trigger, " ") == "met" && len(r.Needs) == 1 && r.Needs[0] == "correspondent" {
			found = true
		}
	}
	if !found {
		t.Errorf("fetched verb pattern MET * CORRESPONDENT [043] not loaded: %+v", d.Verbs())
	}
	hits = 0
	if got, err := FetchDictionaries(context.Background(), srv.Client(), srv.URL+"/dict", dir, false); err != nil || len(got) != 0 || hits != 0 {
		t.Errorf("second run downloaded %v (%d requests, %v), want nothing", got, hits, err)
	}
	// a server answering 404 leaves no file behind and says which
	dir2 := t.TempDir()
	_, err = FetchDictionaries(context.Background(), srv.Client(), srv.URL+"/missing", dir2, false)
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("404: %v", err)
	}
	if ents, _ := os.ReadDir(dir2); len(ents) != 0 {
		t.Errorf("files left after a failed download: %v", ents)
	}
	if _, err := os.Stat(filepath.Join(dir, "CAMEO.2.0.txt")); err != nil {
		t.Error(err)
	}
}
