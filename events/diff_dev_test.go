package events

import (
	"testing"

	concord "github.com/concord-project/concord"
)

// logDevSetDiff logs, per article, the gold events missed and the coded events the gold lacks (at the full level).
func logDevSetDiff(t *testing.T, gold map[string]GoldArticle, coded map[string][]concord.Event) {
	for _, f := range GoldFiles(gold) {
		gk, pk := map[string]string{}, map[string]string{}
		for _, e := range gold[f].Events {
			d := ""
			if e.Date != nil {
				d = *e.Date
			}
			und := e.Event == "MEET" || e.Event == "SIGN_AGREEMENT"
			gk[evalKey("full", d, goldActor(e.Source.Country, e.Source.Name), goldActor(e.Target.Country, e.Target.Name), e.Cameo[:2], und)] = e.Cameo
		}
		for _, e := range coded[f] {
			pk[evalKey("full", e.Date, predActor(e.Source), predActor(e.Target), e.Root, e.Undirected())] = e.Code + " " + e.Evidence.Sentence[:min(70, len(e.Evidence.Sentence))]
		}
		t.Log("==", f)
		for k, v := range gk {
			if _, ok := pk[k]; !ok {
				t.Logf("  missed %s (%s)", k, v)
			}
		}
		for k, v := range pk {
			if _, ok := gk[k]; !ok {
				t.Logf("  extra  %s (%s)", k, v)
			}
		}
	}
}

// TestDevSetDiff logs the differences between coded and gold events on the development set (run with -v).
func TestDevSetDiff(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("diagnostic: run with -v")
	}
	gold, coded := codeDevSet(t, NewCoder())
	logDevSetDiff(t, gold, coded)
}
