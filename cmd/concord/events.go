package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/events"
	"github.com/concord-project/concord/output"
	"github.com/concord-project/concord/report"
)

// coderFlags choose the dictionaries and codebook of the event coder.
type coderFlags struct {
	dict     string
	verbs    bool
	leaders  []string
	codebook string
}

func (f *coderFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.dict, "dict", os.Getenv("CONCORD_DICT"), "folder of PETRARCH2 dictionaries to add (see concord fetch dictionaries; default $CONCORD_DICT)")
	c.Flags().BoolVar(&f.verbs, "petrarch-verbs", false, "code with the verb patterns of the --dict folder's CAMEO.2.0.txt instead of concord's verb rules")
	c.Flags().StringArrayVar(&f.leaders, "leaders", nil, "tab-separated file of leaders and aliases with dates of office (repeatable)")
	c.Flags().StringVar(&f.codebook, "codebook", "", "CAMEO codebook CSV with Goldstein weights (default: GDELT's, built in)")
}

func (f *coderFlags) coder() (*events.Coder, error) {
	c := events.NewCoder()
	if f.dict != "" {
		if _, err := c.Dict.LoadDir(f.dict, f.verbs); err != nil {
			return nil, fmt.Errorf("--dict: %w", err)
		}
	} else if f.verbs {
		return nil, fmt.Errorf("--petrarch-verbs needs --dict")
	}
	for _, l := range f.leaders {
		if err := c.Dict.LoadLeaders(l); err != nil {
			return nil, fmt.Errorf("--leaders: %w", err)
		}
	}
	if f.codebook != "" {
		cb, err := events.LoadCodebook(f.codebook)
		if err != nil {
			return nil, fmt.Errorf("--codebook: %w", err)
		}
		c.Codebook = cb
	}
	return c, nil
}

func (a *app) eventsCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "events",
		Short: "Code diplomatic events from news articles, store them and show a pair's timeline",
	}
	c.AddCommand(a.eventsCodeCmd(), a.eventsIngestCmd(), a.eventsEvalCmd(), a.eventsTimelineCmd(), a.eventsListCmd(), a.eventsEnqueueCmd(), a.eventsWorkerCmd())
	return c
}

