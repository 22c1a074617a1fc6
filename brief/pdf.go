package brief

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The PDF is laid out with fpdf (A4, Liberation Sans for all of Unicode the
// names need); its charts are drawn by gonum/plot into PNG images at 200 dpi
// and embedded: no browser is involved.

const (
	pageW    = 210.0 // A4, mm
	margin   = 14.0
	contentW = pageW - 2*margin
	lineH    = 4.6
)

type pdfDoc struct {
	*fpdf.Fpdf
	charts int
}

// WritePDF writes b as a PDF document: every section with its tables and the
// charts (ideal points with bands, agreement per year, monthly event score).
func WritePDF(w io.Writer, b *Brief) error {
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes("sans", "", liberationsansregular.TTF)
	f.AddUTF8FontFromBytes("sans", "B", liberationsansbold.TTF)
	f.AddUTF8FontFromBytes("sans", "I", liberationsansitalic.TTF)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	f.SetTitle(b.Title()+": relationship brief", true)
	f.SetCreator("concord brief", true)
	f.SetFooterFunc(func() {
		f.SetY(-10)
		f.SetFont("sans", "I", 8)
		f.SetTextColor(110, 110, 110)
		f.CellFormat(0, 4, fmt.Sprintf("%s: relationship brief · page %d", b.Title(), f.PageNo()), "", 0, "C", false, 0, "")
	})
	d := &pdfDoc{Fpdf: f}
	f.AddPage()
	f.SetFont("sans", "B", 18)
	f.SetTextColor(20, 50, 79)
	f.MultiCell(contentW, 8, b.Title()+": relationship brief", "", "L", false)
	d.small(fmt.Sprintf("Vote window %d–%d. Made by concord from UN votes, the agreements registry, coded news events and trade.", b.From, b.To))
	d.alignment(b)
	d.positions(b)
	d.agreements(b)
	d.events(b)
	d.economy(b)
	d.coalition(b)
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return f.Output(w)
}

func (d *pdfDoc) h2(s string) {
	if d.GetY() > 250 {
		d.AddPage()
	}
	d.Ln(4)
	d.SetFont("sans", "B", 13)
	d.SetTextColor(20, 50, 79)
	d.MultiCell(contentW, 6.5, s, "B", "L", false)
	d.Ln(1.5)
}

func (d *pdfDoc) h3(s string) {
	if d.GetY() > 260 {
		d.AddPage()
	}
	d.Ln(1.5)
	d.SetFont("sans", "B", 10.5)
	d.SetTextColor(30, 30, 30)
	d.MultiCell(contentW, 5.5, s, "", "L", false)
}

func (d *pdfDoc) text(s string) {
	d.SetFont("sans", "", 9.5)
	d.SetTextColor(30, 30, 30)
	d.MultiCell(contentW, lineH, s, "", "L", false)
	d.Ln(1)
}

func (d *pdfDoc) small(s string) {
	d.SetFont("sans", "I", 8.5)
	d.SetTextColor(90, 90, 90)
	d.MultiCell(contentW, 4, s, "", "L", false)
}

func (d *pdfDoc) section(s Section) {
	asOf := s.AsOf
	if asOf == "" {
		asOf = "no data"
	}
	d.small(fmt.Sprintf("Source: %s. Newest data: %s.", s.Source, asOf))
	for _, n := range s.Notes {
		d.small("Note: " + n + ".")
	}
	if s.Missing != "" {
		d.missing(s.Missing)
	}
	d.Ln(1)
}

func (d *pdfDoc) missing(s string) {
	d.Ln(1)
	d.SetFont("sans", "B", 9.5)
	d.SetFillColor(255, 248, 225)
	d.SetTextColor(120, 80, 0)
	d.MultiCell(contentW, 5.5, "Missing: "+s, "L", "L", true)
	d.Ln(1)
}

// table draws a table with columns of relative widths ws (scaled to the
// text width) and right-aligned columns where right[i]; cells wrap.
func (d *pdfDoc) table(head []string, ws []float64, right []bool, rows [][]string) {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	cw := make([]float64, len(ws))
	for i, w := range ws {
		cw[i] = w / total * contentW
	}
	const lh = 4.0
	row := func(cells []string, bold bool) {
		d.SetFont("sans", map[bool]string{true: "B", false: ""}[bold], 8)
		lines := make([][]string, len(cells))
		n := 1
		for i, c := range cells {
			lines[i] = d.SplitText(c, cw[i]-2)
			if len(lines[i]) == 0 {
				lines[i] = []string{""}
			}
			n = max(n, len(lines[i]))
		}
		h := float64(n)*lh + 1.2
		if d.GetY()+h > 297-margin-4 {
			d.AddPage()
		}
		y := d.GetY()
		x := margin
		if bold {
			d.SetFillColor(236, 240, 244)
			d.Rect(margin, y, contentW, h, "F")
		}
		for i := range cells {
			align := "L"
			if i < len(right) && right[i] {
				align = "R"
			}
			for k, l := range lines[i] {
				d.SetXY(x+1, y+0.6+float64(k)*lh)
				d.CellFormat(cw[i]-2, lh, l, "", 0, align, false, 0, "")
			}
			x += cw[i]
		}
		d.SetDrawColor(225, 225, 225)
		d.Line(margin, y+h, margin+contentW, y+h)
		d.SetXY(margin, y+h)
	}
	d.SetTextColor(30, 30, 30)
	row(head, true)
	if len(rows) == 0 {
		row(append([]string{"none"}, make([]string, len(head)-1)...), false)
	}
	for _, r := range rows {
		row(r, false)
	}
	d.Ln(3)
}

// chart draws p into a PNG and places it at the full text width.
func (d *pdfDoc) chart(p *plot.Plot, hmm float64) {
	const wmm = contentW
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(wmm)*vg.Millimeter, vg.Length(hmm)*vg.Millimeter), vgimg.UseDPI(200))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		d.SetError(err)
		return
	}
	d.charts++
	name := fmt.Sprintf("chart%d", d.charts)
	d.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &buf)
	if d.GetY()+hmm > 297-margin-4 {
		d.AddPage()
	}
	d.ImageOptions(name, margin, d.GetY(), wmm, hmm, true, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	d.Ln(2)
}

