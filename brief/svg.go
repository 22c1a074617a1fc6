package brief

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// The charts of a brief as inline SVG. They use presentation attributes only
// (no style attributes), so that they show under a Content-Security-Policy
// that forbids inline styles, and carry a title and a description for screen
// readers. Series differ by dash pattern as well as by colour.

// palette is colour-blind safe (Okabe–Ito), as the web UI's.
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"}

var dashes = []string{"", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4"}

// Charts are the SVG charts of a brief; a chart with nothing to draw is "".
type Charts struct {
	Ideal     template.HTML // ideal-point trajectories with their bands
	Agreement template.HTML // agreement per year, one line per pair
	Events    template.HTML // monthly Goldstein score
}

// SVG draws the charts of b.
func SVG(b *Brief) Charts {
	return Charts{Ideal: idealSVG(b), Agreement: agreementSVG(b), Events: eventsSVG(b)}
}

type xy struct{ x, y float64 }

type svgSeries struct {
	name     string
	line     []xy
	lo, hi   []float64 // band, same length as line; nil for none
	colour   string
	dash     string
	showDots bool
}

const svgW, svgH, ml, mr, mt, mb = 720.0, 320.0, 52.0, 16.0, 34.0, 40.0

func svgOpen(b *strings.Builder, id, title, desc string, h float64) {
	fmt.Fprintf(b, `<svg class="chart" id="%s" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="13">`,
		id, svgW, h, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(desc))
	fmt.Fprintf(b, `<text x="%g" y="16" font-size="15" font-weight="600" fill="#222">%s</text>`, ml, html.EscapeString(title))
}

// lineSVG draws series over years with y from lo to hi.
func lineSVG(id, title, desc, yLabel string, ss []svgSeries, lo, hi float64) template.HTML {
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for _, p := range s.line {
			minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
		}
	}
	if math.IsInf(minX, 1) {
		return ""
	}
	if maxX == minX {
		minX, maxX = minX-1, maxX+1
	}
	legendRows := float64((len(ss) + 2) / 3)
	h := svgH + legendRows*18 + 6
	var b strings.Builder
	svgOpen(&b, id, title, desc, h)
	px := func(x float64) float64 { return ml + (x-minX)/(maxX-minX)*(svgW-ml-mr) }
	py := func(y float64) float64 { return mt + (hi-y)/(hi-lo)*(svgH-mt-mb) }
	ystep := niceStep((hi - lo) / 5)
	for y := math.Ceil(lo/ystep-1e-9) * ystep; y <= hi+ystep*1e-9; y += ystep {
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#e3e3e3"/>`, ml, svgW-mr, py(y), py(y))
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="end" dy="0.32em" fill="#333">%s</text>`, ml-6, py(y), trim(y))
	}
	fmt.Fprintf(&b, `<text transform="translate(13 %g) rotate(-90)" text-anchor="middle" fill="#333" font-weight="600">%s</text>`, mt+(svgH-mt-mb)/2, html.EscapeString(yLabel))
	step := math.Max(1, math.Ceil((maxX-minX)/8))
	for x := math.Ceil(minX/step) * step; x <= maxX; x += step {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%g" y2="%g" stroke="#999"/>`, px(x), px(x), svgH-mb, svgH-mb+4)
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle" fill="#333">%g</text>`, px(x), svgH-mb+18, x)
	}
	fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%g" y2="%g" stroke="#999"/>`, ml, svgW-mr, svgH-mb, svgH-mb)
	for _, s := range ss {
		if s.lo == nil {
			continue
		}
		var d strings.Builder
		for i, p := range s.line {
			fmt.Fprintf(&d, "%s%.1f %.1f ", map[bool]string{true: "M", false: "L"}[i == 0], px(p.x), py(s.hi[i]))
		}
		for i := len(s.line) - 1; i >= 0; i-- {
			fmt.Fprintf(&d, "L%.1f %.1f ", px(s.line[i].x), py(s.lo[i]))
		}
		fmt.Fprintf(&b, `<path d="%sZ" fill="%s" fill-opacity="0.18" stroke="none"/>`, d.String(), s.colour)
	}
	for i, s := range ss {
		var d strings.Builder
		pen := false
		for _, p := range s.line {
			if math.IsNaN(p.y) {
				pen = false
				continue
			}
			fmt.Fprintf(&d, "%s%.1f %.1f ", map[bool]string{true: "L", false: "M"}[pen], px(p.x), py(p.y))
			pen = true
		}
		fmt.Fprintf(&b, `<g><path d="%s" fill="none" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>`, d.String(), s.colour, s.dash)
		for _, p := range s.line {
			if !math.IsNaN(p.y) {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.3" fill="%s"><title>%s %g: %s</title></circle>`, px(p.x), py(p.y), s.colour, html.EscapeString(s.name), p.x, trim(p.y))
			}
		}
		b.WriteString(`</g>`)
		lx := ml + float64(i%3)*225
		ly := svgH + 6 + float64(i/3)*18
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%g" y2="%g" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>`, lx, lx+24, ly, ly, s.colour, s.dash)
		fmt.Fprintf(&b, `<text x="%g" y="%g" dy="0.32em" fill="#333">%s</text>`, lx+30, ly, html.EscapeString(s.name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func idealSVG(b *Brief) template.HTML {
	var ss []svgSeries
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, tr := range b.Positions.Trajectories {
		s := svgSeries{name: tr.Name + " (" + tr.State + ")", colour: palette[i%len(palette)], dash: dashes[i%len(dashes)]}
		for _, p := range tr.Points {
			s.line = append(s.line, xy{float64(p.Year), p.Ideal})
			s.lo, s.hi = append(s.lo, p.Lo), append(s.hi, p.Hi)
			lo, hi = math.Min(lo, p.Lo), math.Max(hi, p.Hi)
		}
		if len(s.line) > 0 {
			ss = append(ss, s)
		}
	}
	if len(ss) == 0 {
		return ""
	}
	st := niceStep((hi - lo) / 5)
	lo, hi = math.Floor(lo/st)*st, math.Ceil(hi/st)*st
	return lineSVG("brief-ideal", fmt.Sprintf("Ideal points per year, %d–%d, with 90%% bands", b.Positions.From, b.Positions.To),
		"Line chart of each state's ideal point per year (higher: closer to the United States) with a shaded band of ±1.645 posterior sd; the numbers are in the table.",
		"ideal point", ss, lo, hi)
}

func agreementSVG(b *Brief) template.HTML {
	var ss []svgSeries
	for i, p := range b.Alignment.Pairs {
		s := svgSeries{name: p.A + "–" + p.B + " agree", colour: palette[i%len(palette)], dash: dashes[i%len(dashes)]}
		for _, r := range p.Years {
			y, err := strconv.Atoi(r.Period)
			if err == nil {
				s.line = append(s.line, xy{float64(y), r.Agree})
			}
		}
		if len(s.line) > 0 {
			ss = append(ss, s)
		}
	}
	if len(ss) == 0 {
		return ""
	}
	return lineSVG("brief-agreement", fmt.Sprintf("Agreement in UN General Assembly votes per year, %d–%d", b.Alignment.From, b.Alignment.To),
		"Line chart of the share of agreement in votes per year for each pair of states; the numbers are in the table.", "agreement", ss, 0, 1)
}

func eventsSVG(b *Brief) template.HTML {
	ms := b.Events.Months
	if len(ms) == 0 {
		return ""
	}
	const h = 260.0
	lo, hi := 0.0, 0.0
	for _, m := range ms {
		lo, hi = math.Min(lo, m.Goldstein), math.Max(hi, m.Goldstein)
	}
	if hi == lo {
		hi = lo + 1
	}
	span := niceStep((hi - lo) / 4)
	lo, hi = math.Floor(lo/span)*span, math.Ceil(hi/span)*span
	var b2 strings.Builder
	svgOpen(&b2, "brief-events", "Monthly cooperation–conflict score (sum of Goldstein weights)",
		"Bar chart of the sum of the Goldstein weights of the events between the states per month: above zero cooperation, below conflict; the numbers are in the table.", h)
	py := func(y float64) float64 { return mt + (hi-y)/(hi-lo)*(h-mt-mb) }
	for y := lo; y <= hi+span/2; y += span {
		fmt.Fprintf(&b2, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#e3e3e3"/>`, ml, svgW-mr, py(y), py(y))
		fmt.Fprintf(&b2, `<text x="%g" y="%.1f" text-anchor="end" dy="0.32em" fill="#333">%s</text>`, ml-6, py(y), trim(y))
	}
	fmt.Fprintf(&b2, `<text transform="translate(13 %g) rotate(-90)" text-anchor="middle" fill="#333" font-weight="600">Goldstein sum</text>`, mt+(h-mt-mb)/2)
	slot := (svgW - ml - mr) / float64(len(ms))
	bw := math.Min(40, slot*0.7)
	every := int(math.Ceil(float64(len(ms)) / 12))
	for i, m := range ms {
		x := ml + slot*float64(i) + (slot-bw)/2
		y0, y1 := py(0), py(m.Goldstein)
		col := "#009E73"
		if m.Goldstein < 0 {
			col = "#D55E00"
			y0, y1 = y1, y0
		}
		fmt.Fprintf(&b2, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s (%d events)</title></rect>`,
			x, math.Min(y0, y1), bw, math.Max(math.Abs(y1-y0), 1), col, m.Month, trim(m.Goldstein), m.Events)
		if i%every == 0 {
			fmt.Fprintf(&b2, `<text x="%.1f" y="%g" text-anchor="middle" fill="#333">%s</text>`, x+bw/2, h-mb+18, m.Month)
		}
	}
	fmt.Fprintf(&b2, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#666"/>`, ml, svgW-mr, py(0), py(0))
	b2.WriteString(`</svg>`)
	return template.HTML(b2.String())
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(s float64) float64 {
	if s <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(s)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= s {
			return m * p
		}
	}
	return 10 * p
}

// trim prints f with up to 3 decimals, without trailing zeros; NaN as "".
func trim(f float64) string {
	if math.IsNaN(f) {
		return ""
	}
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", f), "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}
