package http

import (
	"context"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/memstore"
)

// The fixture is a small record built so that every expected value follows
// from its construction: 10 years (2000–2009), one roll call per issue per
// year (60 roll calls, rcid = 1000 + 10·(year−2000) + issue index).
//
//   - USA votes no on me and hr, abstains on ec, yes on nu, di and co;
//     ISR votes exactly as USA.
//   - IRN votes yes on everything; CUB exactly as IRN; CHN as well.
//   - FRA votes as USA, except yes on me from 2005 on.
//   - RUS votes yes, except abstain on hr.
//
// So USA–ISR agree on all 60 (agree 1); USA–IRN per year agree on nu, di, co,
// half on ec (one abstained) and split opposite on me and hr:
// agree = 3.5/6, coincidence = 3/5, 30 splits of which 20 opposite.
var (
	fixtureYears  = []int{2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009}
	fixtureStates = []string{"USA", "ISR", "IRN", "CUB", "CHN", "FRA", "RUS"}
)

func fixtureVote(state string, year int, is concord.Issue) concord.Vote {
	switch state {
	case "USA", "ISR":
		switch is {
		case concord.IssueMiddleEast, concord.IssueHumanRights:
			return concord.No
		case concord.IssueEconomic:
			return concord.Abstain
		}
		return concord.Yes
	case "FRA":
		if is == concord.IssueMiddleEast && year >= 2005 {
			return concord.Yes
		}
		return fixtureVote("USA", year, is)
	case "RUS":
		if is == concord.IssueHumanRights {
			return concord.Abstain
		}
	}
	return concord.Yes
}

func fixtureRCID(year, issue int) int { return 1000 + 10*(year-2000) + issue }

// fixtureDataset returns the fixture's roll calls and votes for the given states.
func fixtureDataset(states []string) *concord.Dataset {
	ds := &concord.Dataset{}
	for _, y := range fixtureYears {
		for k, is := range concord.Issues {
			rcid := fixtureRCID(y, k)
			ds.RollCalls = append(ds.RollCalls, concord.RollCall{
				RCID: rcid, Session: y - 1945, Date: time.Date(y, 12, 1+k, 0, 0, 0, 0, time.UTC),
				Resolution: "A/RES/" + itoa(y-1945) + "/" + itoa(100+k), Important: concord.FlagOf(k == 0),
				Short: "Fixture resolution on " + is.Name() + " " + itoa(y), Issues: []concord.Issue{is},
			})
			for _, s := range states {
				ds.Votes = append(ds.Votes, concord.VoteRecord{RCID: rcid, State: s, Vote: fixtureVote(s, y, is)})
			}
		}
	}
	return ds
}

// fixtureStore returns a memstore holding the fixture.
func fixtureStore(t testing.TB) *memstore.Store {
	t.Helper()
	st := memstore.New()
	if _, err := st.ImportVotes(context.Background(), fixtureDataset(fixtureStates), nil); err != nil {
		t.Fatal(err)
	}
	return st
}

// fixtureStores attach the fixtures of the optional stores (trade, …) to a
// server; each capability's tests add theirs, and the tests of the whole API use them all.
var fixtureStores []func(testing.TB, *Server)

// newTestServer serves store on a loopback test server; the matrix is re-checked on every request.
func newTestServer(t testing.TB, store concord.VoteStore) (*Server, *httptest.Server) {
	t.Helper()
	s := NewServer(store)
	s.CheckInterval = 0
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

// get fetches path from ts and returns status, headers and body.
func get(t testing.TB, ts *httptest.Server, path string) (int, nethttp.Header, []byte) {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

type http_Request = nethttp.Request

// errUseLast stops a client at the first redirect.
var errUseLast = nethttp.ErrUseLastResponse