// readInput reads a file, an http(s) address or "-" (standard input) as an article.
func readInput(cmd *cobra.Command, arg, address string) (*events.Article, error) {
	var r io.Reader
	switch {
	case arg == "-":
		r = cmd.InOrStdin()
	case strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://"):
		req, err := http.NewRequestWithContext(cmd.Context(), http.MethodGet, arg, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("User-Agent", "concord (event coder)")
		resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %s", arg, resp.Status)
		}
		r = resp.Body
		if address == "" {
			address = arg
		}
	default:
		f, err := os.Open(arg)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	return events.ReadArticle(r, address)
}

// eventList prints coded events.
type eventList []concord.Event

func (l eventList) Table() output.Table {
	t := output.Table{Columns: []string{"date", "source", "source name", "target", "target name", "cameo", "quad", "goldstein", "place", "evidence"}}
	for _, e := range l {
		t.Rows = append(t.Rows, []any{e.Date, actorLabel(e.Source), e.Source.Name, actorLabel(e.Target), e.Target.Name, e.Code, e.QuadClass, e.Goldstein, e.Place, clip(e.Evidence.Sentence, 80)})
	}
	return t
}

func actorLabel(a concord.EventActor) string {
	if a.State == "" {
		return a.Name
	}
	return a.State
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (a *app) eventsCodeCmd() *cobra.Command {
	var cf coderFlags
	var published, address string
	var store bool
	c := &cobra.Command{
		Use:   "code FILE|URL|-",
		Short: "Code the events of news articles (plain text or HTML) as CAMEO events with their evidence",
		Long: `Code the diplomatic events an article reports: who met, visited, hosted, signed
with, praised, criticised, accused, threatened, sanctioned or aided whom, with
the CAMEO code, quad class, Goldstein weight, date, place and the evidence
sentence (byte offsets into the article's main text).

The output is one JSON object per event (JSON Lines) unless --format table or
csv is given. Articles may be plain text (optionally starting with "Title:",
"Published: yyyy-mm-dd" and "URL:" lines) or HTML (the main text is extracted).
With --store, events go into the database, de-duplicated across articles.`,
		Example: `  concord events code article.txt
  concord events code https://www.radiohc.cu/en/noticias/... --store
  curl -s https://example.org/news | concord events code - --published 2023-12-05
  concord events code article.txt --dict ~/.local/share/concord/dictionaries --leaders leaders.tsv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			coder, err := cf.coder()
			if err != nil {
				return err
			}
			var pub time.Time
			if published != "" {
				if pub, err = time.Parse("2006-01-02", published); err != nil {
					return fmt.Errorf("--published %q: want yyyy-mm-dd", published)
				}
			}
			var all eventList
			enc := json.NewEncoder(a.stdout)
			enc.SetEscapeHTML(false)
			jsonLines := a.format == "json" || !cmd.Flag("format").Changed
			for _, arg := range args {
				art, err := readInput(cmd, arg, address)
				if err != nil {
					return err
				}
				if !pub.IsZero() {
					art.Published = pub
				}
				evs := coder.Code(art)
				if store {
					db, err := a.store()
					if err != nil {
						return err
					}
					p := ""
					if !art.Published.IsZero() {
						p = art.Published.Format("2006-01-02")
					}
					st, err := db.AddArticleEvents(cmd.Context(), concord.ArticleRef{ID: art.ID, URL: art.URL, Title: art.Title}, p, evs)
					if err != nil {
						return err
					}
					if st.Repeated > 0 {
						fmt.Fprintf(a.stderr, "%s: already stored (same content), skipped\n", arg)
					} else {
						fmt.Fprintf(a.stderr, "%s: %d events, %d new, %d more reports of stored events\n", arg, len(evs), st.NewEvents, st.NewMentions)
					}
				}
				if jsonLines {
					for _, e := range evs {
						if err := enc.Encode(e); err != nil {
							return err
						}
					}
				}
				all = append(all, evs...)
			}
			if jsonLines {
				return nil
			}
			return a.print(all)
		},
	}
	cf.register(c)
	c.Flags().StringVar(&published, "published", "", "publication date yyyy-mm-dd (resolves \"on Monday\"; default: from the article)")
	c.Flags().StringVar(&address, "url", "", "the article's address, when reading a file or standard input")
	c.Flags().BoolVar(&store, "store", false, "store the events in the database (--db)")
	return c
}

// scoreList prints evaluation scores.
type scoreList []events.Score

func (l scoreList) Table() output.Table {
	t := output.Table{Columns: []string{"level", "predicted", "gold", "correct", "precision", "recall", "F1"}}
	for _, s := range l {
		t.Rows = append(t.Rows, []any{s.Level, s.Predicted, s.Gold, s.Correct, s.Precision, s.Recall, s.F1()})
	}
	return t
}

func (a *app) eventsEvalCmd() *cobra.Command {
	var cf coderFlags
	var dir string
	c := &cobra.Command{
		Use:   "eval GOLD.json",
		Short: "Score the coder's precision and recall against hand-coded events",
		Long: `Code every article named in a gold file (JSON object: article file name →
{published, events}) and score precision and recall at four levels: full
(date, source state, target state, CAMEO root — the standard), actors (without
the date), pairs (the unordered pair of states) and dates (date and pair).
Meetings and signings are undirected; international organisations count as
one actor. The articles are read from the gold file's folder unless --articles
is given.`,
		Example: `  concord events eval ../shared/data/events/articles/gold.json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			coder, err := cf.coder()
			if err != nil {
				return err
			}
			gold, err := events.LoadGold(args[0])
			if err != nil {
				return err
			}
			if dir == "" {
				dir = filepath.Dir(args[0])
			}
			coded := map[string][]concord.Event{}
			for _, f := range events.GoldFiles(gold) {
				fh, err := os.Open(filepath.Join(dir, f))
				if err != nil {
					return fmt.Errorf("%s: article %s: %w", args[0], f, err)
				}
				art, err := events.ReadArticle(fh, "")
				fh.Close()
				if err != nil {
					return err
				}
				coded[f] = coder.Code(art)
			}
			return a.print(scoreList(events.Evaluate(gold, coded)))
		},
	}
	cf.register(c)
	c.Flags().StringVar(&dir, "articles", "", "folder of the articles (default: the gold file's folder)")
	return c
}

// eventRange reads --from and --to as days (yyyy, yyyy-mm or yyyy-mm-dd).
func eventRange(from, to string) (concord.EventFilter, error) {
	var f concord.EventFilter
	parse := func(s, name string, end bool) (time.Time, error) {
		t, err := report.ParseDay(s, end)
		if err != nil {
			return t, fmt.Errorf("%s %w", name, err)
		}
		return t, nil
	}
	var err error
	if from != "" {
		if f.From, err = parse(from, "--from", false); err != nil {
			return f, err
		}
	}
	if to != "" {
		if f.To, err = parse(to, "--to", true); err != nil {
			return f, err
		}
	}
	return f, nil
}

// eventTimeline is the result of `events timeline`, shared with GET /api/v1/events/timeline.
type eventTimeline = report.EventTimeline

func (a *app) eventsTimelineCmd() *cobra.Command {
	var from, to string
	c := &cobra.Command{
		Use:   "timeline A B",
		Short: "Monthly cooperation–conflict score of a pair of states from stored events",
		Long: `For each month, the events between two states (both directions) stored by
"concord events code --store": their number, the sum of their Goldstein
weights (positive: cooperation, negative: conflict) and the count in each quad
class (verbal and material cooperation, verbal and material conflict).
Events without a known day are left out.`,
		Example: `  concord events timeline IRN CUB
  concord events timeline Iran Cuba --from 2023 --to 2024-06 --format csv`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := eventRange(from, to)
			if err != nil {
				return err
			}
			if f.A, err = resolveState(args[0]); err != nil {
				return err
			}
			if f.B, err = resolveState(args[1]); err != nil {
				return err
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			ms, err := db.Timeline(cmd.Context(), f)
			if err != nil {
				return err
			}
			if len(ms) == 0 {
				fmt.Fprintf(a.stderr, "no dated events between %s and %s stored; code articles with: concord events code FILE --store\n", f.A, f.B)
			}
			tl := eventTimeline{A: f.A, B: f.B, Months: ms}
			if !f.From.IsZero() {
				tl.From = f.From.Format("2006-01-02")
			}
			if !f.To.IsZero() {
				tl.To = f.To.Format("2006-01-02")
			}
			return a.print(tl)
		},
	}
	c.Flags().StringVar(&from, "from", "", "first day, month or year")
	c.Flags().StringVar(&to, "to", "", "last day, month or year")
	return c
}

// storedList prints stored events with their reports.
type storedList []concord.StoredEvent

func (l storedList) Table() output.Table {
	t := output.Table{Columns: []string{"date", "source", "target", "cameo", "goldstein", "mentions", "place", "evidence", "address"}}
	for _, e := range l {
		t.Rows = append(t.Rows, []any{e.Date, actorLabel(e.Source), actorLabel(e.Target), e.Code, e.Goldstein, e.Mentions, e.Place, clip(e.Evidence.Sentence, 70), e.Article.URL})
	}
	return t
}

func (a *app) eventsListCmd() *cobra.Command {
	var from, to string
	c := &cobra.Command{
		Use:   "list A [B]",
		Short: "List stored events of a state or a pair, each with its evidence and sources",
		Example: `  concord events list IRN CUB
  concord events list Iran --format json`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := eventRange(from, to)
			if err != nil {
				return err
			}
			if f.A, err = resolveState(args[0]); err != nil {
				return err
			}
			if len(args) > 1 {
				if f.B, err = resolveState(args[1]); err != nil {
					return err
				}
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			evs, err := db.Events(cmd.Context(), f)
			if err != nil {
				return err
			}
			return a.print(storedList(evs))
		},
	}
	c.Flags().StringVar(&from, "from", "", "first day, month or year")
	c.Flags().StringVar(&to, "to", "", "last day, month or year")
	return c
}

// defaultDictDir is concord/dictionaries in the user's data directory.
func defaultDictDir() string { return filepath.Join(userDataDir(), "concord", "dictionaries") }

func (a *app) fetchDictionariesCmd() *cobra.Command {
	var url, dir string
	var force bool
	c := &cobra.Command{
		Use:   "dictionaries",
		Short: "Download the PETRARCH2 actor, agent and verb dictionaries for the event coder",
		Long: `Download the PETRARCH2 dictionaries (Open Event Data Alliance, MIT licence:
repository openeventdata/petrarch2) — country actors with leaders and their
dates of office, international actors, non-state actors, agents and the
CAMEO 2.0 verb patterns — into a folder for "concord events code --dict".
Each file is parsed before it is kept; files already there are kept unless
--force.`,
		Example: `  concord fetch dictionaries
  concord events code article.txt --dict ~/.local/share/concord/dictionaries`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				dir = defaultDictDir()
			}
			fmt.Fprintln(a.stderr, "source: PETRARCH2 dictionaries, Open Event Data Alliance (MIT licence)")
			got, err := events.FetchDictionaries(cmd.Context(), &http.Client{Timeout: 10 * time.Minute}, url, dir, force)
			for _, p := range got {
				fmt.Fprintln(a.stderr, "downloaded", p)
			}
			if err != nil {
				return fmt.Errorf("fetch dictionaries: %w", err)
			}
			if len(got) == 0 {
				fmt.Fprintln(a.stderr, "already downloaded in", dir, "(--force to download again)")
			}
			fmt.Fprintf(a.stderr, "use them with: concord events code FILE --dict %s\n", dir)
			return nil
		},
	}
	c.Flags().StringVar(&url, "url", events.PetrarchBaseURL, "base address of the dictionary files")
	c.Flags().StringVar(&dir, "dir", "", "folder to write to (default: concord/dictionaries in the user's data directory)")
	c.Flags().BoolVar(&force, "force", false, "download again files already present")
	return c
}
