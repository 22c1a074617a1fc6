package brief

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/agreements"
	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/events"
	"github.com/concord-project/concord/internal/testdata"
	"github.com/concord-project/concord/internal/tradegen"
	"github.com/concord-project/concord/sqlite"
	"github.com/concord-project/concord/trade"
	"github.com/concord-project/concord/unga"
)

// fixture is the shared real data in one temporary SQLite database: the UN
// votes, the GGO agreements with a few commitments added, the events coded
// from the development articles, the SITC exports table and a generated
// bilateral year of trade.
type fixture struct {
	db        *sqlite.DB
	ix        *align.Index
	dir       string
	committed map[string][]concord.Commitment // pair "AAA-BBB" → commitments added
}

var shared struct {
	once sync.Once
	f    *fixture
	err  error
}

// today is the day overdue commitments are counted on in the tests.
const today = "2025-06-30"

// generatedTradeYear is the year of the generated bilateral trade.
const generatedTradeYear = 2021

func realData(tb testing.TB) *fixture {
	tb.Helper()
	dir := testdata.Dir(tb)
	shared.once.Do(func() { shared.f, shared.err = loadFixture(dir) })
	if shared.err != nil {
		tb.Fatalf("loading the shared data: %v", shared.err)
	}
	return shared.f
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.f != nil {
		shared.f.db.Close()
		os.RemoveAll(shared.f.dir)
	}
	os.Exit(code)
}

func loadFixture(data string) (*fixture, error) {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "concord-brief-test")
	if err != nil {
		return nil, err
	}
	f := &fixture{dir: tmp, committed: map[string][]concord.Commitment{}}
	if f.db, err = sqlite.Open(filepath.Join(tmp, "brief.db")); err != nil {
		return nil, err
	}
	// Votes.
	files, _, err := unga.ExpandPaths([]string{filepath.Join(data, "unga")})
	if err != nil {
		return nil, err
	}
	ds, err := unga.ReadFiles(ctx, files...)
	if err != nil {
		return nil, err
	}
	if _, err := f.db.ImportVotes(ctx, ds, nil); err != nil {
		return nil, err
	}
	m, err := f.db.Matrix(ctx)
	if err != nil {
		return nil, err
	}
	f.ix = align.NewIndex(m)
	// Agreements, and commitments under one shared agreement of each test pair.
	reg, _, err := agreements.Read(filepath.Join(data, "agreements", "ggo_agreements.csv.gz"), filepath.Join(data, "agreements", "ggo_parties.csv.gz"))
	if err != nil {
		return nil, err
	}
	admin := concord.User{Name: "test", Role: concord.RoleAdmin}
	r := f.db.Registry()
	if _, err := r.ImportAgreements(ctx, admin, reg.Agreements, reg.Commitments); err != nil {
		return nil, err
	}
	for _, p := range [][2]string{{"IRN", "CUB"}, {"CHN", "USA"}} {
		as, err := r.Agreements(ctx, concord.AgreementFilter{Parties: p[:]})
		if err != nil {
			return nil, err
		}
		if len(as) == 0 {
			return nil, fmt.Errorf("no shared agreement of %v in the GGO data", p)
		}
		a := as[0] // the one with the fewest parties, the most recent among them
		for _, x := range as {
			if x.NParties <= a.NParties {
				a = x
			}
		}
		for _, c := range []concord.Commitment{
			{Text: "exchange of information", Due: "2020-01-31", Status: concord.CommitmentDone, Progress: 100},
			{Text: "joint report", Due: "2024-12-31", Status: concord.CommitmentInProgress, Progress: 40, Responsible: p[0]},
			{Text: "ratification of the annex", Due: "2030-01-01", Status: concord.CommitmentNotStarted, Responsible: p[1]},
			{Text: "dropped plan", Status: concord.CommitmentCancelled},
		} {
			c.AgreementID = a.ID
			got, err := r.CreateCommitment(ctx, admin, c)
			if err != nil {
				return nil, err
			}
			f.committed[p[0]+"-"+p[1]] = append(f.committed[p[0]+"-"+p[1]], got)
		}
	}
	// Events coded from the development articles.
	arts, err := filepath.Glob(filepath.Join(data, "events", "articles", "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(arts)
	var gold map[string]struct {
		URL       string `json:"source_url"`
		Published string `json:"published"`
	}
	if raw, err := os.ReadFile(filepath.Join(data, "events", "articles", "gold.json")); err != nil {
		return nil, err
	} else if err := json.Unmarshal(raw, &gold); err != nil {
		return nil, err
	}
	coder := events.NewCoder()
	for _, p := range arts {
		g := gold[filepath.Base(p)]
		fh, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		art, err := events.ReadArticle(fh, g.URL) // as `concord events code FILE --url URL --published DAY`
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if art.Published.IsZero() && g.Published != "" {
			art.Published, _ = time.Parse(time.DateOnly, g.Published)
		}
		pub := ""
		if !art.Published.IsZero() {
			pub = art.Published.Format("2006-01-02")
		}
		if _, err := f.db.AddArticleEvents(ctx, concord.ArticleRef{ID: art.ID, URL: art.URL, Title: art.Title}, pub, coder.Code(art)); err != nil {
			return nil, err
		}
	}
	// Trade: the real SITC exports table (exports only) and a generated bilateral year.
	sitc, err := trade.ReadFiles(ctx, trade.Options{}, filepath.Join(data, "trade", "sitc2_4digit_exports_avg_1998_2000.csv.gz"))
	if err != nil {
		return nil, err
	}
	gen := filepath.Join(tmp, fmt.Sprintf("BACI_HS17_Y%d_V000000.csv", generatedTradeYear))
	fh, err := os.Create(gen)
	if err != nil {
		return nil, err
	}
	if _, err := tradegen.WriteBACI(fh, 7, generatedTradeYear, 1000, 600, 250000); err != nil {
		return nil, err
	}
	fh.Close()
	bilateral, err := trade.ReadFiles(ctx, trade.Options{}, gen)
	if err != nil {
		return nil, err
	}
	if _, err := f.db.ImportTrade(ctx, append(sitc, bilateral...), nil); err != nil {
		return nil, err
	}
	return f, nil
}

// sources are the fixture's sources, all stores configured.
func (f *fixture) sources() Sources {
	return Sources{Index: f.ix, Votes: "the test database", Cache: f.db, Registry: f.db.Registry(), Events: f.db, Trade: f.db, Today: today}
}

// sitcOnly is the fixture's trade store showing only the exports-only SITC year.
type sitcOnly struct{ concord.TradeStore }

func (s sitcOnly) TradeYears(ctx context.Context) ([]concord.TradeYearInfo, error) {
	ys, err := s.TradeStore.TradeYears(ctx)
	var out []concord.TradeYearInfo
	for _, y := range ys {
		if strings.HasPrefix(y.Classification, "SITC") {
			out = append(out, y)
		}
	}
	return out, err
}
