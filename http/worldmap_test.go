package http

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// A hand-made quantized topology: two squares sharing an edge (arc 0), the
// second a MultiPolygon with a triangle as well; transform scale (0.5, 2),
// translate (10, −20).
const handTopo = `{"type":"Topology",
 "transform":{"scale":[0.5,2],"translate":[10,-20]},
 "objects":{"countries":{"type":"GeometryCollection","geometries":[
  {"type":"Polygon","arcs":[[0,1]],"id":"840","properties":{"name":"A"}},
  {"type":"MultiPolygon","arcs":[[[2,-1]],[[3]]],"id":"192","properties":{"name":"B"}},
  {"type":"Polygon","arcs":[[3]],"properties":{"name":"Kosovo"}}
 ]}},
 "arcs":[[[0,0],[0,2]],[[0,2],[-2,0],[0,-2],[2,0]],[[0,0],[2,0],[0,2],[-2,0]],[[5,5],[1,0],[-1,1],[0,-1]]]}`

func TestDecodeTopoJSON(t *testing.T) {
	shapes, err := decodeTopoJSON([]byte(handTopo), "countries")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"840 A [[[10 -20] [10 -16] [9 -16] [9 -20] [10 -20]]]",
		"192 B [[[10 -20] [11 -20] [11 -16] [10 -16] [10 -20]] [[12.5 -10] [13 -10] [12.5 -8] [12.5 -10]]]",
		" Kosovo [[[12.5 -10] [13 -10] [12.5 -8] [12.5 -10]]]",
	}
	if len(shapes) != len(want) {
		t.Fatalf("%d shapes, want %d", len(shapes), len(want))
	}
	for i, s := range shapes {
		if got := fmt.Sprint(s.ID, " ", s.Name, " ", s.Rings); got != want[i] {
			t.Errorf("shape %d:\n got %s\nwant %s", i, got, want[i])
		}
	}
	// The ids are ISO 3166 numeric codes; a shape without one is named by its name.
	ps := countryPaths(shapes)
	if got := fmt.Sprint(ps[0].Code, ps[1].Code, ps[2].Code); got != "USACUBKOS" {
		t.Errorf("codes %q", got)
	}
	if ps[0].D != "M475,260L475,250L472.5,250L472.5,260L475,260Z" {
		t.Errorf("path of A: %s", ps[0].D)
	}

	for _, c := range []struct{ doc, want string }{
		{`{"type":"Feature"}`, "want Topology"},
		{`{"type":"Topology","objects":{}}`, `no GeometryCollection "countries"`},
		{`{"type":"Topology","arcs":[],"objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0]],"properties":{"name":"X"}}]}}}`, "geometry 0 (X): arc 0 of 0"},
		{`{"type":"Topology","arcs":[],"objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"LineString","arcs":[0]}]}}}`, "want Polygon or MultiPolygon"},
		{`{"type":"Topology","arcs":[],"objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[0]}]}}}`, "geometry 0 (): arcs:"},
		{`{"type":`, "topojson:"},
	} {
		if _, err := decodeTopoJSON([]byte(c.doc), "countries"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.doc, err, c.want)
		}
	}
}

func TestProject(t *testing.T) {
	for _, c := range []struct{ lon, lat, x, y float64 }{
		{-180, 84, 0, 0}, {180, -58, mapWidth, mapHeight}, {0, 0, 450, 210}, {-77, 38.9, 257.5, 112.75},
	} {
		if x, y := project(c.lon, c.lat); x != c.x || y != c.y {
			t.Errorf("project(%g, %g) = (%g, %g), want (%g, %g)", c.lon, c.lat, x, y, c.x, c.y)
		}
	}
}

