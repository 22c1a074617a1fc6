package brief

import (
	"math"

	"github.com/concord-project/concord/align"
	"github.com/concord-project/concord/blocs"
	"github.com/concord-project/concord/countries"
)

// Coalition is, for more than two states, how they hold together in the vote and who would fit next.
type Coalition struct {
	Section
	Members      []string          `json:"members"`
	From         int               `json:"from"`
	To           int               `json:"to"`
	RollCalls    int               `json:"roll_calls"` // roll calls in the window
	Cohesion     Num               `json:"cohesion"`   // mean Agreement Index of the members
	Decisiveness Decisiveness      `json:"decisiveness"`
	Partners     []blocs.Candidate `json:"partners"` // the best next partners by mean agreement with the members (at most MaxPartners)
}

// Decisiveness counts how the coalition voting as one would have weighed on
// the roll calls of the window: blocs.Decisiveness with the unjudged roll
// calls counted rather than listed.
type Decisiveness struct {
	Rule           string `json:"rule"`       // adoption rule: majority of the members present and voting
	RollCalls      int    `json:"roll_calls"` // roll calls in the window
	Judged         int    `json:"judged"`     // roll calls where the coalition had a position
	Changed        int    `json:"changed"`    // judged roll calls whose outcome changes when the members vote as one
	Prevailed      int    `json:"prevailed"`  // the position won, as recorded
	PrevailedAsOne int    `json:"prevailed_as_one"`
	Abstained      int    `json:"abstained"` // the position was to abstain
	Unjudged       int    `json:"unjudged"`  // roll calls where no member voted or the members split evenly
}

// decisiveness copies d, counting its unjudged roll calls.
func decisiveness(d blocs.Decisiveness) Decisiveness {
	return Decisiveness{Rule: d.Rule.String(), RollCalls: d.RollCalls, Judged: d.Judged, Changed: d.Changed, Prevailed: d.Prevailed,
		PrevailedAsOne: d.PrevailedAsOne, Abstained: d.Abstained, Unjudged: len(d.Unjudged)}
}

func buildCoalition(src Sources, b *Brief) (Coalition, error) {
	co := Coalition{Section: votesSection(src, "coalition analysis (package blocs): Agreement Index of Hix, Noury & Roland, decisiveness under a simple majority"),
		Members: b.States, From: b.From, To: b.To, Cohesion: Num(math.NaN()), Partners: []blocs.Candidate{},
		Decisiveness: decisiveness(blocs.Decisiveness{})}
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
	d, err := c.Decide(b.States)
	if err != nil {
		return co, err
	}
	co.Decisiveness = decisiveness(d)
	cands, err := c.Candidates(b.States)
	if err != nil {
		return co, err
	}
	for _, cand := range cands {
		if len(co.Partners) == MaxPartners {
			break
		}
		if st, ok := countries.ByCode(cand.State); ok && st.Historical {
			continue // a state that no longer exists is no partner to win
		}
		co.Partners = append(co.Partners, cand)
	}
	co.Notes = append(co.Notes, "decisive: roll calls whose outcome would change if every member who voted cast the members' plurality position; partners ranked by mean agreement with the members (as `concord coalition`), leaving out states that no longer exist")
	return co, nil
}
