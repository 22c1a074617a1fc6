package http

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
)

var (
	timelineRowRe  = regexp.MustCompile(`<tr><td class="nowrap">([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>`)
	timelineNextRe = regexp.MustCompile(`<a href="([^"]*)" class="tl-next">`)
	timelinePrevRe = regexp.MustCompile(`<a href="([^"]*)" class="tl-prev">`)
)

// timelineSection is the part of the /agreements page that shows the timeline.
func timelineSection(t *testing.T, body []byte) string {
	t.Helper()
	s := string(body)
	i := strings.Index(s, `id="tl-h"`)
	if i < 0 {
		t.Fatalf("no timeline on the page: %.300s", s)
	}
	s = s[i:]
	return s[:strings.Index(s, "</section>")]
}

// The pair's timeline on /agreements comes in pages: each says which steps of
// how many it shows and links to the earlier and later ones (keeping the
// filters); walked through, the pages are the whole timeline in order. The
// CSV link has the whole timeline; a page past the end says so.
func TestRegistryTimelinePages(t *testing.T) {
	eachStore(t, func(t *testing.T, e *regEnv) {
		whole := sampleTimeline(t, e.reg)
		e.s.timelineRows = 2
		var got []string
		path := "/agreements?party=FRA&party=DEU"
		prev := ""
		for page := 1; ; page++ {
			r := e.page(t, path, nil)
			if r.code != 200 {
				t.Fatalf("%s: %d %.300s", path, r.code, r.body)
			}
			sec := timelineSection(t, r.body)
			first, last := 2*page-1, min(2*page, len(whole))
			if want := fmt.Sprintf("Steps %d–%d of %d", first, last, len(whole)); !strings.Contains(sec, want) {
				t.Errorf("page %d lacks %q", page, want)
			}
			if !strings.Contains(sec, `href="/api/v1/timeline?a=FRA&amp;b=DEU&amp;format=csv&amp;limit=0"`) {
				t.Errorf("page %d: the CSV link is not the whole timeline's", page)
			}
			rows := timelineRowRe.FindAllStringSubmatch(sec, -1)
			if len(rows) != last-first+1 {
				t.Fatalf("page %d shows %d steps, want %d", page, len(rows), last-first+1)
			}
			for _, m := range rows {
				got = append(got, html.UnescapeString(m[1]+" "+m[2]+" "+m[3]))
			}
			if p := timelinePrevRe.FindStringSubmatch(sec); (p != nil) != (page > 1) || (p != nil && html.UnescapeString(p[1]) != prev+"#tl-h") {
				t.Errorf("page %d: link to the earlier steps %q, want %q", page, p, prev)
			}
			next := timelineNextRe.FindStringSubmatch(sec)
			if last == len(whole) {
				if next != nil {
					t.Errorf("the last page links to later steps: %s", next[1])
				}
				break
			}
			if next == nil {
				t.Fatalf("page %d (steps %d–%d of %d) has no link to the later steps", page, first, last, len(whole))
			}
			link := html.UnescapeString(next[1])
			if !strings.Contains(link, "party=FRA") || !strings.Contains(link, "party=DEU") || !strings.Contains(link, fmt.Sprintf("tlpage=%d", page+1)) || !strings.HasSuffix(link, "#tl-h") {
				t.Fatalf("page %d: link to the later steps %s", page, link)
			}
			prev, path = path, strings.TrimSuffix(link, "#tl-h")
		}
		var want []string
		for _, s := range whole {
			state := s.State
			if state == "" {
				state = "all"
			}
			want = append(want, s.Date+" "+state+" "+s.Event)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("the pages put together:\n%s\nwant the whole timeline:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		// The agreements' own pages keep the timeline's page, and the other way round.
		r := e.page(t, "/agreements?party=FRA&party=DEU&tlpage=2", nil)
		if sec := timelineSection(t, r.body); !strings.Contains(sec, fmt.Sprintf("Steps 3–4 of %d", len(whole))) {
			t.Errorf("tlpage=2: %s", sec)
		}
		// Past the end: no steps, said so, with a way back to the last page.
		r = e.page(t, "/agreements?party=FRA&party=DEU&tlpage=1000", nil)
		sec := timelineSection(t, r.body)
		lastPage := (len(whole) + 1) / 2
		if !strings.Contains(sec, fmt.Sprintf("No steps on this page: the timeline has %d.", len(whole))) || timelineRowRe.MatchString(sec) {
			t.Errorf("past the end: %s", sec)
		}
		if p := timelinePrevRe.FindStringSubmatch(sec); p == nil || !strings.Contains(html.UnescapeString(p[1]), fmt.Sprintf("tlpage=%d#", lastPage)) {
			t.Errorf("past the end: link back %q, want one to page %d", p, lastPage)
		}
		mustContain(t, "tlpage=0", e.page(t, "/agreements?party=FRA&party=DEU&tlpage=0", nil), 400, "tlpage")

		// With the default page size the sample fits on one page, without links.
		e.s.timelineRows = 0
		sec = timelineSection(t, e.page(t, "/agreements?party=FRA&party=DEU", nil).body)
		if !strings.Contains(sec, fmt.Sprintf("Steps 1–%d of %d", len(whole), len(whole))) || strings.Contains(sec, "tl-next") || strings.Contains(sec, "tl-prev") {
			t.Errorf("one page: %s", sec)
		}
		// Two states sharing nothing.
		sec = timelineSection(t, e.page(t, "/agreements?party=FRA&party=NZL", nil).body)
		if !strings.Contains(sec, "They share no agreement.") || strings.Contains(sec, "Steps ") {
			t.Errorf("no shared agreement: %s", sec)
		}
	})
}