func newPlot(title, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.Text = y
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	p.Legend.Left = true
	// Sans serif throughout, as the text of the document.
	for _, f := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		f.Variant = "Sans"
	}
	p.Y.Label.TextStyle.Font.Size = vg.Points(10)
	return p
}

func rgba(i int, a uint8) color.NRGBA {
	s := palette[i%len(palette)]
	v, _ := strconv.ParseUint(s[1:], 16, 32)
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: a}
}

func dashPattern(i int) []vg.Length {
	var out []vg.Length
	for _, f := range strings.Fields(dashes[i%len(dashes)]) {
		x, _ := strconv.ParseFloat(f, 64)
		out = append(out, vg.Points(x))
	}
	return out
}

// yearTicks puts a tick every few whole years.
type yearTicks struct{}

func (yearTicks) Ticks(lo, hi float64) []plot.Tick {
	step := math.Max(1, math.Ceil((hi-lo)/8))
	var ts []plot.Tick
	for x := math.Ceil(lo/step) * step; x <= hi; x += step {
		ts = append(ts, plot.Tick{Value: x, Label: strconv.Itoa(int(x))})
	}
	return ts
}

// niceTicks labels round values between lo and hi (the data's range), so that
// the headroom above hi, where the legend sits, has no tick.
type niceTicks struct{ lo, hi float64 }

func (n niceTicks) Ticks(_, _ float64) []plot.Tick {
	step := niceStep((n.hi - n.lo) / 5)
	var ts []plot.Tick
	for y := math.Ceil(n.lo/step-1e-9) * step; y <= n.hi+step*1e-9; y += step {
		ts = append(ts, plot.Tick{Value: y, Label: trim(y)})
	}
	return ts
}

// headroom sets the y range to lo … hi plus a quarter above for the legend, which sits top left.
func headroom(p *plot.Plot, lo, hi float64) {
	p.Y.Min, p.Y.Max = lo, hi+0.25*(hi-lo)
	p.Y.Tick.Marker = niceTicks{lo, hi}
}

