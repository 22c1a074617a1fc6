package http

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"
)

// Charts are drawn on the server as inline SVG: no script is needed to see
// them. Each has a title and a description for screen readers (role="img",
// aria-labelledby), and series differ by dash pattern and marker as well as
// by colour. The numbers behind each chart are in the table beside it.

// palette is a colour-blind-safe set (Okabe–Ito).
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"}

// dashes tell series apart without colour.
var dashes = []string{"", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4"}

// point is one value of a series at position x (a year or a session).
type point struct {
	X float64
	Y float64 // NaN: no value
}

// series is one line of a line chart.
type series struct {
	Name   string
	Points []point
}

// lineChart draws series over x with y from lo to hi; id must be unique in the page.
func lineChart(id, title, desc, yLabel string, ss []series, lo, hi float64) template.HTML {
	const w, h, ml, mr, mt, mb = 720.0, 300.0, 48.0, 16.0, 16.0, 40.0
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for _, p := range s.Points {
			minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		}
	}
	legendRows := float64((len(ss) + 3) / 4)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" id="%s" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, id, w, h+legendRows*18+4, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(desc))
	if math.IsInf(minX, 1) {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" class="empty">No common votes in this window.</text></svg>`, w/2, h/2)
		return template.HTML(b.String())
	}
	if maxX == minX {
		minX, maxX = minX-1, maxX+1
	}
	px := func(x float64) float64 { return ml + (x-minX)/(maxX-minX)*(w-ml-mr) }
	py := func(y float64) float64 { return mt + (hi-y)/(hi-lo)*(h-mt-mb) }
	// grid and y axis
	for _, y := range niceTicks(lo, hi) {
		fmt.Fprintf(&b, `<line class="grid" x1="%g" x2="%g" y1="%.1f" y2="%.1f"/>`, ml, w-mr, py(y), py(y))
		fmt.Fprintf(&b, `<text class="tick" x="%g" y="%.1f" text-anchor="end" dy="0.32em">%s</text>`, ml-6, py(y), trimFloat(y))
	}
	fmt.Fprintf(&b, `<text class="axis-label" transform="translate(12 %g) rotate(-90)" text-anchor="middle">%s</text>`, mt+(h-mt-mb)/2, html.EscapeString(yLabel))
	// x ticks: about 8
	step := math.Max(1, math.Ceil((maxX-minX)/8))
	for x := math.Ceil(minX/step) * step; x <= maxX; x += step {
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%g" y2="%g"/>`, px(x), px(x), h-mb, h-mb+4)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%g" text-anchor="middle">%g</text>`, px(x), h-mb+18, x)
	}
	for i, s := range ss {
		col, dash := palette[i%len(palette)], dashes[i%len(dashes)]
		var d strings.Builder
		pen := false
		for _, p := range s.Points {
			if math.IsNaN(p.Y) {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%.1f %.1f ", cmd, px(p.X), py(p.Y))
			pen = true
		}
		fmt.Fprintf(&b, `<g class="series"><path d="%s" fill="none" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>`, d.String(), col, dash)
		for _, p := range s.Points {
			if !math.IsNaN(p.Y) {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %g: %s</title></circle>`, px(p.X), py(p.Y), col, html.EscapeString(s.Name), p.X, trimFloat(p.Y))
			}
		}
		b.WriteString(`</g>`)
		// legend under the plot
		lx := ml + float64(i%4)*170
		ly := h + 4 + float64(i/4)*18
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%g" y2="%g" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>`, lx, lx+24, ly, ly, col, dash)
		fmt.Fprintf(&b, `<text class="legend" x="%g" y="%g" dy="0.32em">%s</text>`, lx+30, ly, html.EscapeString(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceTicks returns round values from lo to hi for an axis: a step of 1, 2,
// 2.5 or 5 times a power of ten, chosen to give about five ticks.
func niceTicks(lo, hi float64) []float64 {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return []float64{lo}
	}
	count := func(step float64) int { return int(math.Floor(hi/step+1e-9) - math.Ceil(lo/step-1e-9) + 1) }
	mag := math.Pow(10, math.Floor(math.Log10((hi-lo)/5)))
	best, bestDiff := 0.0, math.MaxInt
	for _, m := range []float64{1, 2, 2.5, 5, 10, 20} {
		step := m * mag
		if d := count(step) - 5; max(d, -d) < bestDiff {
			best, bestDiff = step, max(d, -d)
		}
	}
	var ts []float64
	for k := math.Ceil(lo/best - 1e-9); k*best <= hi+best*1e-9; k++ {
		ts = append(ts, k*best+0) // +0: no negative zero
	}
	return ts
}

// bar is one bar of a bar chart.
type bar struct {
	Label string
	Value float64 // NaN: no value
	Note  string  // shown after the value, e.g. the number of votes
}

// barChart draws horizontal bars with values from lo to hi.
func barChart(id, title, desc string, bars []bar, lo, hi float64) template.HTML {
	const w, rowH = 720.0, 22.0
	longest, longestNote := 0, 0
	for _, br := range bars {
		longest = max(longest, utf8.RuneCountInString(br.Label))
		longestNote = max(longestNote, utf8.RuneCountInString(trimFloat(br.Value)+" "+br.Note))
	}
	mr := math.Max(120, float64(longestNote)*6.6+12)           // room for the longest value and note at 12px
	ml := math.Min(320, math.Max(80, float64(longest)*6.8+14)) // room for the labels at 12px
	h := float64(len(bars))*rowH + 28
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" id="%s" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, id, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(desc))
	if len(bars) == 0 {
		fmt.Fprintf(&b, `<text x="%g" y="20" text-anchor="middle" class="empty">Nothing to show in this window.</text></svg>`, w/2)
		return template.HTML(b.String())
	}
	px := func(v float64) float64 { return ml + (v-lo)/(hi-lo)*(w-ml-mr) }
	for _, v := range niceTicks(lo, hi) {
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="0" y2="%g"/>`, px(v), px(v), h-20)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%g" text-anchor="middle">%s</text>`, px(v), h-6, trimFloat(v))
	}
	for i, br := range bars {
		y := float64(i) * rowH
		fmt.Fprintf(&b, `<text class="bar-label" x="%g" y="%g" text-anchor="end" dy="0.32em">%s</text>`, ml-8, y+rowH/2, html.EscapeString(br.Label))
		if math.IsNaN(br.Value) {
			fmt.Fprintf(&b, `<text class="tick" x="%g" y="%g" dy="0.32em">no value</text>`, ml+4, y+rowH/2)
			continue
		}
		v := math.Max(lo, math.Min(hi, br.Value))
		x0, x1 := px(math.Max(lo, 0)), px(v)
		if x1 < x0 {
			x0, x1 = x1, x0
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%g" width="%.1f" height="%g" fill="%s"><title>%s: %s</title></rect>`, x0, y+4, math.Max(x1-x0, 1), rowH-8, palette[0], html.EscapeString(br.Label), trimFloat(br.Value))
		fmt.Fprintf(&b, `<text class="bar-value" x="%.1f" y="%g" dy="0.32em">%s %s</text>`, math.Max(x1, px(0))+6, y+rowH/2, trimFloat(br.Value), html.EscapeString(br.Note))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// trimFloat prints f with up to 3 decimals, without trailing zeros.
func trimFloat(f float64) string {
	if math.IsNaN(f) {
		return ""
	}
	s := fmt.Sprintf("%.3f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}
