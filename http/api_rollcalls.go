package http

import (
	"context"

	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
)

// rollCallEndpoints are the endpoints of `concord rollcalls`.
func (s *Server) rollCallEndpoints() []endpoint {
	return []endpoint{{
		Path:        "/api/v1/rollcalls",
		Summary:     "List roll calls by period, issue or text",
		Description: "The roll calls that pass the filters, sorted by date then rcid (as `concord rollcalls`).",
		Params:      append(append([]param(nil), windowParams...), pSearch),
		Result:      "RollCalls",
		Example:     "issue=nu&from=2000&to=2001",
		handle: func(ctx context.Context, q *query) (output.Tabler, error) {
			w, err := q.window()
			if err != nil {
				return nil, err
			}
			f := w.Filter()
			f.Search = q.get("search")
			rcs, err := s.store.RollCalls(ctx, f)
			if err != nil {
				return nil, err
			}
			if rcs == nil {
				rcs = report.RollCalls{}
			}
			return report.RollCalls(rcs), nil
		},
	}}
}
