package events

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	concord "github.com/concord-project/concord"
)

// GoldArticle is one article's hand-coded events in the layout of the development set's gold.json.
type GoldArticle struct {
	SourceURL string      `json:"source_url"`
	Published string      `json:"published"`
	Events    []GoldEvent `json:"events"`
}

// GoldEvent is one hand-coded event.
type GoldEvent struct {
	Date   *string `json:"date"`
	Source struct {
		Country *string `json:"country"`
		Name    *string `json:"name"`
	} `json:"source"`
	Target struct {
		Country *string `json:"country"`
		Name    *string `json:"name"`
	} `json:"target"`
	Event string `json:"event"`
	Cameo string `json:"cameo"`
}

// ReadGold reads a gold file: a JSON object from article file name to its events.
func ReadGold(r io.Reader, name string) (map[string]GoldArticle, error) {
	var g map[string]GoldArticle
	dec := json.NewDecoder(r)
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for f, a := range g {
		for i, e := range a.Events {
			if len(e.Cameo) < 2 {
				return nil, fmt.Errorf("%s: %s event %d: cameo %q is not a CAMEO code", name, f, i+1, e.Cameo)
			}
		}
	}
	return g, nil
}

// LoadGold reads a gold file from a path.
func LoadGold(path string) (map[string]GoldArticle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadGold(f, path)
}

// Score is precision and recall of coded events against gold.
type Score struct {
	Level     string  `json:"level"`
	Predicted int     `json:"predicted"`
	Gold      int     `json:"gold"`
	Correct   int     `json:"correct"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

// F1 is the harmonic mean of precision and recall.
func (s Score) F1() float64 {
	if s.Precision+s.Recall == 0 {
		return 0
	}
	return 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
}

func goldActor(country, name *string) string {
	if country != nil && *country != "" {
		return *country
	}
	return "IGO"
}

func predActor(a concord.EventActor) string {
	if a.State != "" {
		return a.State
	}
	return "IGO"
}

// evalKey builds the key at a level: "full" (date, source, target, root), "actors" (source, target, root), "dates" (date, the unordered pair).
func evalKey(level, date, s, t, root string, undirected bool) string {
	if undirected && t < s {
		s, t = t, s
	}
	u := "d"
	if undirected {
		u = "u"
	}
	switch level {
	case "actors":
		return s + "|" + t + "|" + root + "|" + u
	case "pairs":
		if t < s {
			s, t = t, s
		}
		return s + "|" + t
	case "dates":
		if t < s {
			s, t = t, s
		}
		return date + "|" + s + "|" + t
	}
	return date + "|" + s + "|" + t + "|" + root + "|" + u
}

// Levels are the levels [Evaluate] scores at.
var Levels = []string{"full", "actors", "pairs", "dates"}

// Evaluate scores coded events against gold, per article, at each of [Levels]:
// "full" is the level (date, source state, target state, CAMEO root),
// "actors" drops the date, "pairs" keeps only the unordered pair of states,
// "dates" keeps the date and the pair. Meetings and signings (gold MEET and
// SIGN_AGREEMENT; coded 040, 044, 046, 057) are undirected. International
// organisations count as one actor "IGO"; a gold date null must be coded
// without a date. Keys are compared as sets per article, so repeated events
// count once.
func Evaluate(gold map[string]GoldArticle, coded map[string][]concord.Event) []Score {
	var out []Score
	for _, level := range Levels {
		sc := Score{Level: level}
		for f, g := range gold {
			gk := map[string]bool{}
			for _, e := range g.Events {
				d := ""
				if e.Date != nil {
					d = *e.Date
				}
				und := e.Event == "MEET" || e.Event == "SIGN_AGREEMENT"
				gk[evalKey(level, d, goldActor(e.Source.Country, e.Source.Name), goldActor(e.Target.Country, e.Target.Name), e.Cameo[:2], und)] = true
			}
			pk := map[string]bool{}
			for _, e := range coded[f] {
				pk[evalKey(level, e.Date, predActor(e.Source), predActor(e.Target), e.Root, e.Undirected())] = true
			}
			sc.Gold += len(gk)
			sc.Predicted += len(pk)
			for k := range pk {
				if gk[k] {
					sc.Correct++
				}
			}
		}
		if sc.Predicted > 0 {
			sc.Precision = float64(sc.Correct) / float64(sc.Predicted)
		}
		if sc.Gold > 0 {
			sc.Recall = float64(sc.Correct) / float64(sc.Gold)
		}
		out = append(out, sc)
	}
	return out
}

// GoldFiles returns the gold's article names in order.
func GoldFiles(g map[string]GoldArticle) []string {
	var fs []string
	for f := range g {
		fs = append(fs, f)
	}
	sort.Strings(fs)
	return fs
}

var _ = strings.TrimSpace