func (d *pdfDoc) alignment(b *Brief) {
	al := b.Alignment
	d.h2(fmt.Sprintf("Alignment in UN General Assembly votes, %d–%d", al.From, al.To))
	d.section(al.Section)
	p := newPlot(fmt.Sprintf("Agreement per year, %d–%d", al.From, al.To), "agreement")
	headroom(p, 0, 1)
	p.X.Tick.Marker = yearTicks{}
	lines := 0
	for i, pa := range al.Pairs {
		var pts plotter.XYs
		for _, r := range pa.Years {
			if y, err := strconv.Atoi(r.Period); err == nil && !math.IsNaN(r.Agree) {
				pts = append(pts, plotter.XY{X: float64(y), Y: r.Agree})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			continue
		}
		l.Color, l.Width, l.Dashes = rgba(i, 255), vg.Points(1.5), dashPattern(i)
		sc.Color, sc.Radius = rgba(i, 255), vg.Points(1.5)
		p.Add(l, sc)
		p.Legend.Add(pa.A+"–"+pa.B, l)
		lines++
	}
	for _, pa := range al.Pairs {
		d.h3(fmt.Sprintf("%s and %s", Name(pa.A), Name(pa.B)))
		if pa.Missing != "" {
			d.missing(pa.Missing)
		}
		d.text(fmt.Sprintf("Agreement %s over %d common votes (S-score %s, kappa %s, coincidence %s). Trend: %s.",
			fixed(pa.Overall.Agree, 3), pa.Overall.Votes, fixed(pa.Overall.SScore, 3), fixed(pa.Overall.Kappa, 3), fixed(pa.Overall.Coincidence, 3), pa.TrendText))
		var rows [][]string
		for _, r := range pa.Issues {
			rows = append(rows, []string{r.Name, fmt.Sprint(r.Votes), fixed(r.Agree, 3), fixed(r.Kappa, 3)})
		}
		for _, r := range pa.Decades {
			rows = append(rows, []string{"Decade " + r.Period + " (all issues)", fmt.Sprint(r.Votes), fixed(r.Agree, 3), fixed(r.Kappa, 3)})
		}
		d.table([]string{"issue or decade", "votes", "agree", "kappa"}, []float64{5, 1.2, 1.2, 1.2}, []bool{false, true, true, true}, rows)
	}
	if lines > 0 {
		d.chart(p, 70)
	}
	for _, pa := range al.Pairs {
		var rows [][]string
		for _, s := range pa.Splits {
			rows = append(rows, []string{s.Date, s.Resolution, s.VoteA, s.VoteB, s.Title})
		}
		d.small(fmt.Sprintf("%s and %s: the most recent of %d roll calls on which they split", Name(pa.A), Name(pa.B), pa.SplitsTotal))
		d.table([]string{"date", "resolution", pa.A, pa.B, "title"}, []float64{1.6, 1.9, 1.1, 1.1, 6}, nil, rows)
	}
}

func (d *pdfDoc) positions(b *Brief) {
	ps := b.Positions
	d.h2(fmt.Sprintf("Positions: ideal points and voting blocs, %d–%d", ps.From, ps.To))
	d.section(ps.Section)
	if ps.Blocs.Text != "" {
		s := "Blocs: " + ps.Blocs.Text + "."
		if ps.DistanceYear != 0 {
			s += fmt.Sprintf(" Distance between their ideal points in %d: %s.", ps.DistanceYear, fixed(ps.Distance, 2))
		}
		d.text(s)
	}
	p := newPlot(fmt.Sprintf("Ideal points per year with 90%% bands (±%.3g posterior sd)", BandZ), "ideal point (higher: closer to the US)")
	p.X.Tick.Marker = yearTicks{}
	n := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, tr := range ps.Trajectories {
		if tr.Missing != "" {
			d.missing(tr.Missing)
		}
		if len(tr.Points) == 0 {
			continue
		}
		var line, band plotter.XYs
		for _, pt := range tr.Points {
			line = append(line, plotter.XY{X: float64(pt.Year), Y: pt.Ideal})
			band = append(band, plotter.XY{X: float64(pt.Year), Y: pt.Hi})
			lo, hi = math.Min(lo, pt.Lo), math.Max(hi, pt.Hi)
		}
		for k := len(tr.Points) - 1; k >= 0; k-- {
			band = append(band, plotter.XY{X: float64(tr.Points[k].Year), Y: tr.Points[k].Lo})
		}
		if poly, err := plotter.NewPolygon(band); err == nil {
			poly.Color, poly.LineStyle.Width = rgba(i, 50), 0
			p.Add(poly)
		}
		l, err := plotter.NewLine(line)
		if err != nil {
			continue
		}
		l.Color, l.Width, l.Dashes = rgba(i, 255), vg.Points(1.6), dashPattern(i)
		p.Add(l)
		p.Legend.Add(tr.Name+" ("+tr.State+")", l)
		n++
	}
	if n > 0 {
		st := niceStep((hi - lo) / 5)
		headroom(p, math.Floor(lo/st)*st, math.Ceil(hi/st)*st)
		d.chart(p, 75)
		head := []string{"year"}
		ws := []float64{1}
		right := []bool{false}
		for _, tr := range ps.Trajectories {
			head, ws, right = append(head, tr.State+" [90% band]"), append(ws, 2.6), append(right, true)
		}
		head, ws, right = append(head, "same bloc"), append(ws, 1.2), append(right, false)
		var rows [][]string
		for _, r := range idealRows(b) {
			rows = append(rows, append(append([]string{fmt.Sprint(r.Year)}, r.Cells...), r.Bloc))
		}
		d.table(head, ws, right, rows)
	}
}

func (d *pdfDoc) agreements(b *Brief) {
	ag := b.Agreements
	d.h2("Agreements")
	d.section(ag.Section)
	if ag.Total == 0 {
		return
	}
	s := fmt.Sprintf("%d agreements bind them: %d between them alone, %d multilateral. ", ag.Total, len(ag.Bilateral), ag.MultiTotal)
	if ag.Commitments > 0 {
		s += fmt.Sprintf("Implementation: %s of %d commitments done (cancelled left out); %d overdue on %s.", percent(float64(ag.Rate)), ag.Commitments, len(ag.Overdue), ag.AsOfDay)
	} else {
		s += "No commitments are recorded under them."
	}
	d.text(s)
	var rows [][]string
	for _, f := range ag.ByField {
		rows = append(rows, []string{f.Field, fmt.Sprint(f.Bilateral), fmt.Sprint(f.Multilateral)})
	}
	d.table([]string{"field", "between them alone", "multilateral"}, []float64{3, 2, 2}, []bool{false, true, true}, rows)
	if len(ag.Rates) > 0 {
		rows = nil
		for _, r := range ag.Rates {
			rows = append(rows, []string{r.Key, fmt.Sprint(r.Total), fmt.Sprint(r.Done), fmt.Sprint(r.Overdue), percent(r.Rate)})
		}
		d.small("Implementation by field")
		d.table([]string{"field", "commitments", "done", "overdue", "rate"}, []float64{3, 1.5, 1, 1, 1}, []bool{false, true, true, true, true}, rows)
	}
	if len(ag.Overdue) > 0 {
		rows = nil
		for _, c := range ag.Overdue {
			resp := c.Responsible
			if resp == "" {
				resp = "all parties"
			}
			rows = append(rows, []string{c.Due, c.Text, resp, string(c.Status), fmt.Sprintf("%d%%", c.Progress), c.Agreement})
		}
		d.small("Overdue commitments")
		d.table([]string{"due", "commitment", "responsible", "status", "progress", "agreement"}, []float64{1.6, 3, 1.5, 1.5, 1.2, 4}, []bool{false, false, false, false, true, false}, rows)
	}
	for _, l := range []struct {
		title string
		items []AgreementItem
	}{{"Between them alone", ag.Bilateral}, {fmt.Sprintf("The most recent of %d shared multilateral agreements", ag.MultiTotal), ag.Multilateral}} {
		rows = nil
		for _, a := range l.items {
			rows = append(rows, []string{a.Signed, a.Title, a.Kind, strings.Join(a.Fields, ", "), fmt.Sprint(a.NParties)})
		}
		d.small(l.title)
		d.table([]string{"signed", "title", "kind", "fields", "parties"}, []float64{1.6, 6, 1.4, 2, 1}, []bool{false, false, false, false, true}, rows)
	}
}

func (d *pdfDoc) events(b *Brief) {
	ev := b.Events
	d.h2("Events")
	d.section(ev.Section)
	if ev.Total == 0 {
		return
	}
	d.text(fmt.Sprintf("%d events (%s).", ev.Total, kindsText(ev.Kinds)))
	// Sources are numbered under the table: addresses are too long for a cell.
	var refs []string
	refNo := map[string]int{}
	var rows [][]string
	for _, e := range ev.Latest {
		var nos []string
		for _, a := range e.Articles {
			key := a.ID + a.URL
			if refNo[key] == 0 {
				s := linkText(a) // the title or the site first, so that the line does not start with a long address
				if a.URL != "" && s != a.URL {
					s += " — " + a.URL
				}
				if s == "" {
					s = "article " + a.ID
				}
				refs = append(refs, s)
				refNo[key] = len(refs)
			}
			nos = append(nos, fmt.Sprintf("[%d]", refNo[key]))
		}
		date := e.Date
		if date == "" {
			date = "undated"
		}
		rows = append(rows, []string{date, e.Source + " → " + e.Target, e.Kind, e.Description + " (" + e.Code + ")", fixed(e.Goldstein, 1), e.Evidence, strings.Join(nos, " ")})
	}
	d.table([]string{"date", "who", "kind", "what (CAMEO)", "Goldstein", "evidence", "source"}, []float64{1.7, 1.7, 1.9, 2.4, 1.7, 5.2, 1.3}, []bool{false, false, false, false, true}, rows)
	for i, r := range refs {
		d.small(fmt.Sprintf("[%d] %s", i+1, r))
	}
	d.Ln(2)
	if len(ev.Months) > 0 {
		p := newPlot("Monthly cooperation–conflict score (sum of Goldstein weights)", "Goldstein sum")
		pos, neg := make(plotter.Values, len(ev.Months)), make(plotter.Values, len(ev.Months))
		names := make([]string, len(ev.Months))
		every := int(math.Ceil(float64(len(ev.Months)) / 12))
		for i, m := range ev.Months {
			if m.Goldstein >= 0 {
				pos[i] = m.Goldstein
			} else {
				neg[i] = m.Goldstein
			}
			if i%every == 0 {
				names[i] = m.Month
			}
		}
		w := vg.Points(math.Min(24, 360/float64(len(ev.Months))))
		for _, s := range []struct {
			v   plotter.Values
			col int
		}{{pos, 2}, {neg, 1}} {
			bc, err := plotter.NewBarChart(s.v, w)
			if err != nil {
				continue
			}
			bc.Color, bc.LineStyle.Width = rgba(s.col, 255), 0
			p.Add(bc)
		}
		p.NominalX(names...)
		p.Add(plotter.NewGrid())
		d.chart(p, 60)
		rows = nil
		for _, m := range ev.Months {
			rows = append(rows, []string{m.Month, fmt.Sprint(m.Events), fixed(m.Goldstein, 1), fmt.Sprint(m.Quad[0] + m.Quad[1]), fmt.Sprint(m.Quad[2] + m.Quad[3])})
		}
		d.table([]string{"month", "events", "Goldstein sum", "cooperation", "conflict"}, []float64{1, 1, 1, 1, 1}, []bool{false, true, true, true, true}, rows)
	}
}

func (d *pdfDoc) economy(b *Brief) {
	ec := b.Economy
	d.h2("Economy: trade complementarity")
	d.section(ec.Section)
	for _, p := range ec.Pairs {
		d.h3(fmt.Sprintf("%s and %s", Name(p.A), Name(p.B)))
		if p.Missing != "" {
			d.missing(p.Missing)
			continue
		}
		d.table([]string{"index", p.A + " → " + p.B, p.B + " → " + p.A}, []float64{3, 1.5, 1.5}, []bool{false, true, true}, [][]string{
			{"trade complementarity (0–100)", fixed(p.TCAB, 1), fixed(p.TCBA, 1)},
			{"exports", usd(float64(p.ExpAB)), usd(float64(p.ExpBA))},
			{"trade intensity", fixed(p.IntAB, 2), fixed(p.IntBA, 2)},
			{"export similarity (0–100, both ways)", fixed(p.Sim, 1), fixed(p.Sim, 1)},
		})
		for _, dir := range []struct {
			x, y string
			n    int
		}{{p.A, p.B, 0}, {p.B, p.A, 1}} {
			gs := p.FieldsAB
			if dir.n == 1 {
				gs = p.FieldsBA
			}
			if len(gs) == 0 {
				continue
			}
			var rows [][]string
			for _, g := range gs {
				rows = append(rows, []string{g.Name, fmt.Sprint(g.Products), percent(g.Share)})
			}
			d.small(fmt.Sprintf("Fields where %s sells what %s buys", dir.x, dir.y))
			d.table([]string{"section", "products", "share of " + dir.y + "'s imports"}, []float64{5, 1.2, 2}, []bool{false, true, true}, rows)
		}
	}
}

func (d *pdfDoc) coalition(b *Brief) {
	co := b.Coalition
	d.h2("Coalition")
	d.section(co.Section)
	if co.Missing != "" {
		return
	}
	dc := co.Decisiveness
	d.text(fmt.Sprintf("Cohesion (Agreement Index) %s over %d roll calls, %d–%d. Voting as one they would have changed %d of %d outcomes; their position prevailed %d times as recorded, %d as one.",
		fixed(co.Cohesion, 3), co.RollCalls, co.From, co.To, dc.Changed, dc.Judged, dc.Prevailed, dc.PrevailedAsOne))
	var rows [][]string
	for i, c := range co.Partners {
		rows = append(rows, []string{fmt.Sprint(i + 1), Name(c.State) + " (" + c.State + ")", fixed(c.Alignment, 3), fmt.Sprint(c.Votes), fixed(c.Cohesion, 3)})
	}
	d.table([]string{"rank", "state", "mean agreement", "fewest common votes", "cohesion if it joined"}, []float64{0.8, 3, 1.5, 1.6, 1.6}, []bool{true, false, true, true, true}, rows)
}

// plainText drops the emphasis marks of Markdown-like text (news copies keep **bold**).
func plainText(s string) string {
	return strings.TrimSpace(strings.NewReplacer("**", "", "__", "").Replace(s))
}
