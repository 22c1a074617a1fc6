package http

import (
	"encoding/json"
	"testing"
)

func TestIdeal(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	type row struct {
		Country       string
		Cow           *int
		Year, Session *int
		Ideal         float64
		SE, Lo, Hi    *float64
		Votes         int
	}
	code, _, b := get(t, ts, "/api/v1/ideal?by=year&states=USA,iran")
	if code != 200 {
		t.Fatalf("%d %s", code, b)
	}
	rows := decode[[]row](t, b)
	// Each year three roll calls split the states (me, hr, ec); the other three are unanimous and carry no information.
	if len(rows) != 20 {
		t.Fatalf("want 10 years each of USA and IRN: %s", b)
	}
	for i, r := range rows {
		want := "USA"
		if i >= 10 {
			want = "IRN"
		}
		if r.Country != want || r.Year == nil || *r.Year != 2000+i%10 || r.Session != nil || r.Cow == nil || r.Votes != 3 {
			t.Errorf("row %d: %+v", i, r)
		}
		if r.SE != nil || r.Lo != nil || r.Hi != nil {
			t.Errorf("row %d: se, lo, hi must be null without bootstrap: %+v", i, r)
		}
		// The scale is oriented so that the United States is positive; Iran votes against it on every split.
		if (want == "USA") != (r.Ideal > 0) {
			t.Errorf("row %d: %s at %g", i, r.Country, r.Ideal)
		}
	}

	// Static by session with a bootstrap: one point per state, with an interval around it.
	code, _, b = get(t, ts, "/api/v1/ideal?model=static&bootstrap=5&from=2005")
	if code != 200 {
		t.Fatalf("%d %s", code, b)
	}
	rows = decode[[]row](t, b)
	if len(rows) != len(fixtureStates) {
		t.Fatalf("want one point per state: %s", b)
	}
	for _, r := range rows {
		if r.SE == nil || r.Lo == nil || r.Hi == nil || *r.SE < 0 || *r.Lo > *r.Hi || r.Session != nil || r.Votes != 15 {
			t.Errorf("bootstrapped static point: %+v", r)
		}
	}

	// CSV has the CLI's columns.
	code, _, b = get(t, ts, "/api/v1/ideal?by=year&states=USA&format=csv")
	if code != 200 || string(b[:len("country,cow,year,ideal,se,lo,hi,votes")]) != "country,cow,year,ideal,se,lo,hi,votes" {
		t.Errorf("csv: %d %s", code, b)
	}

	for _, c := range []struct {
		path   string
		status int
		param  string
	}{
		{"/api/v1/ideal?by=decade", 400, "by"},
		{"/api/v1/ideal?model=wild", 400, "model"},
		{"/api/v1/ideal?bootstrap=51", 400, "bootstrap"},
		{"/api/v1/ideal?bootstrap=-1", 400, "bootstrap"},
		{"/api/v1/ideal?from=2009&to=2001", 400, "from"},
		{"/api/v1/ideal?from=2020&to=2025", 400, "from"},
		{"/api/v1/ideal?states=Atlantis", 404, "states"},
		{"/api/v1/ideal?states=USA,DEU", 404, "states"},
	} {
		code, _, b := get(t, ts, c.path)
		var e Error
		json.Unmarshal(b, &e)
		if code != c.status || e.Param != c.param {
			t.Errorf("%s: %d %s, want %d about %s", c.path, code, b, c.status, c.param)
		}
	}
}