// A ring across the antimeridian is drawn on both sides of the map, never as a band across it.
func TestSVGPathAntimeridian(t *testing.T) {
	got := svgPath([][][2]float64{{{170, 0}, {-170, 0}, {-170, 10}, {170, 10}, {170, 0}}})
	want := "M875,210L925,210L925,185L875,185L875,210Z" + "M-25,210L25,210L25,185L-25,185L-25,210Z"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// The embedded Natural Earth shapes decode, and the states are where they belong.
func TestWorldPaths(t *testing.T) {
	paths, err := worldPaths()
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]countryPath{}
	unknown := 0
	for _, p := range paths {
		if p.Code == "" {
			unknown++
			continue
		}
		byCode[p.Code] = p
	}
	if len(paths) != 176 || unknown != 2 { // N. Cyprus and Somaliland are no states of concord's
		t.Errorf("%d countries (want 176 without Antarctica), %d without a state: %v", len(paths), unknown, paths[0].Name)
	}
	num := regexp.MustCompile(`[-0-9.]+`)
	for _, c := range []struct {
		code           string
		x0, x1, y0, y1 float64 // bounds the whole shape must lie in
	}{
		{"CUB", 220, 270, 130, 165}, {"FRA", 0, 900, 0, 355}, {"AUS", 720, 900, 210, 355}, {"NOR", 0, 900, 0, 100},
	} {
		p, ok := byCode[c.code]
		if !ok {
			t.Errorf("no shape for %s", c.code)
			continue
		}
		for i, v := range num.FindAllString(p.D, -1) {
			var f float64
			fmt.Sscan(v, &f)
			if lo, hi := map[bool][2]float64{true: {c.x0, c.x1}, false: {c.y0, c.y1}}[i%2 == 0][0], map[bool][2]float64{true: {c.x0, c.x1}, false: {c.y0, c.y1}}[i%2 == 0][1]; f < lo || f > hi {
				t.Errorf("%s: coordinate %d = %g outside [%g, %g]", c.code, i, f, lo, hi)
				break
			}
		}
	}
}

// The blocs page's map fills USA and CUB by their (different) blocs and leaves states without votes grey.
// By agreement: under kappa, the default, the fixture's IRN, CUB and CHN (yes on everything) are blocs of their own.
func TestBlocsPageMap(t *testing.T) {
	_, ts := newTestServer(t, fixtureStore(t))
	code, _, b := get(t, ts, "/blocs?year=2009&span=10&metric=agree")
	if code != 200 {
		t.Fatalf("status %d: %s", code, b)
	}
	page := string(b)
	fill := func(state string) string {
		m := regexp.MustCompile(`<path d="M[^"]+" fill="(#[0-9a-fA-F]+)"[^>]*data-state="` + state + `"><title>([^<]+)</title>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no path for %s in the map", state)
		}
		return m[1] + " " + m[2]
	}
	usa, cub, isr, bra := fill("USA"), fill("CUB"), fill("ISR"), fill("BRA")
	if usa[:7] == cub[:7] || usa[:7] != isr[:7] {
		t.Errorf("USA %q, CUB %q, ISR %q: want USA with ISR and apart from CUB", usa, cub, isr)
	}
	if !strings.HasPrefix(bra, noVotesFill+" Brazil — no votes") || !strings.Contains(usa, "United States — bloc B") {
		t.Errorf("BRA %q, USA %q", bra, usa)
	}
	if n := strings.Count(page, "<path d="); n != 176 {
		t.Errorf("%d country paths, want 176", n)
	}
	for _, w := range []string{`id="bloc-map"`, "No votes in the window", "Bloc A (CHN China)", "Natural Earth"} {
		if !strings.Contains(page, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

// BenchmarkWorldPaths measures decoding and projecting the embedded shapes (done once at startup).
func BenchmarkWorldPaths(b *testing.B) {
	for b.Loop() {
		shapes, err := decodeTopoJSON(worldTopoJSON, "countries")
		if err != nil {
			b.Fatal(err)
		}
		countryPaths(shapes)
	}
}

// BenchmarkBlocMap measures drawing the map of one window's blocs (done per page view).
func BenchmarkBlocMap(b *testing.B) {
	paths, err := worldPaths()
	if err != nil {
		b.Fatal(err)
	}
	bl := []blocView{{ID: "A", Name: "CHN", Core: []string{"CHN", "CUB", "IRN", "RUS"}}, {ID: "B", Name: "USA", Core: []string{"USA", "FRA", "ISR"}}}
	var n int
	for b.Loop() {
		n = len(blocMap("m", "t", paths, bl))
	}
	b.ReportMetric(float64(n), "bytes/map")
}
