package http

import (
	"context"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
)

// stateResult is one state, as `concord countries CODE --format json` prints it (one element).
type stateResult struct{ concord.State }

func (r stateResult) Table() output.Table { return report.States{r.State}.Table() }

// MarshalJSON writes the state's JSON.
func (r stateResult) MarshalJSON() ([]byte, error) { return r.State.MarshalJSON() }

// stateEndpoints are the endpoints of `concord countries`.
func (s *Server) stateEndpoints() []endpoint {
	return []endpoint{{
		Path:        "/api/v1/states",
		Summary:     "List states, or the states that match a name or code",
		Description: "Every state, present and historical, with its codes (as `concord countries [QUERY]`). With q, the states whose code or name matches; none is an empty list.",
		Params:      []param{{Name: "q", Type: "string", Description: "a name or code to search for", Example: "iran"}},
		Result:      "States",
		Example:     "q=iran",
		handle: func(_ context.Context, q *query) (output.Tabler, error) {
			if s := q.get("q"); s != "" {
				l := countries.Search(s)
				if l == nil {
					l = []concord.State{}
				}
				return report.States(l), nil
			}
			return report.States(countries.All()), nil
		},
	}, {
		Path:        "/api/v1/states/{code}",
		Summary:     "One state by any code or name",
		Description: "The state that a code or name stands for (ISO alpha-2/3 or numeric, COW code or abbreviation, English name). 404 when unknown, with suggestions; 400 when ambiguous.",
		Params:      []param{{Name: "code", In: "path", Type: "string", Required: true, Description: "ISO or COW code, or name", Example: "IRN"}},
		Result:      "State",
		handle: func(_ context.Context, q *query) (output.Tabler, error) {
			st, err := countries.Lookup(q.get("code"))
			if err != nil {
				return nil, stateError("code", err)
			}
			return stateResult{st}, nil
		},
	}}
}
