package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"net/url"
	"slices"
	"strconv"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
)

// voters resolves the named state parameters and checks that each has votes
// in the index: 404 for an unknown state or one without votes.
func (s *Server) voters(ctx context.Context, q *query, names ...string) (*align.Index, []string, error) {
	codes := make([]string, len(names))
	for i, n := range names {
		c, err := q.state(n)
		if err != nil {
			return nil, nil, err
		}
		codes[i] = c
	}
	ix, err := s.index(ctx)
	if err != nil {
		return nil, nil, err
	}
	for i, c := range codes {
		if err := hasVotes(ix, names[i], c); err != nil {
			return nil, nil, err
		}
	}
	return ix, codes, nil
}

// hasVotes is a 404 naming param when state code has no votes in the index, with the state's note as a hint.
func hasVotes(ix *align.Index, param, code string) error {
	if _, ok := ix.Matrix().StateIndex(code); ok {
		return nil
	}
	st, _ := countries.ByCode(code)
	msg := fmt.Sprintf("%s (%s) has no votes in the store", code, st.Name)
	if st.Note != "" {
		msg += ": " + st.Note
	}
	return &Error{Status: nethttp.StatusNotFound, Param: param, Message: msg}
}

// alignEndpoints are the endpoints of `concord align` and `concord partners`, and the pair page's per-issue and split lists.
func (s *Server) alignEndpoints() []endpoint {
	return []endpoint{{
		Path:    "/api/v1/align",
		Summary: "How closely two states vote alike",
		Description: "Agreement, S-score, Cohen's kappa and coincidence of a and b over the roll calls of the window on which both voted yes, no or abstain " +
			"(as `concord align A B`), for the whole window or per year or session. Undefined values are null.",
		Params:  append([]param{pA, pB}, append(append([]param(nil), windowParams...), pBy)...),
		Result:  "Align",
		Example: "a=IRN&b=CUB&by=year",
		handle:  s.handleAlign,
	}, {
		Path:        "/api/v1/align/issues",
		Summary:     "How closely two states vote alike on each issue",
		Description: "The alignment of a and b over each issue's roll calls in the window: one row per issue, in the order of Voeten's data.",
		Params:      []param{pA, pB, pFrom, pTo, pImportant},
		Result:      "AlignIssues",
		Example:     "a=USA&b=ISR",
		handle:      s.handleAlignIssues,
	}, {
		Path:        "/api/v1/partners",
		Summary:     "Every other state ranked by how closely it votes with a",
		Description: "Every state that voted with a on at least min_votes roll calls of the window, ranked by metric (as `concord partners A`).",
		Params:      append([]param{pA}, append(append([]param(nil), windowParams...), pMetric, pMinVotes, pTop)...),
		Result:      "Partners",
		Example:     "a=IRN&issue=me&top=5",
		handle:      s.handlePartners,
	}, {
		Path:        "/api/v1/splits",
		Summary:     "The roll calls on which two states voted differently",
		Description: "Roll calls of the window on which a and b both voted yes, no or abstain, and not alike; newest first, with titles.",
		Params:      append([]param{pA, pB}, append(append([]param(nil), windowParams...), pLimit)...),
		Result:      "Splits",
		Example:     "a=USA&b=IRN&limit=10",
		handle:      s.handleSplits,
	}}
}

func (s *Server) handleAlign(ctx context.Context, q *query) (output.Tabler, error) {
	w, err := q.window()
	if err != nil {
		return nil, err
	}
	by, err := q.by()
	if err != nil {
		return nil, err
	}
	ix, c, err := s.voters(ctx, q, "a", "b")
	if err != nil {
		return nil, err
	}
	key := "align?a=" + c[0] + "&b=" + c[1] + windowKey(w) + "&by=" + by.String()
	return s.cache.respond(ix, key, func() (output.Tabler, error) {
		rows, err := ix.Pair(c[0], c[1], w, by)
		if err != nil {
			return nil, err
		}
		if rows == nil {
			rows = []align.Row{}
		}
		return alignResult{report.Align{A: c[0], B: c[1], From: w.From, To: w.To, Issue: w.Issue, Rows: rows}}, nil
	})
}

// windowKey spells out a window for the keys of the response cache.
func windowKey(w align.Window) string {
	return "&from=" + itoa(w.From) + "&to=" + itoa(w.To) + "&issue=" + string(w.Issue) +
		"&important=" + fmt.Sprint(w.Important) + "&search=" + url.QueryEscape(w.Search)
}

// alignResult is report.Align writing its JSON without reflection.
type alignResult struct{ report.Align }

