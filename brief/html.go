package brief

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	concord "github.com/concord-project/concord"
)

//go:embed templates/*.html
var templateFS embed.FS

// Funcs are the template functions the brief's HTML uses.
var Funcs = template.FuncMap{
	"name":      Name,
	"f1":        func(v any) string { return fixed(v, 1) },
	"f2":        func(v any) string { return fixed(v, 2) },
	"f3":        func(v any) string { return fixed(v, 3) },
	"pct":       func(v any) string { return percent(toFloat(v)) },
	"usd":       func(v any) string { return usd(toFloat(v)) },
	"nan":       func(v any) bool { return math.IsNaN(toFloat(v)) },
	"join":      func(s []string) string { return strings.Join(s, ", ") },
	"inc":       func(i int) int { return i + 1 },
	"kinds":     kindsText,
	"linkText":  linkText,
	"coop":      func(q [4]int) int { return q[0] + q[1] },
	"conflict":  func(q [4]int) int { return q[2] + q[3] },
	"yearRows":  yearRows,
	"idealRows": idealRows,
}

var bodyTmpl = template.Must(template.New("brief").Funcs(Funcs).ParseFS(templateFS, "templates/body.html"))

// Body renders the sections of b as HTML (no page around them), with its
// charts; csv, when not "", is the address of the CSV of the charts' data,
// linked beside each chart.
func Body(b *Brief, csv string) (template.HTML, error) {
	var sb strings.Builder
	if err := bodyTmpl.ExecuteTemplate(&sb, "body", map[string]any{"B": b, "C": SVG(b), "CSV": csv}); err != nil {
		return "", err
	}
	return template.HTML(sb.String()), nil
}

// pageCSS styles the standalone HTML document (the web UI has its own style sheet with the same classes).
const pageCSS = `body{margin:0 auto;max-width:1100px;padding:1em 1.5em 3em;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b}
h1{font-size:1.7em;margin:.3em 0}h2{font-size:1.3em;margin:1.6em 0 .5em;border-bottom:1px solid #ccc;padding-bottom:.2em}h3{font-size:1.08em;margin:1.2em 0 .4em}
.source,.note{color:#555;font-size:.9em;margin:.2em 0}.note{font-style:italic}.lead{font-size:1.02em}
.pending{background:#fff8e1;border-left:4px solid #e0b100;padding:.5em 1em}
.chart-table{display:grid;grid-template-columns:minmax(0,1.4fr) minmax(0,1fr);gap:1.2em;align-items:start;margin:1em 0}
.issue-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:1em;margin:.6em 0}
figure{margin:0}svg.chart{width:100%;height:auto}
.table-wrap{overflow:auto;max-height:30em;border:1px solid #ddd;border-radius:4px;margin:.6em 0}
table{border-collapse:collapse;width:100%;font-size:.88em}caption{text-align:left;font-weight:600;padding:.4em .6em}
th,td{padding:.22em .55em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}thead th{background:#f4f6f8;position:sticky;top:0}
.num{text-align:right;font-variant-numeric:tabular-nums}.nowrap{white-space:nowrap}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
@media print{.table-wrap{max-height:none;overflow:visible}}`

// WriteHTML writes b as a standalone HTML document with inline SVG charts.
func WriteHTML(w io.Writer, b *Brief) error {
	body, err := Body(b, "")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s: relationship brief</title><style>%s</style></head>
<body><h1>%s: relationship brief</h1>
<p class="source">Made by concord from every source it holds: UN votes, the agreements registry, coded news events and trade. Vote window %d–%d.</p>
%s
</body></html>
`, template.HTMLEscapeString(b.Title()), pageCSS, template.HTMLEscapeString(b.Title()), b.From, b.To, body)
	return err
}

// yearRow is one year of the agreement table: one value per pair.
type yearRow struct {
	Year   string
	Values []float64
}

func yearRows(b *Brief) []yearRow {
	idx := map[string]int{}
	var rows []yearRow
	for k, p := range b.Alignment.Pairs {
		for _, r := range p.Years {
			i, ok := idx[r.Period]
			if !ok {
				i = len(rows)
				idx[r.Period] = i
				v := make([]float64, len(b.Alignment.Pairs))
				for j := range v {
					v[j] = math.NaN()
				}
				rows = append(rows, yearRow{Year: r.Period, Values: v})
			}
			rows[i].Values[k] = r.Agree
		}
	}
	slices.SortFunc(rows, func(x, y yearRow) int { return strings.Compare(x.Year, y.Year) })
	return rows
}

// idealRow is one year of the ideal-point table.
type idealRow struct {
	Year  int
	Cells []string
	Bloc  string
}

func idealRows(b *Brief) []idealRow {
	years := map[int]*idealRow{}
	var order []int
	for k, tr := range b.Positions.Trajectories {
		for _, p := range tr.Points {
			r := years[p.Year]
			if r == nil {
				r = &idealRow{Year: p.Year, Cells: make([]string, len(b.Positions.Trajectories))}
				years[p.Year] = r
				order = append(order, p.Year)
			}
			r.Cells[k] = fmt.Sprintf("%.2f [%.2f, %.2f]", p.Ideal, p.Lo, p.Hi)
		}
	}
	for _, by := range b.Positions.Blocs.Years {
		if r := years[by.Year]; r != nil {
			r.Bloc = map[bool]string{true: "yes", false: "no"}[by.Same]
			if len(by.Unaligned) > 0 {
				r.Bloc += " (" + strings.Join(by.Unaligned, ", ") + " unaligned)"
			}
		}
	}
	slices.Sort(order)
	out := make([]idealRow, len(order))
	for i, y := range order {
		out[i] = *years[y]
	}
	return out
}

// kindsText says how many events of each kind there are, e.g. "meetings or visits: 4, other cooperation: 2".
func kindsText(k EventKinds) string {
	label := map[string]string{KindMeeting: "meetings or visits", KindSigning: "agreements signed", KindPraise: "praise",
		KindCriticism: "criticism", KindCoop: "other cooperation", KindConflict: "other conflict"}
	var parts []string
	for _, name := range []string{KindMeeting, KindSigning, KindPraise, KindCriticism, KindCoop, KindConflict} {
		if n := k.Count(name); n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", label[name], n))
		}
	}
	return strings.Join(parts, ", ")
}

// linkText is what a link to an article shows: its title, else its site.
func linkText(a concord.ArticleRef) string {
	if a.Title != "" {
		return a.Title
	}
	if u, err := url.Parse(a.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.")
	}
	return a.URL
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case Num:
		return float64(x)
	case int:
		return float64(x)
	}
	rv := reflect.ValueOf(v)
	if rv.CanFloat() {
		return rv.Float()
	}
	return math.NaN()
}

// fixed prints a number with prec decimals, an undefined one as "–".
func fixed(v any, prec int) string {
	f := toFloat(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	return strconv.FormatFloat(f, 'f', prec, 64)
}

func percent(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	return strconv.FormatFloat(100*f, 'f', 1, 64) + "%"
}

// usd prints thousands of US dollars in words of scale.
func usd(k float64) string {
	switch {
	case math.IsNaN(k):
		return "–"
	case k >= 1e6:
		return fmt.Sprintf("$%.2f bn", k/1e6)
	case k >= 1e3:
		return fmt.Sprintf("$%.1f m", k/1e3)
	}
	return fmt.Sprintf("$%.0f k", k)
}
