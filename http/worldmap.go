package http

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/report"
)

// The blocs page's world map is drawn on the server from Natural Earth's
// 1:110m country shapes as packaged in TopoJSON by world-atlas (see
// world/README.md). TopoJSON (https://github.com/topojson/topojson-specification)
// stores each shared border once as an arc; a quantized topology's arcs are
// delta-encoded integer positions that the transform scales and translates
// back to longitude and latitude. Rings list arc indexes, ~i meaning arc i
// reversed. The map uses the equirectangular projection (x ∝ longitude,
// y ∝ latitude) cropped to 58°S–84°N, without Antarctica.

//go:embed world/countries-110m.json
var worldTopoJSON []byte

// topology is the part of a TopoJSON document the map reads.
type topology struct {
	Type      string                  `json:"type"`
	Objects   map[string]topoGeometry `json:"objects"`
	Arcs      [][][2]float64          `json:"arcs"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
}

// topoGeometry is a GeometryCollection, Polygon or MultiPolygon.
type topoGeometry struct {
	Type       string          `json:"type"`
	ID         any             `json:"id"`
	Properties map[string]any  `json:"properties"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []topoGeometry  `json:"geometries"`
}

// shape is one feature: its TopoJSON id, name and rings of (longitude, latitude).
type shape struct {
	ID, Name string
	Rings    [][][2]float64
}

// decodeTopoJSON returns the polygon features of the GeometryCollection called object in a TopoJSON document.
func decodeTopoJSON(data []byte, object string) ([]shape, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("topojson: type %q, want Topology", t.Type)
	}
	coll, ok := t.Objects[object]
	if !ok || coll.Type != "GeometryCollection" {
		return nil, fmt.Errorf("topojson: no GeometryCollection %q", object)
	}
	// Decode the arcs to absolute positions once.
	arcs := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		pts := make([][2]float64, len(a))
		var x, y float64
		for j, p := range a {
			if t.Transform != nil {
				x, y = x+p[0], y+p[1]
				pts[j] = [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			} else {
				pts[j] = p
			}
		}
		arcs[i] = pts
	}
	ring := func(idx []int) ([][2]float64, error) {
		var out [][2]float64
		for k, i := range idx {
			rev := i < 0
			if rev {
				i = ^i
			}
			if i >= len(arcs) {
				return nil, fmt.Errorf("arc %d of %d", i, len(arcs))
			}
			a := arcs[i]
			for j := range a {
				p := a[j]
				if rev {
					p = a[len(a)-1-j]
				}
				if k > 0 && j == 0 {
					continue // the first point of an arc repeats the last of the one before
				}
				out = append(out, p)
			}
		}
		return out, nil
	}
	var shapes []shape
	for n, g := range coll.Geometries {
		s := shape{}
		switch id := g.ID.(type) {
		case string:
			s.ID = id
		case float64:
			s.ID = strconv.FormatFloat(id, 'f', -1, 64)
		}
		if name, ok := g.Properties["name"].(string); ok {
			s.Name = name
		}
		var polys [][][]int
		var err error
		switch g.Type {
		case "Polygon":
			var p [][]int
			err = json.Unmarshal(g.Arcs, &p)
			polys = [][][]int{p}
		case "MultiPolygon":
			err = json.Unmarshal(g.Arcs, &polys)
		case "", "null":
			continue
		default:
			return nil, fmt.Errorf("topojson: geometry %d (%s): type %q, want Polygon or MultiPolygon", n, s.Name, g.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("topojson: geometry %d (%s): arcs: %w", n, s.Name, err)
		}
		for _, p := range polys {
			for _, idx := range p {
				r, err := ring(idx)
				if err != nil {
					return nil, fmt.Errorf("topojson: geometry %d (%s): %w", n, s.Name, err)
				}
				s.Rings = append(s.Rings, r)
			}
		}
		shapes = append(shapes, s)
	}
	return shapes, nil
}

// Map size and extent: equirectangular, 2.5 px per degree.
const (
	mapScale            = 2.5
	mapTop, mapBottom   = 84.0, -58.0
	mapWidth, mapHeight = 360 * mapScale, (mapTop - mapBottom) * mapScale
)

// project maps longitude and latitude to map pixels (equirectangular).
func project(lon, lat float64) (x, y float64) {
	return (lon + 180) * mapScale, (mapTop - lat) * mapScale
}

