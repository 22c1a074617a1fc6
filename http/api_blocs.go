package http

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/blocs"
	"github.com/concord-project/concord/ideal"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
)

// The parameters of `concord blocs` and `concord coalition`.
var (
	pWindow     = param{Name: "window", Type: "integer", Max: 200, Default: "0", Description: "years per window (0: one window from..to)"}
	pStep       = param{Name: "step", Type: "integer", Min: 1, Max: 200, Default: "1", Description: "years between the starts of consecutive windows"}
	pResolution = param{Name: "resolution", Type: "number", Default: "1", Description: "modularity resolution γ (higher: more, smaller blocs)"}
	pBlocMetric = param{Name: "metric", Type: "string", Enum: []string{"agree", "s_score", "kappa", "coincidence"}, Default: blocs.DefaultMetric.String(), Description: "edge weights: kappa (chance-corrected, the default) or agree (also s_score, coincidence)"}
	pSigned     = param{Name: "signed", Type: "boolean", Description: "signed graph: states that vote against each other repel"}
	pBootstrap  = param{Name: "bootstrap", Type: "integer", Max: 200, Default: "20", Description: "resampled runs measuring each member's firmness (0: none)"}
	pCore       = param{Name: "core", Type: "number", Default: "0.8", Description: "firmness from which a member is core rather than swing (above 0, at most 1)"}
	pRestarts   = param{Name: "restarts", Type: "integer", Min: 1, Max: 50, Default: "5", Description: "Leiden runs per window; the best is kept"}
	pSeed       = param{Name: "seed", Type: "integer", Default: "1", Description: "seed of the random numbers (results are reproducible)"}
	pSeeds      = param{Name: "seeds", Type: "string", Required: true, Description: "the seed states of the coalition, separated by commas", Example: "NOR,SWE"}
	pCoTop      = param{Name: "top", Type: "integer", Default: "20", Description: "only the first N candidates (0: all)"}
	pBuild      = param{Name: "build", Type: "integer", Required: true, Max: 200, Description: "grow the coalition greedily to N members, one row per step", Example: "4"}
	pCoMetric   = param{Name: "metric", Type: "string", Enum: []string{"agree", "s_score", "kappa", "coincidence", "ideal"}, Default: "agree",
		Description: "rank candidates by their mean agree, s_score, kappa or coincidence with the seeds, or by ideal: the distance of their ideal point to the seeds' mean (nearest first; alignment is then agree)"}
	pRankBy    = param{Name: "rank_by", Type: "string", Enum: []string{"alignment", "ideal"}, Default: "alignment", Description: "as the CLI's --rank-by: alignment (the metric) or ideal (ideal-point distance, the same as metric=ideal)"}
	pWithIdeal = param{Name: "ideal", Type: "boolean", Description: "add each candidate's ideal-point distance to the seeds' mean (a static ideal-point fit over the window, as `concord ideal`; implied by ranking by ideal)"}
	pRule      = param{Name: "rule", Type: "string", Enum: []string{"majority", "two-thirds"}, Default: "majority", Description: "adoption rule: majority (of members present and voting) or two-thirds"}
)

// maxBlocRuns bounds the Leiden runs (windows × (bootstrap + 1)) of one blocs request.
const maxBlocRuns = 300

// float parses a number parameter, def when absent; it must be finite.
func (q *query) float(p param, def float64) (float64, error) {
	s := q.get(p.Name)
	if s == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, badParam(p.Name, fmt.Sprintf("want a number, got %q", clip(s)))
	}
	return f, nil
}

// resultCache keeps the results of the slower analyses (ideal points, blocs,
// coalitions) of the current matrix snapshot in memory, at most
// maxKeptResults of them, and counts where results came from.
type resultCache struct {
	mu    sync.Mutex
	snap  *align.Index
	m     map[string]any
	count map[string]int // kind + " " + source (memory, store or computed) → results
}

// maxKeptResults bounds the results kept in memory for one matrix.
const maxKeptResults = 128

// counted returns how many results of kind came from source: memory, store or computed.
func (c *resultCache) counted(kind, source string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count[kind+" "+source]
}

func (c *resultCache) tally(kind, source string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count == nil {
		c.count = map[string]int{}
	}
	c.count[kind+" "+source]++
}

// get returns the value kept under key for ix, or computes and keeps it (in memory only; kept also uses the store).
func (c *resultCache) get(ix *align.Index, key string, compute func() (any, error)) (any, error) {
	v, _, err := c.getAny(ix, key, compute)
	return v, err
}