func (r alignResult) appendJSON(b []byte) []byte {
	b = slices.Grow(b, 96+112*len(r.Rows)) // a row is about 100 bytes
	b = append(b, `{"a":`...)
	b = align.AppendJSONString(b, r.A)
	b = append(b, `,"b":`...)
	b = align.AppendJSONString(b, r.B)
	b = appendWindowJSON(b, r.From, r.To, r.Issue)
	b = append(b, `,"rows":[`...)
	for i, row := range r.Rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = row.AppendJSON(b)
	}
	return append(b, "]}"...)
}

// appendWindowJSON appends the from, to and issue keys of report.Align and report.Partners (each left out when zero).
func appendWindowJSON(b []byte, from, to int, issue concord.Issue) []byte {
	if from != 0 {
		b = append(b, `,"from":`...)
		b = strconv.AppendInt(b, int64(from), 10)
	}
	if to != 0 {
		b = append(b, `,"to":`...)
		b = strconv.AppendInt(b, int64(to), 10)
	}
	if issue != "" {
		b = append(b, `,"issue":`...)
		b = align.AppendJSONString(b, string(issue))
	}
	return b
}

// partnersResult is report.Partners writing its JSON without reflection.
type partnersResult struct{ report.Partners }

func (r partnersResult) appendJSON(b []byte) []byte {
	b = slices.Grow(b, 96+128*len(r.Rows))
	b = append(b, `{"a":`...)
	b = align.AppendJSONString(b, r.A)
	b = append(b, `,"metric":`...)
	b = align.AppendJSONString(b, r.Metric.String())
	b = appendWindowJSON(b, r.From, r.To, r.Issue)
	b = append(b, `,"rows":[`...)
	for i, p := range r.Rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = p.AppendJSON(b)
	}
	return append(b, "]}"...)
}

func (s *Server) handleAlignIssues(ctx context.Context, q *query) (output.Tabler, error) {
	w, err := q.window()
	if err != nil {
		return nil, err
	}
	ix, c, err := s.voters(ctx, q, "a", "b")
	if err != nil {
		return nil, err
	}
	return s.cache.respond(ix, "align/issues?a="+c[0]+"&b="+c[1]+windowKey(w), func() (output.Tabler, error) {
		res := report.AlignIssues{A: c[0], B: c[1], From: w.From, To: w.To, Rows: []report.IssueRow{}}
		for _, is := range concord.Issues {
			w.Issue = is
			rows, err := ix.Pair(c[0], c[1], w, align.All)
			if err != nil {
				return nil, err
			}
			res.Rows = append(res.Rows, report.IssueRow{Issue: is, Name: is.Name(), Row: rows[0]})
		}
		return res, nil
	})
}

func (s *Server) handlePartners(ctx context.Context, q *query) (output.Tabler, error) {
	w, err := q.window()
	if err != nil {
		return nil, err
	}
	m, err := q.metric()
	if err != nil {
		return nil, err
	}
	minVotes, err := q.int(pMinVotes, 1)
	if err != nil {
		return nil, err
	}
	top, err := q.int(pTop, 0)
	if err != nil {
		return nil, err
	}
	ix, c, err := s.voters(ctx, q, "a")
	if err != nil {
		return nil, err
	}
	key := "partners?a=" + c[0] + windowKey(w) + "&metric=" + m.String() + "&min_votes=" + itoa(minVotes) + "&top=" + itoa(top)
	return s.cache.respond(ix, key, func() (output.Tabler, error) {
		ps, err := ix.Partners(c[0], w, m, minVotes)
		if err != nil {
			return nil, err
		}
		if top > 0 && len(ps) > top {
			ps = ps[:top]
		}
		if ps == nil {
			ps = []align.Partner{}
		}
		return partnersResult{report.Partners{A: c[0], Metric: m, From: w.From, To: w.To, Issue: w.Issue, Rows: ps}}, nil
	})
}

func (s *Server) handleSplits(ctx context.Context, q *query) (output.Tabler, error) {
	w, err := q.window()
	if err != nil {
		return nil, err
	}
	limit, err := q.int(pLimit, 0)
	if err != nil {
		return nil, err
	}
	ix, c, err := s.voters(ctx, q, "a", "b")
	if err != nil {
		return nil, err
	}
	return s.cache.respond(ix, "splits?a="+c[0]+"&b="+c[1]+windowKey(w)+"&limit="+itoa(limit), func() (output.Tabler, error) {
		m := ix.Matrix()
		ia, _ := m.StateIndex(c[0])
		ib, _ := m.StateIndex(c[1])
		rows, total := report.FindSplits(m, ia, ib, w.Filter(), limit)
		return report.Splits{A: c[0], B: c[1], From: w.From, To: w.To, Issue: w.Issue, Total: total, Rows: rows}, nil
	})
}
