package brief

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/trade"
)

// Formats lists the formats Write knows.
var Formats = []string{"md", "html", "json", "pdf"}

// Write renders b in format: md (Markdown), html (a standalone document with
// SVG charts), json (one key per section) or pdf (charts as images).
func Write(w io.Writer, format string, b *Brief) error {
	switch format {
	case "md", "markdown":
		return WriteMarkdown(w, b)
	case "html":
		return WriteHTML(w, b)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(b)
	case "pdf":
		return WritePDF(w, b)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// mdEscape keeps a cell on one line and its pipes literal.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", "").Replace(s)
}

type mdWriter struct {
	w   io.Writer
	err error
}

func (m *mdWriter) p(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

func (m *mdWriter) table(head []string, rows [][]string) {
	m.p("| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat(" --- |", len(head)))
	for _, r := range rows {
		for i := range r {
			r[i] = mdEscape(r[i])
		}
		m.p("| %s |\n", strings.Join(r, " | "))
	}
	m.p("\n")
}

func (m *mdWriter) section(s Section) {
	asOf := s.AsOf
	if asOf == "" {
		asOf = "no data"
	}
	m.p("*Source: %s. Newest data: %s.*\n\n", s.Source, asOf)
	if s.Missing != "" {
		m.p("> **Missing:** %s\n\n", s.Missing)
	}
	for _, n := range s.Notes {
		m.p("- %s\n", n)
	}
	if len(s.Notes) > 0 {
		m.p("\n")
	}
}

// WriteMarkdown writes b as Markdown: every section with its tables.
func WriteMarkdown(w io.Writer, b *Brief) error {
	m := &mdWriter{w: w}
	m.p("# %s: relationship brief\n\nVote window %d–%d. Made by concord from UN votes, the agreements registry, coded news events and trade.\n\n", b.Title(), b.From, b.To)

	al := b.Alignment
	m.p("## Alignment in UN General Assembly votes, %d–%d\n\n", al.From, al.To)
	m.section(al.Section)
	for _, p := range al.Pairs {
		m.p("### %s and %s\n\n", Name(p.A), Name(p.B))
		if p.Missing != "" {
			m.p("> **Missing:** %s\n\n", p.Missing)
		}
		m.p("Agreement **%s** over %d common votes (S-score %s, kappa %s, coincidence %s); trend: %s.\n\n",
			fixed(p.Overall.Agree, 3), p.Overall.Votes, fixed(p.Overall.SScore, 3), fixed(p.Overall.Kappa, 3), fixed(p.Overall.Coincidence, 3), p.TrendText)
		var rows [][]string
		for _, r := range p.Issues {
			rows = append(rows, []string{r.Name, fmt.Sprint(r.Votes), fixed(r.Agree, 3), fixed(r.Kappa, 3)})
		}
		m.table([]string{"issue", "votes", "agree", "kappa"}, rows)
		rows = nil
		for _, r := range p.Decades {
			rows = append(rows, []string{r.Period, fmt.Sprint(r.Votes), fixed(r.Agree, 3), fixed(r.Kappa, 3)})
		}
		m.table([]string{"decade", "votes", "agree", "kappa"}, rows)
		rows = nil
		for _, r := range p.Years {
			rows = append(rows, []string{r.Period, fmt.Sprint(r.Votes), fixed(r.Agree, 3), fixed(r.Kappa, 3)})
		}
		m.table([]string{"year", "votes", "agree", "kappa"}, rows)
		m.p("The most recent of %d roll calls on which they split:\n\n", p.SplitsTotal)
		rows = nil
		for _, s := range p.Splits {
			rows = append(rows, []string{s.Date, s.Resolution, s.VoteA, s.VoteB, s.Title})
		}
		m.table([]string{"date", "resolution", p.A, p.B, "title"}, rows)
	}

	ps := b.Positions
	m.p("## Positions: ideal points and voting blocs, %d–%d\n\n", ps.From, ps.To)
	m.section(ps.Section)
	if ps.Blocs.Text != "" {
		m.p("Blocs: %s.", ps.Blocs.Text)
		if ps.DistanceYear != 0 {
			m.p(" Distance between their ideal points in %d: %s.", ps.DistanceYear, fixed(ps.Distance, 2))
		}
		m.p("\n\n")
	}
	if len(ps.Trajectories) > 0 {
		head := []string{"year"}
		for _, tr := range ps.Trajectories {
			head = append(head, tr.State+" [90% band]")
		}
		head = append(head, "same bloc")
		var rows [][]string
		for _, r := range idealRows(b) {
			rows = append(rows, append(append([]string{fmt.Sprint(r.Year)}, r.Cells...), r.Bloc))
		}
		m.table(head, rows)
	}

	ag := b.Agreements
	m.p("## Agreements\n\n")
	m.section(ag.Section)
	if ag.Total > 0 {
		m.p("%d agreements bind them: %d between them alone, %d multilateral. ", ag.Total, len(ag.Bilateral), ag.MultiTotal)
		if ag.Commitments > 0 {
			m.p("Implementation: %s of %d commitments done; %d overdue on %s.\n\n", percent(float64(ag.Rate)), ag.Commitments, len(ag.Overdue), ag.AsOfDay)
		} else {
			m.p("No commitments are recorded under them.\n\n")
		}
		var rows [][]string
		for _, f := range ag.ByField {
			rows = append(rows, []string{f.Field, fmt.Sprint(f.Bilateral), fmt.Sprint(f.Multilateral)})
		}
		m.table([]string{"field", "bilateral", "multilateral"}, rows)
		if len(ag.Rates) > 0 {
			rows = nil
			for _, r := range ag.Rates {
				rows = append(rows, []string{r.Key, fmt.Sprint(r.Total), fmt.Sprint(r.Done), fmt.Sprint(r.Overdue), percent(r.Rate)})
			}
			m.table([]string{"field", "commitments", "done", "overdue", "rate"}, rows)
		}
		if len(ag.Overdue) > 0 {
			rows = nil
			for _, c := range ag.Overdue {
				rows = append(rows, []string{c.Due, c.Text, c.Responsible, string(c.Status), fmt.Sprintf("%d%%", c.Progress), c.Agreement})
			}
			m.p("Overdue commitments:\n\n")
			m.table([]string{"due", "commitment", "responsible", "status", "progress", "agreement"}, rows)
		}
		for _, l := range []struct {
			title string
			items []AgreementItem
		}{{"Between them alone", ag.Bilateral}, {fmt.Sprintf("The most recent of %d shared multilateral agreements", ag.MultiTotal), ag.Multilateral}} {
			if len(l.items) == 0 {
				continue
			}
			m.p("%s:\n\n", l.title)
			rows = nil
			for _, a := range l.items {
				rows = append(rows, []string{a.Signed, a.Title, a.Kind, strings.Join(a.Fields, ", "), a.Status, fmt.Sprint(a.NParties)})
			}
			m.table([]string{"signed", "title", "kind", "fields", "status", "parties"}, rows)
		}
	}

	ev := b.Events
	m.p("## Events\n\n")
	m.section(ev.Section)
	if ev.Total > 0 {
		m.p("%d events (%s).\n\n", ev.Total, kindsText(ev.Kinds))
		var rows [][]string
		for _, e := range ev.Latest {
			var src []string
			for _, a := range e.Articles {
				switch {
				case a.URL != "" && a.Title != "":
					src = append(src, fmt.Sprintf("[%s](%s)", a.Title, a.URL))
				case a.URL != "":
					src = append(src, a.URL)
				default:
					src = append(src, a.Title)
				}
			}
			rows = append(rows, []string{e.Date, e.Source + " → " + e.Target, e.Kind, e.Description + " (" + e.Code + ")", fixed(e.Goldstein, 1), e.Evidence, strings.Join(src, "; ")})
		}
		m.table([]string{"date", "who", "kind", "what", "Goldstein", "evidence", "sources"}, rows)
		rows = nil
		for _, s := range ev.Months {
			rows = append(rows, []string{s.Month, fmt.Sprint(s.Events), fixed(s.Goldstein, 1), fmt.Sprint(s.Quad[0] + s.Quad[1]), fmt.Sprint(s.Quad[2] + s.Quad[3])})
		}
		m.p("Monthly cooperation–conflict score:\n\n")
		m.table([]string{"month", "events", "Goldstein", "cooperation", "conflict"}, rows)
	}

	ec := b.Economy
	m.p("## Economy: trade complementarity\n\n")
	m.section(ec.Section)
	for _, p := range ec.Pairs {
		m.p("### %s and %s\n\n", Name(p.A), Name(p.B))
		if p.Missing != "" {
			m.p("> **Missing:** %s\n\n", p.Missing)
			continue
		}
		m.table([]string{"index", p.A + " → " + p.B, p.B + " → " + p.A}, [][]string{
			{"trade complementarity (0–100)", fixed(p.TCAB, 1), fixed(p.TCBA, 1)},
			{"exports", usd(float64(p.ExpAB)), usd(float64(p.ExpBA))},
			{"trade intensity", fixed(p.IntAB, 2), fixed(p.IntBA, 2)},
			{"export similarity (0–100)", fixed(p.Sim, 1), fixed(p.Sim, 1)},
		})
		for _, d := range []struct {
			x, y string
			gs   []trade.ProductGroup
		}{{p.A, p.B, p.FieldsAB}, {p.B, p.A, p.FieldsBA}} {
			if len(d.gs) == 0 {
				continue
			}
			var rows [][]string
			for _, g := range d.gs {
				rows = append(rows, []string{g.Name, fmt.Sprint(g.Products), percent(g.Share)})
			}
			m.p("Fields where %s sells what %s buys:\n\n", d.x, d.y)
			m.table([]string{"section", "products", "share of " + d.y + "'s imports"}, rows)
		}
	}

	co := b.Coalition
	m.p("## Coalition\n\n")
	m.section(co.Section)
	if co.Missing == "" {
		d := co.Decisiveness
		m.p("Cohesion (Agreement Index) %s over %d roll calls, %d–%d. Voting as one they would have changed %d of %d outcomes; their position prevailed %d times as recorded, %d as one.\n\n",
			fixed(co.Cohesion, 3), co.RollCalls, co.From, co.To, d.Changed, d.Judged, d.Prevailed, d.PrevailedAsOne)
		var rows [][]string
		for i, c := range co.Partners {
			rows = append(rows, []string{fmt.Sprint(i + 1), Name(c.State) + " (" + c.State + ")", fixed(c.Alignment, 3), fmt.Sprint(c.Votes), fixed(c.Cohesion, 3)})
		}
		m.table([]string{"rank", "state", "mean agreement", "fewest common votes", "cohesion if it joined"}, rows)
	}
	return m.err
}

// Table lists the numbers behind the brief's charts, one row per value:
// chart (agreement, ideal, events), series, period and value (with the band for ideal points).
func (b *Brief) Table() output.Table {
	t := output.Table{Columns: []string{"chart", "series", "period", "value", "lo", "hi", "n"}}
	for _, p := range b.Alignment.Pairs {
		for _, r := range p.Years {
			t.Rows = append(t.Rows, []any{"agreement", p.A + "-" + p.B, r.Period, r.Agree, "", "", r.Votes})
		}
	}
	for _, tr := range b.Positions.Trajectories {
		for _, pt := range tr.Points {
			t.Rows = append(t.Rows, []any{"ideal", tr.State, fmt.Sprint(pt.Year), pt.Ideal, pt.Lo, pt.Hi, pt.Votes})
		}
	}
	for _, s := range b.Events.Months {
		t.Rows = append(t.Rows, []any{"events", strings.Join(b.States, "-"), s.Month, s.Goldstein, "", "", s.Events})
	}
	return t
}
