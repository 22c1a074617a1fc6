package brief

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// outDir is where the rendered briefs are written for a person to look at.
func outDir(t *testing.T) string {
	d := filepath.Join("..", "testout", "brief")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRenderEveryFormat renders the briefs of two pairs and a coalition in
// every format, checks what each must contain and writes them to
// testout/brief for a person to look at.
func TestRenderEveryFormat(t *testing.T) {
	f := realData(t)
	for _, states := range [][]string{{"IRN", "CUB"}, {"CHN", "USA"}, {"RUS", "FIN", "SWE"}} {
		b, err := Build(context.Background(), f.sources(), states, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.ToLower(strings.Join(states, "-"))
		for _, format := range Formats {
			var buf bytes.Buffer
			if err := Write(&buf, format, b); err != nil {
				t.Fatalf("%s %s: %v", name, format, err)
			}
			out := buf.Bytes()
			switch format {
			case "pdf":
				if !bytes.HasPrefix(out, []byte("%PDF-")) || bytes.Count(out, []byte("/Subtype /Image")) < 3 {
					t.Errorf("%s: the PDF is not a PDF with its three charts as images (%d bytes)", name, len(out))
				}
			case "html":
				for _, want := range []string{`id="brief-ideal"`, `id="brief-agreement"`, `id="brief-events"`, "Source: ", "<path d=\"M"} {
					if !bytes.Contains(out, []byte(want)) {
						t.Errorf("%s: the HTML lacks %q", name, want)
					}
				}
				if bytes.Contains(out, []byte(" style=\"")) {
					t.Errorf("%s: the HTML has a style attribute, which the web UI's Content-Security-Policy blocks", name)
				}
			case "json":
				var top map[string]json.RawMessage
				if err := json.Unmarshal(out, &top); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if len(top) != 6 {
					t.Errorf("%s: JSON keys %v, want exactly the six sections", name, keys(top))
				}
				for _, k := range []string{"alignment", "positions", "agreements", "events", "economy", "coalition"} {
					var s Section
					if err := json.Unmarshal(top[k], &s); err != nil || s.Source == "" {
						t.Errorf("%s: section %s has no source (%v)", name, k, err)
					}
				}
			case "md":
				for _, want := range []string{"## Alignment", "## Positions", "## Agreements", "## Events", "## Economy", "## Coalition", "*Source: "} {
					if !bytes.Contains(out, []byte(want)) {
						t.Errorf("%s: the Markdown lacks %q", name, want)
					}
				}
			}
			if err := os.WriteFile(filepath.Join(outDir(t), name+"."+format), out, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := Write(&bytes.Buffer{}, "docx", &Brief{}); err == nil || !strings.Contains(err.Error(), "md, html, json, pdf") {
		t.Errorf("unknown format: %v", err)
	}
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
