package events

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
)

// Article is a news text to code: its body, headline, address and publication date.
type Article struct {
	ID        string    // hex SHA-256 of the raw input
	URL       string    // address, when known
	Title     string    // headline, when known
	Published time.Time // publication date, zero when unknown
	Text      string    // main text; evidence offsets refer to it
}

var headerLine = regexp.MustCompile(`^(Title|Outlet|Published|URL|Date|Source):\s*(.*)$`)

// ReadArticle reads an article from plain text or HTML. HTML (sniffed from the
// first kilobyte) goes through readability (codeberg.org/readeck/go-readability,
// a maintained port of Mozilla's Readability) to keep the main text, its title
// and its published time. Plain text may start with header lines "Title:",
// "Outlet:", "Published: yyyy-mm-dd" and "URL:", ended by a blank line.
// address is used as the URL when the input does not give one.
func ReadArticle(r io.Reader, address string) (*Article, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	a := &Article{ID: hex.EncodeToString(sum[:]), URL: address}
	head := raw
	if len(head) > 1024 {
		head = head[:1024]
	}
	lh := bytes.ToLower(head)
	if bytes.Contains(lh, []byte("<html")) || bytes.Contains(lh, []byte("<!doctype html")) || bytes.Contains(lh, []byte("<body")) || bytes.Contains(lh, []byte("<p>")) {
		var u *url.URL
		if address != "" {
			u, _ = url.Parse(address)
		}
		p := readability.NewParser()
		art, err := p.Parse(bytes.NewReader(raw), u)
		if err != nil {
			return nil, fmt.Errorf("%s: extracting the main text: %w", address, err)
		}
		var b strings.Builder
		if art.Node != nil {
			if err := art.RenderText(&b); err != nil {
				return nil, err
			}
		}
		a.Title = strings.TrimSpace(art.Title())
		if t, err := art.PublishedTime(); err == nil {
			a.Published = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		}
		a.Text = strings.TrimSpace(b.String())
		if a.Text == "" {
			return nil, fmt.Errorf("%s: no main text found in the HTML", address)
		}
		return a, nil
	}
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	lines := strings.SplitAfter(text, "\n")
	i, off := 0, 0
	for ; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		m := headerLine.FindStringSubmatch(l)
		if m == nil {
			break
		}
		v := strings.TrimSpace(m[2])
		switch m[1] {
		case "Title":
			a.Title = v
		case "URL", "Source":
			if a.URL == "" || m[1] == "URL" {
				a.URL = v
			}
		case "Published", "Date":
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				return nil, fmt.Errorf("%s:%d:%d: Published %q: want yyyy-mm-dd", address, i+1, len(m[1])+3, v)
			}
			a.Published = t
		}
		off += len(lines[i])
	}
	a.Text = text[off:]
	if strings.TrimSpace(a.Text) == "" {
		return nil, fmt.Errorf("%s: the article has no text", address)
	}
	if a.URL == "" {
		a.URL = addressLine(a.Text)
	}
	return a, nil
}

var reAddressLine = regexp.MustCompile(`^<?(https?://[^\s<>]+)>?$`)

// addressLine returns the address a copied article gives on a line of its
// own ("<https://www.radiohc.cu/...>" after the body, as pages copied with
// their link are), the last such line; "" when there is none.
func addressLine(text string) string {
	lines := strings.Split(text, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if m := reAddressLine.FindStringSubmatch(strings.TrimSpace(lines[i])); m != nil {
			if u, err := url.Parse(m[1]); err == nil && u.Host != "" {
				return m[1]
			}
		}
	}
	return ""
}
