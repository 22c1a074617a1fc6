package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/blocs"
	"github.com/concord-project/concord/brief"
	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/ideal"
	"github.com/concord-project/concord/output"
)

// The parameters of `concord brief`.
var (
	pBriefStates = param{Name: "states", Type: "string", Required: true, Example: "IRN,CUB",
		Description: "two or more states separated by commas (ISO or COW codes, or names); more than two adds the coalition section"}
	pBriefFrom = param{Name: "from", Type: "integer", Max: 9999, Example: "2000",
		Description: "first calendar year of the vote window (default: the last 29 years of the record); also bounds the agreements' signing and the events (default: all)"}
	pBriefTo = param{Name: "to", Type: "integer", Max: 9999, Example: "2019",
		Description: "last calendar year (default: the record's last year with votes; agreements and events: all)"}
)

// briefEndpoints are the endpoints of `concord brief`.
func (s *Server) briefEndpoints() []endpoint {
	return []endpoint{{
		Path:    "/api/v1/brief",
		Summary: "The relationship brief of two states, or a coalition, from every source the server holds",
		Description: "One object with one key per section (as `concord brief --format json`): alignment (UN votes overall, per issue, year and decade, " +
			"trend, latest splits), positions (ideal points per year with 90% bands, voting blocs and since when), agreements (shared, by field, " +
			"implementation rate, overdue commitments), events (latest with sources, monthly score), economy (trade complementarity both ways and " +
			"its fields), coalition (three or more states: cohesion, decisiveness, best next partners). Each section names its source and how recent " +
			"its data is, and says in `missing` when its data is missing (a store the server lacks answers so in its section, not with an error). " +
			"format=csv gives the numbers behind the charts.",
		Params:  []param{pBriefStates, pBriefFrom, pBriefTo},
		Result:  "Brief",
		Example: "states=IRN,CUB",
		handle:  s.handleBrief,
	}}
}

// briefStates resolves the states parameter: 404 naming an unknown state, 400 for fewer than two or a repeat.
func briefStates(q *query) ([]string, error) {
	raw := q.get("states")
	if strings.TrimSpace(raw) == "" {
		return nil, badParam("states", "required: two or more states separated by commas, e.g. IRN,CUB")
	}
	var out []string
	for _, x := range strings.Split(raw, ",") {
		if x = strings.TrimSpace(x); x == "" {
			continue
		}
		st, err := countries.Lookup(x)
		if err != nil {
			return nil, stateError("states", err)
		}
		out = append(out, st.Code)
	}
	if len(out) < 2 {
		return nil, badParam("states", fmt.Sprintf("a brief needs at least two states, got %d", len(out)))
	}
	return out, nil
}

// buildBrief builds the brief of the request's states and window.
func (s *Server) buildBrief(ctx context.Context, q *query) (*brief.Brief, error) {
	states, err := briefStates(q)
	if err != nil {
		return nil, err
	}
	from, err := q.int(pBriefFrom, 0)
	if err != nil {
		return nil, err
	}
	to, err := q.int(pBriefTo, 0)
	if err != nil {
		return nil, err
	}
	if from != 0 && to != 0 && from > to {
		return nil, badParam("from", fmt.Sprintf("from %d is after to %d", from, to))
	}
	ix, err := s.index(ctx)
	if err != nil {
		return nil, err
	}
	b, err := brief.Build(ctx, s.briefSources(ix), states, from, to)
	if errors.Is(err, brief.ErrStates) {
		return nil, badParam("states", err.Error())
	}
	return b, err
}

