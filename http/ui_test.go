package http

import (
	"regexp"
	"strings"
	"testing"
)

func TestPages(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	cases := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"60 roll calls from 2000 to 2009", "420 votes of 7 states", `<option value="IRN">Iran</option>`}},
		{"/state", 200, []string{`name="state"`}},
		{"/pair", 200, []string{`name="a"`, `name="b"`}},
		{"/states/IRN?issue=hr", 200, []string{"Closest partners on Human rights", `href="/pairs/IRN/CHN"`, `role="img"`,
			`/api/v1/partners?a=IRN&amp;format=csv&amp;issue=hr`, "Ideal point over time", "agree over time with CHN, CUB, RUS"}},
		{"/states/USA?with=IRN,FRA&metric=kappa", 200, []string{"kappa over time with IRN, FRA", `<th scope="col" class="num">FRA</th>`, "USA–IRN"}},
		{"/states/USA?with=Atlantis", 200, []string{`Compare with: with: unknown state &#34;Atlantis&#34;`}},
		{"/pairs/USA/IRN", 200, []string{"30 roll calls on which they voted differently", `href="https://undocs.org/en/A/RES/64/105"`,
			"Fixture resolution on Economic development 2009", "Agreement per issue", "/api/v1/splits?a=USA&amp;b=IRN&amp;format=csv"}},
		{"/pairs/USA/IRN?issue=ec&from=2005", 200, []string{"5 roll calls on Economic development on which they voted differently"}},
		// Kappa (the default) finds 1 bloc: IRN, CUB and CHN vote yes on everything, so agree beyond chance with no
		// one: they are unaligned, not blocs of their own.
		{"/blocs?year=2009&span=10", 200, []string{"1 bloc, 2000–2009", `Unaligned (3)`, `<a href="/states/CHN" title="China">CHN</a>`, `type="range" min="2000" max="2009"`, "/api/v1/blocs?format=csv&amp;from=2000&amp;to=2009"}},
		{"/blocs?year=1990", 400, []string{"want a year from 2000 to 2009"}},
		{"/coalitions", 200, []string{`name="seeds"`}},
		{"/coalitions?seeds=USA,Israel&build=3", 200, []string{"The seeds: USA, ISR", `id="seed-cohesion">1<`, "<td class=\"state\">FRA France</td>", "The coalition grown to 3", "/api/v1/coalition/build?build=3&amp;format=csv&amp;seeds=USA%2CIsrael"}},
		{"/coalitions?seeds=Atlantis", 404, []string{"unknown state"}},
		{"/agreements", 200, []string{"No agreements registry is configured on this server"}},
		{"/trade", 200, []string{"This server has no trade data"}},
		{"/states/Atlantis", 404, []string{"unknown state"}},
		{"/states/FRG", 404, []string{"has no votes"}},
		{"/states/Iram", 404, []string{`href="/states/IRN"`}},
		{"/states/IRN?from=abc", 400, []string{"Parameter: <code>from</code>", "whole number"}},
		{"/pairs/USA/IRN?bogus=1", 400, []string{"unknown parameter"}},
		{"/no/such/page", 404, []string{"No page at /no/such/page"}},
	}
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`)
	for _, c := range cases {
		code, h, b := get(t, ts, c.path)
		body := string(b)
		if code != c.status || h.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: %d %s, want %d", c.path, code, h.Get("Content-Type"), c.status)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", c.path, w)
			}
		}
		// The Content-Security-Policy forbids inline scripts and style attributes.
		if strings.Contains(body, ` style="`) || inlineScript.MatchString(body) || strings.Contains(body, "<style") {
			t.Errorf("%s has inline style or script, which the CSP blocks", c.path)
		}
	}
	// The pickers' form targets redirect to the canonical page.
	client := *ts.Client()
	client.CheckRedirect = func(*http_Request, []*http_Request) error { return errUseLast }
	for path, want := range map[string]string{
		"/state?state=Iran&issue=me&from=":      "/states/IRN?issue=me",
		"/pair?a=United+States&b=ISR&from=2001": "/pairs/USA/ISR?from=2001",
	} {
		resp, err := client.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 303 || resp.Header.Get("Location") != want {
			t.Errorf("%s: %d → %q, want 303 → %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}
