package http

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/ideal"
)

// The state page's ideal points: a dynamic fit by year over the page's window,
// by default 1991–2019 (the post-Cold-War record, a few seconds to fit, then
// cached per loaded matrix). The band is ±1.645 posterior sd, a 90% band that
// ignores the uncertainty of the roll calls' parameters (no bootstrap on a page).
const idealPageFrom, idealPageTo = 1991, 2019

// idealBand is the z of the page's 90% band.
const idealBand = 1.645

// idealRow is one year of the state page's ideal-point table.
type idealRow struct {
	Year          int
	Ideal, Lo, Hi float64
	Votes         int
}

// stateIdeal fills the ideal-point section of the state page; a failed fit is shown, not fatal.
func (s *Server) stateIdeal(d *statePageData, ix *align.Index, w align.Window, code, name string) {
	if w.From == 0 {
		w.From = idealPageFrom
	}
	if w.To == 0 {
		w.To = idealPageTo
	}
	if w.From > w.To {
		w.From = w.To
	}
	d.IdealFrom, d.IdealTo = w.From, w.To
	opt := ideal.Options{By: ideal.Year, Dynamic: true, Seed: 1}
	res, err := s.fitIdeal(ix, w, opt)
	if err != nil {
		d.IdealError = err.Error()
		return
	}
	tr := res.Trajectory(code)
	if tr == nil {
		d.IdealError = fmt.Sprintf("%s has no position in %d–%d on these roll calls.", name, w.From, w.To)
		return
	}
	for _, p := range tr {
		d.IdealRows = append(d.IdealRows, idealRow{Year: p.Period, Ideal: p.Ideal, Lo: p.Ideal - idealBand*p.PostSD, Hi: p.Ideal + idealBand*p.PostSD, Votes: p.Votes})
	}
	d.IdealChart = bandChart("ideal-chart", fmt.Sprintf("Ideal point of %s per year, %d–%d, with a 90%% band (±1.645 posterior sd)", name, w.From, w.To),
		"Line chart of the state's position per year on the common scale (higher: closer to the United States), with a shaded band; the same numbers are in the table beside it.",
		d.IdealRows)
	d.IdealCSV = apiURL("/api/v1/ideal", "by", "year", "from", itoaOmit(w.From), "to", itoaOmit(w.To), "issue", string(w.Issue),
		"important", boolOmit(w.Important), "states", code, "format", "csv")
}

// bandChart draws one series with a shaded band from Lo to Hi, the y range fitted to the band.
func bandChart(id, title, desc string, rows []idealRow) template.HTML {
	const w, h, ml, mr, mt, mb = 720.0, 300.0, 48.0, 16.0, 16.0, 40.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" id="%s" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, id, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(desc))
	if len(rows) == 0 {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" class="empty">No positions in this window.</text></svg>`, w/2, h/2)
		return template.HTML(b.String())
	}
	minX, maxX := float64(rows[0].Year), float64(rows[len(rows)-1].Year)
	if maxX == minX {
		minX, maxX = minX-1, maxX+1
	}
	lo, hi := 0.0, 0.0
	for _, r := range rows {
		lo, hi = math.Min(lo, r.Lo), math.Max(hi, r.Hi)
	}
	lo, hi = math.Floor(lo*2)/2, math.Ceil(hi*2)/2
	if hi == lo {
		hi = lo + 1
	}
	px := func(x float64) float64 { return ml + (x-minX)/(maxX-minX)*(w-ml-mr) }
	py := func(y float64) float64 { return mt + (hi-y)/(hi-lo)*(h-mt-mb) }
	for _, y := range niceTicks(lo, hi) {
		fmt.Fprintf(&b, `<line class="grid" x1="%g" x2="%g" y1="%.1f" y2="%.1f"/>`, ml, w-mr, py(y), py(y))
		fmt.Fprintf(&b, `<text class="tick" x="%g" y="%.1f" text-anchor="end" dy="0.32em">%s</text>`, ml-6, py(y), trimFloat(y))
	}
	fmt.Fprintf(&b, `<text class="axis-label" transform="translate(12 %g) rotate(-90)" text-anchor="middle">ideal point</text>`, mt+(h-mt-mb)/2)
	step := math.Max(1, math.Ceil((maxX-minX)/8))
	for x := math.Ceil(minX/step) * step; x <= maxX; x += step {
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%g" y2="%g"/>`, px(x), px(x), h-mb, h-mb+4)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%g" text-anchor="middle">%g</text>`, px(x), h-mb+18, x)
	}
	var band, line strings.Builder
	for i, r := range rows {
		fmt.Fprintf(&band, "%s%.1f %.1f ", map[bool]string{true: "M", false: "L"}[i == 0], px(float64(r.Year)), py(r.Hi))
		fmt.Fprintf(&line, "%s%.1f %.1f ", map[bool]string{true: "M", false: "L"}[i == 0], px(float64(r.Year)), py(r.Ideal))
	}
	for i := len(rows) - 1; i >= 0; i-- {
		fmt.Fprintf(&band, "L%.1f %.1f ", px(float64(rows[i].Year)), py(rows[i].Lo))
	}
	fmt.Fprintf(&b, `<path class="band" d="%sZ" fill="%s" fill-opacity="0.25" stroke="none"/>`, band.String(), palette[0])
	fmt.Fprintf(&b, `<g class="series"><path d="%s" fill="none" stroke="%s" stroke-width="2"/>`, line.String(), palette[0])
	for _, r := range rows {
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%d: %s (%s to %s)</title></circle>`,
			px(float64(r.Year)), py(r.Ideal), palette[0], r.Year, trimFloat(r.Ideal), trimFloat(r.Lo), trimFloat(r.Hi))
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}