func (s *Server) handleBrief(ctx context.Context, q *query) (output.Tabler, error) {
	b, err := s.buildBrief(ctx, q)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// briefSources are the server's stores for a brief over the loaded votes ix:
// ideal points and blocs are the server's kept results (the ideal fit is the
// state page's and `concord ideal --by year`'s), the trade indices are kept
// in a small in-memory cache emptied when the matrix is reloaded.
func (s *Server) briefSources(ix *align.Index) brief.Sources {
	src := brief.Sources{Index: ix, Votes: "the server's vote store", Cache: briefResults.forIndex(ix)}
	src.Ideal = func(_ context.Context, w concord.RollCallFilter, opt ideal.Options) (*ideal.Result, error) {
		return s.fitIdeal(ix, align.Window(w), opt)
	}
	src.Blocs = func(_ context.Context, o blocs.Options) (*blocs.Result, error) {
		key := fmt.Sprintf("from=%d to=%d window=%d step=%d metric=%s resolution=%g restarts=%d seed=%d bootstrap=%d",
			o.From, o.To, o.Window, o.Step, o.Metric, o.Leiden.Resolution, o.Leiden.Restarts, o.Leiden.Seed, o.Bootstrap)
		return kept(s, ix, "brief-blocs-result", key, func() (*blocs.Result, error) { return blocs.Analyze(ix, o) })
	}
	// Interface values holding a nil pointer would not be nil: copy only what the server has.
	if s.Registry != nil {
		src.Registry = s.Registry
	}
	if s.Events != nil {
		src.Events = s.Events
	}
	if s.Trade != nil {
		src.Trade = s.Trade
	}
	return src
}

// memResults is a concord.ResultCache in memory for one loaded matrix (its
// votes version is always 0): the brief keeps its trade indices there under
// the identity of the stored trade year.
type memResults struct {
	mu sync.Mutex
	ix *align.Index
	m  map[string][]byte
}

var briefResults = &memResults{}

// forIndex empties the cache when the matrix changed and returns it.
func (c *memResults) forIndex(ix *align.Index) *memResults {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ix != ix || len(c.m) > 256 {
		c.ix, c.m = ix, map[string][]byte{}
	}
	return c
}

func (c *memResults) VotesVersion(context.Context) (int64, error) { return 0, nil }

func (c *memResults) LoadResult(_ context.Context, kind, key string, _ int64, v any) (bool, error) {
	c.mu.Lock()
	b, ok := c.m[kind+"\x00"+key]
	c.mu.Unlock()
	if !ok {
		return false, nil
	}
	return true, json.Unmarshal(b, v)
}

func (c *memResults) SaveResult(_ context.Context, kind, key string, _ int64, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.m[kind+"\x00"+key] = b
	c.mu.Unlock()
	return nil
}

// briefSchemas are the OpenAPI schemas of the brief.
func briefSchemas() schema {
	section := func(props schema, required ...string) schema {
		return object(with(schema{
			"source":  str("where the section's data comes from"),
			"as_of":   str("how recent: the newest record used (date or year), empty when there is none"),
			"missing": str("why the section has no data, in plain words; absent when it has"),
			"notes":   array(str("what to know to read the numbers")),
		}, props), append([]string{"source", "as_of"}, required...)...)
	}
	number := func(desc string) schema { return schema{"type": "number", "description": desc} }
	article := object(schema{"id": str("content hash of the article"), "url": str("its address"), "title": str("its headline")}, "id")
	group := object(schema{"level": str("section"), "code": str("HS section (Roman) or SITC section"), "name": str("its name"),
		"products": integer("complementary products in it"), "imports": number("the importer's imports of them, thousands of USD"),
		"import_share": number("their share of the importer's imports")}, "level", "code", "name", "products", "imports", "import_share")
	agreement := object(schema{"id": str("registry id"), "title": str("title"), "kind": str("kind of instrument"), "fields": array(str("policy field")),
		"signed": str("signing date"), "status": str("status"), "n_parties": integer("parties")}, "id", "title", "kind", "fields", "status", "n_parties")
	return schema{
		"Brief": object(schema{
			"alignment": section(schema{
				"states": array(str("state code")), "from": integer("first year of the vote window"), "to": integer("last year"),
				"pairs": array(object(schema{
					"a": str("state code"), "b": str("state code"), "overall": ref("Row"), "issues": array(ref("IssueRow")),
					"years": array(ref("Row")), "decades": array(ref("Row")),
					"trend": nullableNumber("least-squares slope of the yearly agreement, per decade"), "trend_text": str("the trend in words"),
					"splits": array(ref("Split")), "splits_total": integer("splits in the window"), "missing": str("why the pair has no data"),
				}, "a", "b", "overall", "issues", "years", "decades", "trend", "trend_text", "splits", "splits_total")),
			}, "states", "from", "to", "pairs"),
			"positions": section(schema{
				"from": integer("first year"), "to": integer("last year"), "band": str("what the band is"),
				"trajectories": array(object(schema{
					"state": str("state code"), "name": str("state name"), "missing": str("why it has no position"),
					"points": array(object(schema{"year": integer("year"), "ideal": number("ideal point; higher is closer to the United States"),
						"lo": number("ideal − 1.645 posterior sd"), "hi": number("ideal + 1.645 posterior sd"),
						"votes": integer("votes cast that year")}, "year", "ideal", "lo", "hi", "votes")),
				}, "state", "name", "points")),
				"distance": nullableNumber("largest distance between two of the states in distance_year"), "distance_year": integer("the last year all have a position"),
				"blocs": object(schema{
					"years": array(object(schema{"year": integer("year"),
						"blocs":     array(object(schema{"state": str("state code"), "bloc": str("its bloc: the name of its most central member")}, "state", "bloc")),
						"same":      boolean("all in one bloc"),
						"unaligned": array(str("state code of one of the states that voted but sat in no bloc (no positive tie with any state)"))}, "year", "blocs", "same")),
					"same": boolean("all in one bloc in the last year"), "since": integer("first year of the unbroken run with that answer"),
					"text": str("the answer in words"),
				}, "years", "same", "since", "text"),
			}, "from", "to", "band", "trajectories", "distance", "distance_year", "blocs"),
			"agreements": section(schema{
				"total":     integer("agreements all the states are party to"),
				"bilateral": array(agreement), "multilateral": array(agreement),
				"multilateral_total": integer("shared agreements with other parties too"),
				"by_field": array(object(schema{"field": str("policy field"), "bilateral": integer("between them alone"),
					"multilateral": integer("multilateral")}, "field", "bilateral", "multilateral")),
				"commitments": integer("commitments under the shared agreements"),
				"rate":        nullableNumber("done / (commitments − cancelled); null when none count"),
				"rates": array(object(schema{"key": str("field"), "total": integer("commitments"), "done": integer("done"), "cancelled": integer("cancelled"),
					"overdue": integer("overdue"), "rate": nullableNumber("done / (total − cancelled)")}, "key", "total", "done", "cancelled", "overdue", "rate")),
				"overdue": array(object(schema{
					"id": integer("registry id"), "agreement": str("id of its agreement"), "agreement_title": str("title of its agreement"), "text": str("what is promised"),
					"responsible": str("state code; empty for all parties"), "due": str("due date"), "status": str("stored status"), "progress": integer("percent done"),
					"evidence": array(str("link")), "notes": str("notes"), "version": integer("version"),
					"created": str("when created"), "updated": str("when last changed"),
				}, "id", "agreement", "text", "due", "status", "progress")),
				"as_of_day": str("the day overdue is counted on"),
			}, "total", "bilateral", "multilateral", "multilateral_total", "by_field", "commitments", "rate", "rates", "overdue", "as_of_day"),
			"events": section(schema{
				"total": integer("events between the states"),
				"kinds": object(schema{"meeting": integer("meetings and visits (CAMEO 04x)"), "signing": integer("formal agreements signed (057)"),
					"praise": integer("praise (051)"), "criticism": integer("criticism and disapproval (11x)"),
					"other_cooperation": integer("other cooperation"), "other_conflict": integer("other conflict")},
					"meeting", "signing", "praise", "criticism", "other_cooperation", "other_conflict"),
				"latest": array(object(schema{
					"date": str("yyyy-mm-dd; empty when unknown"), "source": str("state code or organisation"), "target": str("state code or organisation"),
					"kind": str("meeting, signing, praise, criticism, other cooperation or other conflict"), "cameo": str("CAMEO code"),
					"description": str("CAMEO description"), "goldstein": number("Goldstein weight"), "evidence": str("the sentence"),
					"articles": array(article),
				}, "date", "source", "target", "kind", "cameo", "description", "goldstein", "evidence", "articles")),
				"months": array(object(schema{
					"month": str("yyyy-mm"), "events": integer("events in the month"), "goldstein": number("sum of the Goldstein weights"),
					"quad": schema{"type": "array", "items": schema{"type": "integer"}, "description": "verbal cooperation, material cooperation, verbal conflict, material conflict"},
				}, "month", "events", "goldstein", "quad")),
			}, "total", "kinds", "latest", "months"),
			"economy": section(schema{
				"classification": str("of the stored year used"), "year": integer("year of trade"), "bilateral": boolean("imports known: TC computed"),
				"pairs": array(object(schema{
					"a": str("state code"), "b": str("state code"),
					"tc_ab": nullableNumber("trade complementarity of a's exports with b's imports, 0–100"), "tc_ba": nullableNumber("of b's exports with a's imports"),
					"intensity_ab": nullableNumber("trade intensity of a's exports to b"), "intensity_ba": nullableNumber("of b's exports to a"),
					"similarity": nullableNumber("export similarity 0–100"),
					"exports_ab": nullableNumber("a's exports to b, thousands of USD"), "exports_ba": nullableNumber("b's exports to a"),
					"fields_ab": array(group), "fields_ba": array(group), "missing": str("why the pair has no data"),
				}, "a", "b", "tc_ab", "tc_ba", "similarity", "fields_ab", "fields_ba")),
			}, "classification", "year", "bilateral", "pairs"),
			"coalition": section(schema{
				"members": array(str("state code")), "from": integer("first year"), "to": integer("last year"),
				"roll_calls": integer("roll calls in the window"), "cohesion": nullableNumber("Agreement Index of the members"),
				"decisiveness": object(schema{"rule": str("adoption rule"), "roll_calls": integer("roll calls in the window"),
					"judged": integer("roll calls where the coalition had a position"), "changed": integer("outcomes changed by voting as one"),
					"prevailed": integer("positions that prevailed as recorded"), "prevailed_as_one": integer("positions that prevailed voting as one"),
					"abstained": integer("positions to abstain"), "unjudged": integer("roll calls where no member voted or they split evenly")},
					"rule", "roll_calls", "judged", "changed", "prevailed", "prevailed_as_one", "abstained", "unjudged"),
				"partners": array(object(schema{"state": str("state code"), "alignment": nullableNumber("mean agreement with the members"),
					"votes": integer("fewest common votes with any member"), "ideal_distance": nullableNumber("null: not computed"),
					"cohesion": nullableNumber("the coalition's Agreement Index if it joined")}, "state", "alignment", "votes", "cohesion")),
			}, "members", "from", "to", "roll_calls", "cohesion", "decisiveness", "partners"),
		}, "alignment", "positions", "agreements", "events", "economy", "coalition"),
	}
}