// getAny returns the value kept under key for ix, or computes and keeps it; it reports whether it was kept.
func (c *resultCache) getAny(ix *align.Index, key string, compute func() (any, error)) (any, bool, error) {
	c.mu.Lock()
	if c.snap != ix {
		c.snap, c.m = ix, map[string]any{}
	}
	if v, ok := c.m[key]; ok {
		c.mu.Unlock()
		return v, true, nil
	}
	c.mu.Unlock()
	v, err := compute()
	if err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	if c.snap == ix {
		if len(c.m) >= maxKeptResults {
			c.m = map[string]any{}
		}
		c.m[key] = v
	}
	c.mu.Unlock()
	return v, false, nil
}

// memo returns the result of kind under key computed on ix, kept in memory only.
func memo[T any](s *Server, ix *align.Index, kind, key string, compute func() (T, error)) (T, error) {
	v, inMemory, err := s.results.getAny(ix, kind+"?"+key, func() (any, error) {
		t, err := compute()
		if err == nil {
			s.results.tally(kind, "computed")
		}
		return t, err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	if inMemory {
		s.results.tally(kind, "memory")
	}
	return v.(T), nil
}

// kept returns the result of kind under key computed on ix: from memory when
// this matrix had it already; else, when the store keeps results
// (concord.ResultCache) and ix is the matrix of the store's current votes
// version, from the store (so that a restart does not recompute, and an
// import, which moves the version, does); else computed by compute and kept
// in both. Results in the store are shared with the command line's under
// the same kind and key.
func kept[T any](s *Server, ix *align.Index, kind, key string, compute func() (T, error)) (T, error) {
	v, inMemory, err := s.results.getAny(ix, kind+"?"+key, func() (any, error) {
		// Cached for later requests: the store is read and written without the request's context.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		rc, ok := s.store.(concord.ResultCache)
		snap := s.cache.cur.Load()
		ok = ok && snap != nil && snap.ix == ix && snap.versioned
		if ok {
			var t T
			found, err := rc.LoadResult(ctx, kind, key, snap.version, &t)
			if err != nil {
				s.logger().Warn("reading a kept result", "kind", kind, "key", key, "err", err)
			} else if found {
				s.results.tally(kind, "store")
				return t, nil
			}
		}
		t, err := compute()
		if err != nil {
			return nil, err
		}
		s.results.tally(kind, "computed")
		// Saving replaces the results of other versions: save only while ours is still the store's.
		if ok {
			if v, err := rc.VotesVersion(ctx); err == nil && v == snap.version {
				if err := rc.SaveResult(ctx, kind, key, snap.version, t); err != nil {
					s.logger().Warn("keeping a result in the store", "kind", kind, "key", key, "err", err)
				}
			}
		}
		return t, nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	if inMemory {
		s.results.tally(kind, "memory")
	}
	return v.(T), nil
}

// blocsEndpoints are the endpoints of `concord blocs` and `concord coalition`.
func (s *Server) blocsEndpoints() []endpoint {
	coParams := append([]param{pSeeds}, append(append([]param(nil), windowParams...), pCoMetric, pRankBy, pWithIdeal, pMinVotes, pRule)...)
	return []endpoint{{
		Path:    "/api/v1/blocs",
		Summary: "Voting blocs per window of years",
		Description: "Leiden communities of the agreement graph, matched from window to window, with each member's firmness " +
			"over bootstrap runs and core or swing status (as `concord blocs`).",
		Params: append(append([]param(nil), windowParams...), pWindow, pStep, pResolution, pBlocMetric, pSigned,
			param{Name: "min_votes", Type: "integer", Default: "1", Description: "leave out pairs with fewer common votes"}, pBootstrap, pCore, pRestarts, pSeed),
		Result:  "Blocs",
		Example: "from=2005&to=2009&bootstrap=5",
		handle:  s.handleBlocs,
	}, {
		Path:    "/api/v1/coalition",
		Summary: "Best partners for a coalition of seed states, its cohesion and decisiveness",
		Description: "Every other state ranked by its mean alignment with the seeds, with the coalition's cohesion if it joined " +
			"(Hix–Noury–Roland Agreement Index), and the seeds' decisiveness (as `concord coalition SEED...`). With metric=ideal (or rank_by=ideal) " +
			"candidates are ranked by the distance of their ideal point to the seeds' mean instead; ideal=true adds that distance (ideal_distance) without changing the ranking.",
		Params:  append(coParams, pCoTop),
		Result:  "CoalitionCandidates",
		Example: "seeds=USA,ISR&top=3",
		handle:  s.handleCoalition,
	}, {
		Path:        "/api/v1/coalition/build",
		Summary:     "Grow a coalition greedily from seed states",
		Description: "The coalition grown from the seeds to build members, each step adding the best candidate, with cohesion and decisiveness (as `concord coalition SEED... --build N`).",
		Params:      append(coParams, pBuild),
		Result:      "CoalitionBuild",
		Example:     "seeds=USA&build=3",
		handle:      s.handleCoalitionBuild,
	}}
}

func (s *Server) handleBlocs(ctx context.Context, q *query) (output.Tabler, error) {
	w, err := q.window()
	if err != nil {
		return nil, err
	}
	var o blocs.Options
	if o.Window, err = q.int(pWindow, 0); err != nil {
		return nil, err
	}
	if o.Step, err = q.int(pStep, 1); err != nil {
		return nil, err
	}
	if o.Leiden.Resolution, err = q.float(pResolution, 1); err != nil {
		return nil, err
	}
	if !(o.Leiden.Resolution > 0) || o.Leiden.Resolution > 100 {
		return nil, badParam("resolution", fmt.Sprintf("want a positive γ of at most 100, got %g", o.Leiden.Resolution))
	}
	if o.Metric, err = blocMetric(q); err != nil {
		return nil, err
	}
	if o.Graph.Signed, err = q.bool(pSigned); err != nil {
		return nil, err
	}
	if o.Graph.MinVotes, err = q.int(pMinVotes, 1); err != nil {
		return nil, err
	}
	if o.Bootstrap, err = q.int(pBootstrap, 20); err != nil {
		return nil, err
	}
	if o.Bootstrap == 0 {
		o.Bootstrap = -1 // no firmness, as the CLI
	}
	if o.CoreAt, err = q.float(pCore, 0.8); err != nil {
		return nil, err
	}
	if o.CoreAt <= 0 || o.CoreAt > 1 {
		return nil, badParam("core", fmt.Sprintf("want a share above 0 and at most 1, got %g", o.CoreAt))
	}
	if o.Leiden.Restarts, err = q.int(pRestarts, 5); err != nil {
		return nil, err
	}
	seed, err := q.int(param{Name: "seed", Min: 0}, 1)
	if err != nil {
		return nil, err
	}
	o.Leiden.Seed = uint64(seed)
	o.From, o.To, o.Issue, o.Important = w.From, w.To, w.Issue, w.Important
	ix, err := s.index(ctx)
	if err != nil {
		return nil, err
	}
	nwin := 1
	if o.Window > 0 {
		wins, err := o.Windows(ix.Matrix())
		if err != nil {
			return nil, badParam("window", err.Error())
		}
		if len(wins) > 100 {
			return nil, badParam("step", fmt.Sprintf("%d windows; at most 100 per request (raise step or narrow from..to)", len(wins)))
		}
		nwin = len(wins)
	}
	// Each window costs a Leiden run per bootstrap sample: bound the work of one request.
	if runs := nwin * (max(o.Bootstrap, 0) + 1); runs > maxBlocRuns {
		return nil, badParam("bootstrap", fmt.Sprintf("%d windows × %d bootstrap runs is more than one request may ask (%d runs); lower bootstrap or use fewer windows, or run `concord blocs`",
			nwin, max(o.Bootstrap, 0), maxBlocRuns))
	}
	res, err := s.blocsOf(ix, o)
	if err != nil {
		return nil, err
	}
	return blocsResult{res}, nil
}

// blocMetric parses the metric parameter of blocs: blocs.DefaultMetric (kappa) unless given.
func blocMetric(q *query) (blocs.Metric, error) {
	if q.get("metric") == "" {
		return blocs.DefaultMetric, nil
	}
	m, err := q.metric()
	if err != nil {
		return 0, err
	}
	if b, err := blocs.MetricOf(m); err == nil {
		return b, nil
	}
	return 0, badParam("metric", fmt.Sprintf("%v cannot weight blocs", m))
}

// blocsKeyVersion ends the key of kept blocs results, so that results kept
// before states without a positive edge were listed as unaligned (rather than
// as blocs of one) are not read back.
const blocsKeyVersion = " v2-unaligned"

// blocsOf returns the blocs of options o on ix, kept in memory and in the store (kind "blocs").
func (s *Server) blocsOf(ix *align.Index, o blocs.Options) (*blocs.Result, error) {
	return kept(s, ix, "blocs", report.BlocsKey(o)+blocsKeyVersion, func() (*blocs.Result, error) {
		res, err := blocs.Analyze(ix, o)
		if err != nil {
			return nil, badParam("", err.Error())
		}
		return res, nil
	})
}

// coalitionRanking parses metric, rank_by and ideal: the alignment metric,
// the ranking, and whether ideal points are needed.
func coalitionRanking(q *query) (align.Metric, blocs.Rank, bool, error) {
	m, rank := align.Agree, blocs.ByAlignment
	switch s := q.get("rank_by"); s {
	case "", "alignment":
	case "ideal":
		rank = blocs.ByIdeal
	default:
		return m, rank, false, badParam("rank_by", fmt.Sprintf("unknown ranking %q (want alignment or ideal)", clip(s)))
	}
	switch s := strings.ToLower(strings.TrimSpace(q.get("metric"))); s {
	case "":
	case "ideal":
		rank = blocs.ByIdeal
	default:
		var err error
		if m, err = align.ParseMetric(s); err != nil {
			return m, rank, false, badParam("metric", err.Error()+" or ideal")
		}
	}
	withIdeal, err := q.bool(pWithIdeal)
	if err != nil {
		return m, rank, false, err
	}
	return m, rank, withIdeal || rank == blocs.ByIdeal, nil
}

// coalition parses the parameters shared by the coalition endpoints.
func (s *Server) coalition(ctx context.Context, q *query) (*blocs.Coalition, []string, align.Window, align.Metric, blocs.Rank, error) {
	var w align.Window
	var m align.Metric
	var rank blocs.Rank
	w, err := q.window()
	if err != nil {
		return nil, nil, w, m, rank, err
	}
	m, rank, withIdeal, err := coalitionRanking(q)
	if err != nil {
		return nil, nil, w, m, rank, err
	}
	minVotes, err := q.int(pMinVotes, 1)
	if err != nil {
		return nil, nil, w, m, rank, err
	}
	rule, err := blocs.ParseRule(q.get("rule"))
	if q.get("rule") == "" {
		rule, err = blocs.SimpleMajority, nil
	}
	if err != nil {
		return nil, nil, w, m, rank, badParam("rule", err.Error())
	}
	seeds, err := parseStates("seeds", q.get("seeds"), 50)
	if err != nil {
		return nil, nil, w, m, rank, err
	}
	if len(seeds) == 0 {
		return nil, nil, w, m, rank, badParam("seeds", "required: at least one state")
	}
	ix, err := s.index(ctx)
	if err != nil {
		return nil, nil, w, m, rank, err
	}
	for _, c := range seeds {
		if err := hasVotes(ix, "seeds", c); err != nil {
			return nil, nil, w, m, rank, err
		}
	}
	opt := blocs.CoalitionOptions{Window: w, Metric: m, MinVotes: minVotes, Rule: rule, RankBy: rank}
	if withIdeal {
		if opt.Ideal, err = s.staticIdeal(ix, w); err != nil {
			return nil, nil, w, m, rank, err
		}
	}
	co, err := blocs.NewCoalition(ix, opt)
	if err != nil {
		return nil, nil, w, m, rank, badParam("", err.Error())
	}
	return co, seeds, w, m, rank, nil
}

// staticIdeal returns every state's position in a static ideal-point fit
// over the window, as `concord coalition --ideal` (the same fit, kept in
// the store under the same key).
func (s *Server) staticIdeal(ix *align.Index, w align.Window) (map[string]float64, error) {
	res, err := s.fitIdeal(ix, w, ideal.Options{})
	if err != nil {
		return nil, err
	}
	pos := map[string]float64{}
	for _, st := range ix.States() {
		if x, ok := res.Mean(st, 0, 0); ok {
			pos[st] = x
		}
	}
	return pos, nil
}

func (s *Server) handleCoalition(ctx context.Context, q *query) (output.Tabler, error) {
	top, err := q.int(pCoTop, 20)
	if err != nil {
		return nil, err
	}
	co, seeds, w, m, rank, err := s.coalition(ctx, q)
	if err != nil {
		return nil, err
	}
	ix, _ := s.index(ctx)
	return memo(s, ix, "coalition", q.vals.Encode(), func() (output.Tabler, error) {
		cands, err := co.Candidates(seeds)
		if err != nil {
			return nil, badParam("seeds", err.Error())
		}
		if top > 0 && len(cands) > top {
			cands = cands[:top]
		}
		if cands == nil {
			cands = []blocs.Candidate{}
		}
		coh, err := co.Cohesion(seeds)
		if err != nil {
			return nil, badParam("seeds", err.Error())
		}
		d, err := co.Decide(seeds)
		if err != nil {
			return nil, badParam("seeds", err.Error())
		}
		if d.Unjudged == nil {
			d.Unjudged = []blocs.Unjudged{}
		}
		return blocs.CandidatesResult{Seeds: seeds, Metric: m, RankBy: rank, From: w.From, To: w.To, Issue: w.Issue, Cohesion: coh, Decisiveness: d, Candidates: cands}, nil
	})
}

func (s *Server) handleCoalitionBuild(ctx context.Context, q *query) (output.Tabler, error) {
	build, err := q.int(pBuild, 0)
	if err != nil {
		return nil, err
	}
	co, seeds, w, m, rank, err := s.coalition(ctx, q)
	if err != nil {
		return nil, err
	}
	if build < len(seeds) {
		return nil, badParam("build", fmt.Sprintf("%d: the coalition already has %d seeds", build, len(seeds)))
	}
	ix, _ := s.index(ctx)
	return memo(s, ix, "coalition/build", q.vals.Encode(), func() (output.Tabler, error) {
		steps, err := co.Build(seeds, build)
		if err != nil {
			return nil, badParam("build", err.Error())
		}
		for i := range steps {
			if steps[i].Decisiveness.Unjudged == nil {
				steps[i].Decisiveness.Unjudged = []blocs.Unjudged{}
			}
		}
		return blocs.BuildResult{Seeds: seeds, Metric: m, RankBy: rank, From: w.From, To: w.To, Issue: w.Issue, Steps: steps}, nil
	})
}

// parseStates resolves a comma-separated list of states for param, at most max distinct ones.
func parseStates(param, s string, max int) ([]string, error) {
	var codes []string
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		code, err := (&query{path: map[string]string{param: f}}).state(param)
		if err != nil {
			return nil, err
		}
		if !seen[code] {
			seen[code] = true
			codes = append(codes, code)
		}
	}
	if len(codes) > max {
		return nil, badParam(param, fmt.Sprintf("at most %d states, got %d", max, len(codes)))
	}
	return codes, nil
}

// blocsResult writes a blocs.Result as JSON with NaN (firmness not measured,
// modularity or stability undefined) as null; blocs.Result's own encoding
// fails on an unmeasured firmness (bootstrap=0).
type blocsResult struct{ *blocs.Result }

// Table is the CLI's table.
func (b blocsResult) Table() output.Table { return b.Result.Table() }

// MarshalJSON writes the shape of `concord blocs --format json`, NaN as null.
func (b blocsResult) MarshalJSON() ([]byte, error) {
	type member struct {
		State    string   `json:"state"`
		Firmness *float64 `json:"firmness"`
		Core     bool     `json:"core"`
	}
	type bloc struct {
		ID      string   `json:"id"`
		Name    string   `json:"name"`
		Members []member `json:"members"`
	}
	type window struct {
		From       int      `json:"from"`
		To         int      `json:"to"`
		RollCalls  int      `json:"roll_calls"`
		States     int      `json:"states"`
		Modularity *float64 `json:"modularity"`
		Stability  *float64 `json:"stability"`
		Blocs      []bloc   `json:"blocs"`
		Unaligned  []string `json:"unaligned"`
	}
	out := struct {
		Metric     align.Metric `json:"metric"`
		Signed     bool         `json:"signed"`
		Resolution float64      `json:"resolution"`
		Issue      string       `json:"issue,omitempty"`
		Windows    []window     `json:"windows"`
	}{Metric: b.Metric, Signed: b.Signed, Resolution: b.Resolution, Issue: string(b.Issue), Windows: []window{}}
	for _, w := range b.Windows {
		ow := window{From: w.From, To: w.To, RollCalls: w.RollCalls, States: w.States, Modularity: finite(w.Modularity), Stability: finite(w.Stability), Blocs: []bloc{}, Unaligned: []string{}}
		ow.Unaligned = append(ow.Unaligned, w.Unaligned...)
		for _, bl := range w.Blocs {
			ob := bloc{ID: bl.ID, Name: bl.Name, Members: []member{}}
			for _, m := range bl.Members {
				ob.Members = append(ob.Members, member{State: m.State, Firmness: finite(m.Firmness), Core: m.Core})
			}
			ow.Blocs = append(ow.Blocs, ob)
		}
		out.Windows = append(out.Windows, ow)
	}
	return json.Marshal(out)
}

// finite returns a pointer to f, or nil for NaN and infinities.
func finite(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}