// svgPath is the SVG path data of rings, projected. A ring that crosses the
// antimeridian (a step of more than 180° in longitude, as in Russia's and
// Fiji's shapes) is unwrapped so that it runs on past ±180°, and drawn twice,
// shifted by 360°, so that the map's edges clip each copy to its own side.
func svgPath(rings [][][2]float64) string {
	var b strings.Builder
	num := func(v float64) { b.WriteString(strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)) }
	for _, r := range rings {
		lons := make([]float64, len(r))
		lo, hi := math.Inf(1), math.Inf(-1)
		for j, p := range r {
			lons[j] = p[0]
			if j > 0 {
				for lons[j]-lons[j-1] > 180 {
					lons[j] -= 360
				}
				for lons[j]-lons[j-1] < -180 {
					lons[j] += 360
				}
			}
			lo, hi = math.Min(lo, lons[j]), math.Max(hi, lons[j])
		}
		shifts := []float64{0}
		if hi > 180 {
			shifts = append(shifts, -360)
		}
		if lo < -180 {
			shifts = append(shifts, 360)
		}
		for _, sh := range shifts {
			for j, p := range r {
				x, y := project(lons[j]+sh, p[1])
				if j == 0 {
					b.WriteByte('M')
				} else {
					b.WriteByte('L')
				}
				num(x)
				b.WriteByte(',')
				num(y)
			}
			b.WriteByte('Z')
		}
	}
	return b.String()
}

// countryPath is one country of the map: its state code ("" when concord does not know it), name and path data.
type countryPath struct {
	Code, Name, D string
}

// worldPaths projects the embedded shapes once.
var worldPaths = sync.OnceValues(func() ([]countryPath, error) {
	shapes, err := decodeTopoJSON(worldTopoJSON, "countries")
	if err != nil {
		return nil, err
	}
	return countryPaths(shapes), nil
})

// countryPaths names the shapes' states (ISO 3166 numeric ids; by name for those without one) and projects them, Antarctica left out.
func countryPaths(shapes []shape) []countryPath {
	var out []countryPath
	for _, s := range shapes {
		if s.ID == "010" {
			continue // Antarctica
		}
		c := countryPath{Name: s.Name, D: svgPath(s.Rings)}
		if n, err := strconv.Atoi(s.ID); err == nil {
			if st, ok := countries.ByISONumeric(n); ok {
				c.Code, c.Name = st.Code, st.Name
			}
		} else if s.ID == "" {
			if st, err := countries.Lookup(s.Name); err == nil {
				c.Code, c.Name = st.Code, st.Name
			}
		}
		out = append(out, c)
	}
	return out
}

// noVotesFill is the colour of states without votes in the window.
const noVotesFill = "#d9d9d9"

// blocMap draws the map with each state filled by the colour of its bloc (palette order), grey when it cast no votes in the window.
func blocMap(id, title string, paths []countryPath, blocs []blocView) template.HTML {
	blocOf := map[string]int{}
	for i, bl := range blocs {
		for _, m := range append(append([]string(nil), bl.Core...), bl.Swing...) {
			blocOf[m] = i
		}
	}
	legendH := 24.0
	h := mapHeight + legendH*float64((len(blocs)+1+3)/4) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart world-map" id="%s" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, id, mapWidth, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">World map with each state coloured by its bloc; grey states cast no votes in the window. The same blocs are listed in the table below.</desc>`,
		id, html.EscapeString(title), id)
	fmt.Fprintf(&b, `<svg x="0" y="0" width="%g" height="%g" viewBox="0 0 %g %g">`, mapWidth, mapHeight, mapWidth, mapHeight) // clips the copies past ±180°
	fmt.Fprintf(&b, `<rect class="sea" x="0" y="0" width="%g" height="%g" fill="#eef4f8"/>`, mapWidth, mapHeight)
	for _, c := range paths {
		fill, label := noVotesFill, "no votes"
		if i, ok := blocOf[c.Code]; ok && c.Code != "" {
			fill = palette[i%len(palette)]
			label = "bloc " + blocs[i].ID
		}
		fmt.Fprintf(&b, `<path d="%s" fill="%s" stroke="#fff" stroke-width="0.4" data-state="%s"><title>%s — %s</title></path>`,
			c.D, fill, html.EscapeString(c.Code), html.EscapeString(c.Name), label)
	}
	b.WriteString(`</svg>`)
	// Legend: four entries a row.
	entry := func(k int, fill, text string) {
		x, y := 8+float64(k%4)*(mapWidth/4), mapHeight+8+float64(k/4)*legendH
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="14" height="14" fill="%s" stroke="#666" stroke-width="0.5"/><text class="legend" x="%g" y="%g" dy="0.8em">%s</text>`,
			x, y, fill, x+20, y, html.EscapeString(text))
	}
	for i, bl := range blocs {
		entry(i, palette[i%len(palette)], fmt.Sprintf("Bloc %s (%s %s)", bl.ID, bl.Name, report.StateName(bl.Name)))
	}
	entry(len(blocs), noVotesFill, "No votes in the window")
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
