package brief

import (
	"math"

	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/blocs"
)

// Coalition is, for more than two states, how they hold together in the vote and who would fit next.
type Coalition struct {
	Section
	Members   []string `json:"members"`
	From      int      `json:"from"`
	To        int      `json:"to"`
	RollCalls int      `json:"roll_calls"` // roll calls in the window
	Cohesion  Num      `json:"cohesion"`   // mean Agreement Index of the members
	// Decisiveness counts how the coalition voting as one would have weighed
	// (majority rule); its list of unjudged roll calls is left out.
	Decisiveness blocs.Decisiveness `json:"decisiveness"`
	Partners     []blocs.Candidate  `json:"partners"` // the best next partners by mean agreement with the members (at most MaxPartners)
}

func buildCoalition(src Sources, b *Brief) (Coalition, error) {
	co := Coalition{Section: votesSection(src, "coalition analysis (package blocs): Agreement Index of Hix, Noury & Roland, decisiveness under a simple majority"),
		Members: b.States, From: b.From, To: b.To, Cohesion: Num(math.NaN()), Partners: []blocs.Candidate{},
		Decisiveness: blocs.Decisiveness{Unjudged: []blocs.Unjudged{}}}
	if len(b.States) < 3 {
		co.Missing = "A coalition is analysed for more than two states; this brief is on a pair (ask for three or more states)."
		return co, nil
	}
	if miss := missingVotes(src.Index.Matrix(), b.States); miss != "" {
		co.Missing = miss + "."
		return co, nil
	}
	c, err := blocs.NewCoalition(src.Index, blocs.CoalitionOptions{Window: align.Window{From: b.From, To: b.To}})
	if err != nil {
		return co, err
	}
	co.RollCalls = c.RollCalls()
	coh, err := c.Cohesion(b.States)
	if err != nil {
		return co, err
	}
	co.Cohesion = Num(coh)
	if co.Decisiveness, err = c.Decide(b.States); err != nil {
		return co, err
	}
	co.Decisiveness.Unjudged = []blocs.Unjudged{}
	cands, err := c.Candidates(b.States)
	if err != nil {
		return co, err
	}
	co.Partners = append(co.Partners, cands[:min(len(cands), MaxPartners)]...)
	co.Notes = append(co.Notes, "decisive: roll calls whose outcome would change if every member who voted cast the members' plurality position; partners ranked by mean agreement with the members")
	return co, nil
}
