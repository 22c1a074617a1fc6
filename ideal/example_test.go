package ideal_test

import (
	"context"
	"fmt"
	"time"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/ideal"
)

// Five states vote on six roll calls: A and B always with the USA, D and E
// always against, C in between (it abstains where the others split).
func ExampleEstimate() {
	votes := map[string]string{ // one letter per roll call: y(es), a(bstain), n(o)
		"USA": "yyynnn",
		"A":   "yyynny",
		"B":   "yynnnn",
		"C":   "yaaaay",
		"D":   "nnnyyy",
		"E":   "nnayyy",
	}
	var rcs []concord.RollCall
	for j := 1; j <= 6; j++ {
		rcs = append(rcs, concord.RollCall{RCID: j, Session: 70, Date: time.Date(2015, 10, j, 0, 0, 0, 0, time.UTC)})
	}
	code := map[byte]concord.Vote{'y': concord.Yes, 'a': concord.Abstain, 'n': concord.No}
	var recs []concord.VoteRecord
	for s, v := range votes {
		for j := range v {
			recs = append(recs, concord.VoteRecord{RCID: j + 1, State: s, Vote: code[v[j]]})
		}
	}
	m := concord.NewMatrix(rcs, recs)

	res, err := ideal.Estimate(context.Background(), m, nil, ideal.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Points {
		fmt.Printf("%-3s %5.2f\n", p.State, p.Ideal)
	}
	fmt.Println("converged:", res.Converged)
	// Output:
	// A    0.73
	// B    0.82
	// C   -0.17
	// D   -1.37
	// E   -1.20
	// USA  1.20
	// converged: true
}
